"""Answers repeated identical queries from memory, as long as the data have not changed since.

An answer is kept under the request's bytes and the data version (``service.db.data_version``) it
was computed at, and served again only while that version is still the one committed: pushed to
the process while the push channel is live (no database round trip), else read per request, so a
new report or case study (or a deletion) is never answered with stale figures. Only successful
queries are kept (``CACHEABLE`` marks them); mutations, errors, uploads and subscriptions always
go through. Each API process keeps its own bounded LRU.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.db.data_version import DataVersions
from service.db.engine import is_unavailable

#: Set in the request's ASGI scope by the schema when an operation is a query answered without
#: errors (the scope, not ``scope["state"]``, which servers may share between requests).
CACHEABLE = "yorozu.cacheable"
#: Set beside it when every operation of the request is a query, errors or not: its answer may be
#: shared with identical requests made meanwhile (a mutation's never is: each must run).
QUERY_ONLY = "yorozu.query_only"
#: What an entry costs beyond its body (key, headers, bookkeeping), counted against the budget so
#: that many tiny answers cannot hold far more memory than RESPONSE_CACHE_BYTES.
ENTRY_OVERHEAD_BYTES = 1024


@dataclass(frozen=True)
class Answer:
    """A response as sent: its headers and body."""

    headers: list[tuple[bytes, bytes]]
    body: bytes


class AnswerStore:
    """A bounded LRU of answers by key (sizes in bytes of the bodies)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes, self.size = max_bytes, 0
        self._answers: OrderedDict[tuple[bytes, int], Answer] = OrderedDict()

    def get(self, key: tuple[bytes, int]) -> Answer | None:
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
        return answer

    def put(self, key: tuple[bytes, int], answer: Answer) -> None:
        if len(answer.body) > self.max_bytes // 4 or key in self._answers:
            return
        self._answers[key] = answer
        self.size += _cost(answer)
        while self.size > self.max_bytes:
            _, dropped = self._answers.popitem(last=False)
            self.size -= _cost(dropped)


def _cost(answer: Answer) -> int:
    return len(answer.body) + ENTRY_OVERHEAD_BYTES


class ResponseCache:
    """ASGI wrapper of the GraphQL endpoint that serves and stores answers to plain queries.

    Concurrent identical requests at one version are computed once (single flight): the first
    computes, the others await its answer and get it too when it answers queries only, even with
    errors (a database that is away, say, is away for all of them: computing it again for each
    would load the database most when it can least bear it). Each request waits for a database
    connection at most twice (a version read and its own statements), so a request that cannot
    get one ends within about twice DB_POOL_TIMEOUT_SECONDS.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app, self.store = app, AnswerStore(max_bytes)
        self._flights: dict[tuple[bytes, int], asyncio.Future[_Captured | None]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = await _request_key(scope, receive) if self.store.max_bytes > 0 else None
        versions: DataVersions = scope["app"].state.services.data_versions
        if request is None:
            await self.app(scope, receive, send)
            if scope["type"] == "http" and scope["method"] == "POST" and self.store.max_bytes > 0:
                await _read(versions)  # an upload: what it changed is seen at once by this process
            return
        digest, body = request
        # While the push channel is live the version is known without a database round trip;
        # otherwise it is read. A push may be a moment behind the data a computation then reads:
        # the version read after computing decides whether the answer is kept (``_lead``).
        version = versions.pushed
        if version is None:
            version = await _read(versions)
            if version is None:
                captured = await _run(self.app, scope, body)
                await _send(send, captured.answer, b"miss", status=captured.status)
                return
        key = (digest, version)
        answer = self.store.get(key)
        if answer is not None:
            await _send(send, answer, b"hit")
            return
        flight = self._flights.get(key)
        if flight is None:
            captured = await self._lead(key, scope, body, versions)
        else:
            shared = await asyncio.shield(flight)
            if shared is not None:
                await _send(send, shared.answer, b"shared", status=shared.status)
                return
            # The first request could not share (a mutation, or it was cancelled): run our own.
            captured = await self._compute(scope, body, versions)
        await _send(send, captured.answer, b"miss", status=captured.status)

    async def _lead(
        self, key: tuple[bytes, int], scope: Scope, body: bytes, versions: DataVersions
    ) -> _Captured:
        """Compute the answer for everyone asking ``key`` meanwhile, and keep it if nothing changed."""
        flight: asyncio.Future[_Captured | None] = asyncio.get_running_loop().create_future()
        self._flights[key] = flight
        try:
            captured = await self._compute(scope, body, versions)
            keepable = captured.status == 200 and bool(scope.get(CACHEABLE))
            if keepable and captured.version_after == key[1]:  # nothing changed while computing
                self.store.put(key, captured.answer)
            flight.set_result(captured if keepable or scope.get(QUERY_ONLY) else None)
            return captured
        finally:
            if not flight.done():  # cancelled or failed: the others compute their own
                flight.set_result(None)
            del self._flights[key]

    async def _compute(self, scope: Scope, body: bytes, versions: DataVersions) -> _Captured:
        """Run the request, then read the version: a mutation's change is seen at once by this
        process, and a query's answer is known to hold at that version or not. A query that
        could not be answered whole is kept by nobody, so it reads nothing more."""
        captured = await _run(self.app, scope, body)
        if scope.get(CACHEABLE) or not scope.get(QUERY_ONLY):
            captured.version_after = await _read(versions)
        return captured


async def _read(versions: DataVersions) -> int | None:
    """The data version read from the database, or None while it is unavailable (the query then
    says so)."""
    try:
        return await versions.read()
    except Exception as error:
        if is_unavailable(error):
            return None
        raise


async def _request_key(scope: Scope, receive: Receive) -> tuple[bytes, bytes] | None:
    """(digest of what determines the answer, the body read) for a JSON query request; else None."""
    if scope["type"] != "http":
        return None
    headers = Headers(scope=scope)
    if scope["method"] == "GET":
        query_string: bytes = scope.get("query_string", b"")
        if b"query=" not in query_string or "text/html" in headers.get("accept", ""):
            return None  # GraphiQL's page, or not a query
        return hashlib.sha256(b"GET?" + query_string).digest(), b""
    if scope["method"] != "POST" or not headers.get("content-type", "").startswith("application/json"):
        return None  # multipart uploads are mutations
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    return hashlib.sha256(b"POST " + body).digest(), body


@dataclass
class _Captured:
    status: int
    answer: Answer
    #: The data version read once the answer was complete.
    version_after: int | None = None


async def _run(app: ASGIApp, scope: Scope, body: bytes) -> _Captured:
    """Runs ``app`` on the request whose body was already read, keeping its response."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    status, headers, chunks = 500, [], []

    async def keep(message: Message) -> None:
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status, headers = message["status"], list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, replay, keep)
    return _Captured(status, Answer(headers=headers, body=b"".join(chunks)))


async def _send(send: Send, answer: Answer, cache: bytes, *, status: int = 200) -> None:
    headers = [(k, v) for k, v in answer.headers if k.lower() != b"x-cache"] + [(b"x-cache", cache)]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})
