"""The app in-process: ``service.app`` under some settings, its lifespan run, and a client of it over ASGI."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from starlette.applications import Starlette

from service.app import create_app
from service.settings import get_settings


@dataclass
class RunningApp:
    """The ASGI app started in-process (lifespan run) under some settings, and a client of it."""

    app: Starlette
    transport: httpx.ASGITransport
    client: httpx.AsyncClient
    env: dict[str, str]


@asynccontextmanager
async def running_app(env: dict[str, str], *, timeout: float = 30) -> AsyncIterator[RunningApp]:
    """``service.app`` with ``env`` as its environment, migrated and serving over ASGI."""
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        get_settings.cache_clear()
        app = create_app()
        try:
            async with LifespanManager(app) as manager:
                transport = httpx.ASGITransport(app=manager.app)
                async with httpx.AsyncClient(
                    transport=transport, base_url="http://testserver", timeout=timeout
                ) as client:
                    yield RunningApp(app=app, transport=transport, client=client, env=env)
        finally:
            get_settings.cache_clear()


@dataclass
class Api:
    """A client of the app, and the ``graphql`` shorthand the tests use."""

    client: httpx.AsyncClient
    database_url: str

    async def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.client.post("/graphql", json={"query": query, "variables": variables or {}})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body
