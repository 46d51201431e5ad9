"""Database engine, sessions and schema migration (SQLite pragmas: WAL, busy timeout, foreign keys)."""

from __future__ import annotations

import asyncio
import fcntl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, insert, select, text, update
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from service.db import data_version
from service.db.models import Indicator
from service.domain import reference
from service.settings import Settings, get_settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: Any fixed number: the PostgreSQL advisory lock that serialises migrations across processes.
_MIGRATION_LOCK = 0x796F726F


#: SQLSTATE classes and codes meaning "the database cannot serve now", not "this request is wrong":
#: connection exceptions, operator intervention (shutdown, cannot connect now), insufficient
#: resources, and a database refusing connections (55000).
_UNAVAILABLE_SQLSTATES = ("08", "57P", "53", "55000")


def is_unavailable(error: BaseException) -> bool:
    """Whether ``error`` says the database (or the network to it) is unavailable for a while."""
    if isinstance(error, OSError | ConnectionError | TimeoutError | OperationalError | InterfaceError):
        return True
    if isinstance(error, PoolTimeout):  # every connection busy for longer than the pool timeout
        return True
    if isinstance(error, DBAPIError):
        if error.connection_invalidated:
            return True
        sqlstate = str(getattr(error.orig, "sqlstate", "") or "")
        return sqlstate.startswith(_UNAVAILABLE_SQLSTATES)
    return False


def is_sqlite(url: str) -> bool:
    """True for a SQLite database URL."""
    return make_url(url).get_backend_name() == "sqlite"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_engine(url: str, settings: Settings | None = None) -> AsyncEngine:
    """An async engine for ``url`` with the pragmas SQLite needs for several processes; a
    PostgreSQL pool sized by ``settings`` (DB_POOL_SIZE, DB_MAX_OVERFLOW, DB_POOL_TIMEOUT_SECONDS).
    """
    settings = settings or get_settings()
    if is_sqlite(url):
        engine = create_async_engine(url, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(
        url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_pre_ping=True,
        pool_timeout=settings.db_pool_timeout_seconds,
        connect_args={"timeout": 10, "command_timeout": 60},
    )


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


@asynccontextmanager
async def _file_lock(path: Path) -> AsyncIterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        await asyncio.to_thread(fcntl.flock, handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _upgrade(connection: Connection) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _prepare(connection: Connection) -> None:
    _upgrade(connection)
    _seed_catalogue(connection)


def _seed_catalogue(connection: Connection) -> None:
    """Insert or refresh the catalogued indicators; definitions read from reports are kept."""
    table = Indicator.__table__  # type: ignore[attr-defined]
    existing = set(connection.execute(select(table.c.code)).scalars())
    for position, spec in enumerate(reference.indicator_catalogue(), 1):
        values = {
            "section": spec.section,
            "number": spec.number,
            "name": spec.name,
            "name_en": spec.name_en,
            "unit": spec.unit,
            "breakdowns": list(spec.breakdowns),
            "prints_cumulative": spec.prints_cumulative,
            "catalogued": True,
            "position": position,
        }
        if spec.code in existing:
            connection.execute(update(table).where(table.c.code == spec.code).values(**values))
        else:
            connection.execute(insert(table).values(code=spec.code, **values))
    data_version.bump_sync(connection)


async def migrate(engine: AsyncEngine) -> None:
    """Bring the schema to the newest migration and seed the indicator catalogue.

    Safe when the API and several workers start together: a lock serialises them.
    """
    url = engine.url
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        lock = Path(f"{database}.migrate.lock") if database not in ("", ":memory:") else None
        if lock is None:
            async with engine.begin() as connection:
                await connection.run_sync(_prepare)
            return
        async with _file_lock(lock), engine.begin() as connection:
            await connection.run_sync(_prepare)
        return
    async with engine.begin() as connection:
        await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        await connection.run_sync(_prepare)
