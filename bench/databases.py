"""Scratch databases of the benchmarks: SQLite files in the run's folder, PostgreSQL ``bench_*`` databases."""

from __future__ import annotations

from pathlib import Path

import asyncpg
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from service.db.dsn import asyncpg_dsn
from service.db.engine import create_engine
from service.db.models import Report, ReportStatus

_REPORT = Report.__table__  # type: ignore[attr-defined]


async def _admin(base_url: str) -> asyncpg.Connection:
    return await asyncpg.connect(asyncpg_dsn(base_url), timeout=5)


async def fresh_postgres(base_url: str, name: str) -> str:
    """(Re)create the empty PostgreSQL database ``name`` next to ``base_url``'s; its URL."""
    admin = await _admin(base_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


async def postgres_answers(base_url: str) -> str | None:
    """None when PostgreSQL at ``base_url`` answers, else why not."""
    try:
        admin = await _admin(base_url)
    except (OSError, asyncpg.PostgresError) as error:
        return f"{type(error).__name__}: {error}"
    await admin.close()
    return None


def fresh_sqlite(folder: Path, name: str) -> str:
    """A new, empty SQLite file ``name``.db in ``folder``; its URL."""
    for suffix in ("", "-wal", "-shm"):
        (folder / f"{name}.db{suffix}").unlink(missing_ok=True)
    return f"sqlite+aiosqlite:///{folder / f'{name}.db'}"


async def report_statuses(database_url: str) -> dict[str, int]:
    """How many reports are in each status."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(select(_REPORT.c.status, func.count()).group_by(_REPORT.c.status))
            return {str(status): int(count) for status, count in rows}
    finally:
        await engine.dispose()


async def observation_count(database_url: str) -> int:
    """Rows of the observation table (every report's figures)."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return int((await connection.execute(text("SELECT count(*) FROM observation"))).scalar_one())
    finally:
        await engine.dispose()


SUCCEEDED = ReportStatus.SUCCEEDED.value
