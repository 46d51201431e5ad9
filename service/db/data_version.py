"""The data version (``data_version``): bumped last by every write that changes an answer.

Writers call ``bump`` as the last statement of their transaction, so its row lock is held only
until the commit and the new number becomes visible together with the change it stands for.
"""

from __future__ import annotations

from sqlalchemy import Connection, Table, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from service.db.models import DataVersion

_TABLE: Table = DataVersion.__table__  # type: ignore[attr-defined]
_BUMP = update(_TABLE).where(_TABLE.c.id == 1).values(version=_TABLE.c.version + 1)
_READ = select(_TABLE.c.version).where(_TABLE.c.id == 1)


async def bump(connection: AsyncConnection | AsyncSession) -> None:
    """Count one more change, inside the caller's transaction."""
    if isinstance(connection, AsyncSession):
        await connection.exec(_BUMP)
    else:
        await connection.execute(_BUMP)


def bump_sync(connection: Connection) -> None:
    """``bump`` for code running under ``run_sync`` (migrations)."""
    connection.execute(_BUMP)


async def current(engine: AsyncEngine) -> int:
    """The version now committed (0 before the first change)."""
    async with engine.connect() as connection:
        return int((await connection.execute(_READ)).scalar_one_or_none() or 0)
