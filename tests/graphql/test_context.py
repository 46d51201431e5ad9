"""The operation's context: releasing its session cannot replace a finished answer with an error."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from service.graphql.context import Context


async def test_a_connection_killed_before_the_session_is_released_raises_nothing(engine: AsyncEngine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("a backend to terminate is PostgreSQL's")
    services: Any = SimpleNamespace(engine=engine)  # what the context reads of the services
    context = Context(services=services, request=None)  # type: ignore[arg-type]
    pid = (await context.session.exec(text("SELECT pg_backend_pid()"))).scalar_one()  # type: ignore[call-overload]
    async with engine.connect() as other:
        await other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    await context.close()  # the rollback on the dead connection fails; the answer stands
