"""The data version (``data_version``): bumped last by every write that changes an answer, and
pushed to the API processes (PostgreSQL ``NOTIFY``) so that they know it without asking.

Writers call ``bump`` as the last statement of their transaction, so its row lock is held only
until the commit and the new number becomes visible together with the change it stands for. On
PostgreSQL the same statement queues a notification, which the server delivers only if and when
the transaction commits.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable

import asyncpg
import structlog
from sqlalchemy import Connection, Executable, String, Table, cast, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from service.db.dsn import asyncpg_dsn
from service.db.models import DataVersion

log = structlog.get_logger("service.db.data_version")
#: The PostgreSQL notification channel; the payload is the new version.
CHANNEL = "yorozu_data_version"
_TABLE: Table = DataVersion.__table__  # type: ignore[attr-defined]
_BUMP = update(_TABLE).where(_TABLE.c.id == 1).values(version=_TABLE.c.version + 1)
_BUMPED = _BUMP.returning(_TABLE.c.version).cte("bumped")
#: The bump and its notification in one statement (one round trip).
_BUMP_AND_NOTIFY = select(func.pg_notify(CHANNEL, cast(_BUMPED.c.version, String)))
_READ = select(_TABLE.c.version).where(_TABLE.c.id == 1)
_READ_SQL = "SELECT version FROM data_version WHERE id = 1"


def _bump_for(dialect: str) -> Executable:
    return _BUMP_AND_NOTIFY if dialect == "postgresql" else _BUMP


async def bump(connection: AsyncConnection | AsyncSession) -> None:
    """Count one more change, inside the caller's transaction."""
    if isinstance(connection, AsyncSession):
        await connection.exec(_bump_for(connection.get_bind().dialect.name))  # type: ignore[call-overload]
    else:
        await connection.execute(_bump_for(connection.dialect.name))


def bump_sync(connection: Connection) -> None:
    """``bump`` for code running under ``run_sync`` (migrations)."""
    connection.execute(_bump_for(connection.dialect.name))


async def current(engine: AsyncEngine) -> int:
    """The version now committed (0 before the first change)."""
    async with engine.connect() as connection:
        return int((await connection.execute(_READ)).scalar_one_or_none() or 0)


class DataVersions:
    """The version now committed, as this process knows it: pushed while a listening connection
    is confirmed live, else read from the database.

    The listener (PostgreSQL only) runs ``LISTEN`` on a connection of its own, then reads the
    version on it, so no change falls between the two. It reads again every ``heartbeat_seconds``:
    a listener counts as live only until ``lease_seconds`` after the start of its last successful
    read, so a connection that died silently stops being trusted within the lease, and a lost
    connection at once. Versions only grow; ``seen`` lets a caller that read the database report
    a newer one, so that what a process has answered from the database is never followed by an
    older answer from memory.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        heartbeat_seconds: float = 0.5,
        lease_seconds: float = 1.5,
        connect: Callable[[], Awaitable[asyncpg.Connection]] | None = None,
    ) -> None:
        self._engine = engine
        self.heartbeat_seconds, self.lease_seconds = heartbeat_seconds, lease_seconds
        self._connect = connect or self._connect_to_engine_database
        self._known = 0
        self._live_until = 0.0  # time.monotonic()
        self._task: asyncio.Task[None] | None = None
        #: Set while the listener is confirmed live (tests wait for it).
        self.listening = asyncio.Event()

    @property
    def known(self) -> int:
        """The newest version this process has learnt, pushed or read."""
        return self._known

    @property
    def pushed(self) -> int | None:
        """The version as pushed, or None while the push channel is not confirmed live."""
        if time.monotonic() < self._live_until:
            return self._known
        self.listening.clear()
        return None

    async def current(self) -> int:
        """The committed version: from memory while the push channel is live, else from the database."""
        pushed = self.pushed
        return pushed if pushed is not None else await self.read()

    async def read(self) -> int:
        """The committed version read from the database (and remembered as seen)."""
        self._start()
        version = await current(self._engine)
        self.seen(version)
        return version

    async def catch_up(self) -> None:
        """Learn the version now committed before telling a client that something changed.

        A status pushed over Redis (a report SUCCEEDED) may overtake the NOTIFY of its commit;
        reading here means a client that acts on the status never gets an answer from before it.
        When the read fails, the push channel stops being trusted, so the next request reads.
        """
        try:
            await self.read()
        except Exception:
            self._lost()
            raise

    def seen(self, version: int) -> None:
        """A version committed by now, learnt some other way."""
        self._known = max(self._known, version)

    def _start(self) -> None:
        if self._task is None and self._engine.url.get_backend_name() == "postgresql":
            self._task = asyncio.create_task(self._listen())

    async def aclose(self) -> None:
        """Stop listening (at shutdown)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _connect_to_engine_database(self) -> asyncpg.Connection:
        return await asyncpg.connect(
            asyncpg_dsn(self._engine.url), timeout=10, server_settings={"application_name": CHANNEL}
        )

    async def _listen(self) -> None:
        backoff = 0.1
        while True:
            connection: asyncpg.Connection | None = None
            try:
                connection = await self._connect()
                connection.add_termination_listener(self._lost)
                await connection.add_listener(CHANNEL, self._notified)
                while True:
                    await self._confirm(connection)
                    backoff = 0.1
                    await asyncio.sleep(self.heartbeat_seconds)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as error:
                self._lost()
                log.warning("data_version.listener_down", error=repr(error), retry_in=backoff)
            finally:
                if connection is not None:
                    with contextlib.suppress(Exception):
                        await connection.close(timeout=1)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 5.0)

    async def _confirm(self, connection: asyncpg.Connection) -> None:
        """Read the version on the listening connection: everything committed before is known."""
        started = time.monotonic()
        version = await connection.fetchval(_READ_SQL, timeout=self.lease_seconds)
        self.seen(int(version or 0))
        self._live_until = started + self.lease_seconds
        self.listening.set()

    def _notified(self, _connection: object, _pid: int, _channel: str, payload: str) -> None:
        if payload.isdigit():
            self.seen(int(payload))

    def _lost(self, *_: object) -> None:
        self._live_until = 0.0
        self.listening.clear()
