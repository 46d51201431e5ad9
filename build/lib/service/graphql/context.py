"""Per-request context: the database session, the request's loaders and the calling token's name."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from arq.connections import ArqRedis
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.requests import HTTPConnection

from service.graphql.errors import Unauthenticated
from service.graphql.loaders import Loaders
from service.settings import Settings


@dataclass
class Services:
    """What the app opens once at start-up and every request shares."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    redis: ArqRedis


@dataclass
class Context:
    """``info.context`` of every resolver."""

    services: Services
    request: HTTPConnection
    response: Any = None
    #: The name of the bearer token the request carried (``API_TOKENS``), if any.
    caller: str | None = None
    _session: AsyncSession | None = field(default=None, repr=False)
    _loaders: Loaders | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        """The process settings."""
        return self.services.settings

    @property
    def session(self) -> AsyncSession:
        """The request's one database session, opened on first use."""
        if self._session is None:
            self._session = self.services.sessions()
        return self._session

    @property
    def loaders(self) -> Loaders:
        """Batching loaders for this request."""
        if self._loaders is None:
            self._loaders = Loaders(self.session)
        return self._loaders

    def require_caller(self) -> str:
        """The caller's token name; UNAUTHENTICATED when the request had no valid token."""
        if self.caller is None:
            raise Unauthenticated(
                "this operation needs an 'Authorization: Bearer <token>' header with a token from API_TOKENS"
            )
        return self.caller

    async def close(self) -> None:
        """Release the session at the end of the request."""
        if self._session is not None:
            await self._session.close()
            self._session = None
