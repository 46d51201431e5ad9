"""Per-operation context: the database session, the operation's loaders and the calling token's name."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import structlog
from sqlalchemy.exc import DBAPIError
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.requests import HTTPConnection

from service.db.engine import is_unavailable
from service.graphql.errors import Unauthenticated
from service.graphql.loaders import Loaders
from service.runtime import Services
from service.settings import Settings

T = TypeVar("T")
log = structlog.get_logger("service.graphql.context")


class OperationFinished(RuntimeError):
    """A resolver left running after its operation's answer was complete asked for the database."""


class SharedSession(AsyncSession):
    """The session every resolver of one operation shares, safe under graphql-core's concurrency.

    Sibling fields resolve concurrently, and graphql-core cancels the pending siblings of a field
    whose error propagates. A session runs one statement at a time, and a statement cancelled
    half-way leaves the connection unusable for the fields still to answer. So every statement
    runs in a task of its own, one after the other, shielded: the resolver that asked may be
    cancelled, the statement still ends and the session stays usable. Once the operation is
    finished (``finish``), a late resolver gets an error instead of checking out a connection
    that nobody would give back.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._statements = asyncio.Lock()
        self._running: set[asyncio.Future[Any]] = set()
        self._finished = False
        #: Whether the transaction under way holds writes (then a failure is the writer's to handle).
        self._wrote = False

    async def exec(self, *args: Any, **kwargs: Any) -> Any:
        return await self._one_at_a_time(self._recovering(super().exec(*args, **kwargs)))

    async def flush(self, *args: Any, **kwargs: Any) -> None:
        self._wrote = True
        await super().flush(*args, **kwargs)

    async def commit(self) -> None:
        await super().commit()
        self._wrote = False

    async def rollback(self) -> None:
        await super().rollback()
        self._wrote = False

    async def _recovering(self, statement: Awaitable[T]) -> T:
        """The statement; when it fails in a transaction that only read, a fresh transaction after it.

        PostgreSQL refuses every statement of a transaction after a failed one: without this, a
        field whose argument the database rejects (a NUL in a string) would fail its siblings.
        Loaded objects are detached first, so that the rollback does not expire what other
        fields still read from them.
        """
        try:
            return await statement
        except DBAPIError as error:
            if not (is_unavailable(error) or self._wrote or self.new or self.dirty or self.deleted):
                self.expunge_all()
                with contextlib.suppress(Exception):  # the statement's own error is the one to report
                    await super().rollback()
            raise

    async def _one_at_a_time(self, statement: Awaitable[T]) -> T:
        if self._finished:
            if asyncio.iscoroutine(statement):
                statement.close()
            raise OperationFinished("the operation's answer is complete; its session is closed")

        async def run() -> T:
            async with self._statements:
                return await statement

        task = asyncio.ensure_future(run())
        self._running.add(task)
        task.add_done_callback(self._running.discard)
        return await asyncio.shield(task)

    async def finish(self) -> None:
        """Wait for statements still running (their resolvers may be cancelled), then close."""
        self._finished = True
        while self._running:
            await asyncio.wait(list(self._running))
        await self.close()


@dataclass
class Connection:
    """What the operations of one connection share (a WebSocket carries many)."""

    #: Subscriptions open on it (MAX_SUBSCRIPTIONS_PER_CONNECTION).
    subscriptions: int = 0


@dataclass
class Context:
    """``info.context`` of every resolver: one per operation (``for_operation``)."""

    services: Services
    request: HTTPConnection
    response: Any = None
    #: The name of the bearer token the request carried (``API_TOKENS``), if any.
    caller: str | None = None
    #: The payload of graphql-transport-ws's ``connection_init`` (strawberry sets it).
    connection_params: dict[str, Any] | None = None
    connection: Connection = field(default_factory=Connection)
    _session: SharedSession | None = field(default=None, repr=False)
    _loaders: Loaders | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        """The process settings."""
        return self.services.settings

    def for_operation(self) -> Context:
        """A context for one operation: the same caller and connection, a session and loaders of its own.

        A WebSocket runs many operations on one context, and a batch several at once; each
        gets its own session so that one finishing never closes another's, and its own
        loaders so that nothing read for one is served, stale, to a later one.
        """
        return replace(self, _session=None, _loaders=None)

    @property
    def session(self) -> AsyncSession:
        """The operation's one database session, opened on first use."""
        if self._session is None:
            self._session = SharedSession(bind=self.services.engine, expire_on_commit=False)
        return self._session

    @property
    def loaders(self) -> Loaders:
        """Batching loaders for this operation."""
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
        """Release the session and what the loaders hold once the operation's answer is complete."""
        if self._loaders is not None:
            self._loaders.forget()
        if self._session is not None:
            # Kept, finished: a resolver still running gets OperationFinished, not a new session.
            try:
                await self._session.finish()
            except Exception as error:
                # The connection broke as the session let it go (the database restarted, the
                # connection was killed): the answer, complete or with its coded errors, stands;
                # raising here would replace it with the driver's message and no code.
                log.warning("session_close_failed", error=f"{type(error).__name__}: {error}"[:300])
