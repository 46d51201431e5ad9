"""Schema management on SQLite and PostgreSQL: migrations match the models, start-ups may race."""

from __future__ import annotations

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

from service.db.engine import create_engine, is_unavailable, migrate
from service.db.models import Indicator
from service.domain import reference


async def test_migrations_create_exactly_the_models(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        differences = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), SQLModel.metadata)
        )
    assert differences == [], "a model changed without a migration"


async def test_processes_starting_together_migrate_once(database_url: str) -> None:
    engines = [create_engine(database_url) for _ in range(3)]
    try:
        await asyncio.gather(*(migrate(engine) for engine in engines))
        await migrate(engines[0])  # and again later: nothing to do
        async with engines[0].connect() as connection:
            count = (await connection.execute(select(func.count()).select_from(Indicator))).scalar_one()
        assert count == len(reference.indicator_catalogue())
    finally:
        for engine in engines:
            await engine.dispose()


def test_is_unavailable_tells_outages_from_bugs() -> None:
    class Refusing(Exception):
        sqlstate = "55000"  # database not accepting connections

    assert is_unavailable(ConnectionRefusedError())
    assert is_unavailable(PoolTimeout("QueuePool limit reached"))
    assert is_unavailable(DBAPIError("SELECT 1", None, Refusing()))
    assert not is_unavailable(IntegrityError("INSERT", None, Exception("duplicate key")))
    assert not is_unavailable(ValueError("a bug"))
