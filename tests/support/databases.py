"""Scratch PostgreSQL and SQLite databases: created next to TEST_DATABASE_URL's, dropped, fenced off."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import URL, make_url

from service.db.dsn import asyncpg_dsn

DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


async def _admin(base: URL) -> asyncpg.Connection:
    """A plain connection to TEST_DATABASE_URL's database, for creating and dropping others."""
    return await asyncpg.connect(asyncpg_dsn(base), timeout=5)


async def _postgres_database() -> tuple[str, str]:
    """Create a scratch database next to TEST_DATABASE_URL's; returns (url, name)."""
    base = make_url(os.environ.get("TEST_DATABASE_URL", DEFAULT_PG))
    name = f"yorozu_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = await _admin(base)
    except (OSError, asyncpg.PostgresError) as error:
        if os.environ.get("REQUIRE_POSTGRES") == "1" or os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at {base.render_as_string(hide_password=True)} is required: {error}")
        pytest.skip(f"PostgreSQL not reachable ({error}); set TEST_DATABASE_URL")
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return base.set(database=name).render_as_string(hide_password=False), name


async def drop_postgres_database(name: str) -> None:
    admin = await _admin(make_url(os.environ.get("TEST_DATABASE_URL", DEFAULT_PG)))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def new_database(kind: str, tmp_path: Path) -> tuple[str, str | None]:
    """A fresh, empty database of ``kind``: (url, postgres database name to drop or None)."""
    if kind == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / f'yorozu-{uuid.uuid4().hex[:6]}.db'}", None
    return await _postgres_database()


async def allow_connections(name: str, allowed: bool) -> None:
    admin = await _admin(make_url(os.environ.get("TEST_DATABASE_URL", DEFAULT_PG)))
    try:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allowed).lower()}')
        if not allowed:
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name
            )
    finally:
        await admin.close()
