"""ASGI middleware of the API: request ids and timings in the logs, JSON errors, closed queries."""

from __future__ import annotations

import re
import time
import uuid

import structlog
from starlette.datastructures import Headers, QueryParams
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.http import pages
from service.http.auth import caller_from_headers
from service.http.errors import code_for, error_body, send_error

log = structlog.get_logger("service.requests")

#: A client's request id is kept only when short and plain; anything else is replaced, never echoed.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
#: How much of a path the request log keeps (a URL may be many kilobytes).
LOGGED_PATH_CHARS = 200


def request_id(headers: Headers) -> str:
    """The client's ``X-Request-Id`` when it is plain (≤ 64 of ``[A-Za-z0-9._-]``), else a new one."""
    given = headers.get("x-request-id", "")
    return given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex[:16]


class RequestLog:
    """Logs every HTTP request once, with a request id (also sent back as ``X-Request-Id``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id(Headers(scope=scope))
        structlog.contextvars.bind_contextvars(request_id=rid)
        started, status = time.perf_counter(), 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", rid.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            log.info(
                "request",
                method=scope["method"],
                path=scope["path"][:LOGGED_PATH_CHARS],
                status=status,
                ms=round((time.perf_counter() - started) * 1000, 1),
            )
            structlog.contextvars.unbind_contextvars("request_id")


class JsonErrors:
    """Gives every error response a JSON body with a code, whichever layer answered.

    Starlette's routing answers 404 and 405 in plain text, strawberry refuses unreadable bodies in
    plain text, and an exception would become a plain-text 500: each is rewritten here into the
    shape of ``service.http.errors`` (HTML error pages are left as they are, for browsers).
    """

    #: Of a plain-text error body, how much becomes the message.
    MESSAGE_CHARS = 500

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        held: Message | None = None
        started = False
        chunks: list[bytes] = []

        async def rewriting_send(message: Message) -> None:
            nonlocal held, started
            if message["type"] == "http.response.start":
                started = True
                content_type = Headers(raw=message.get("headers", [])).get("content-type", "")
                if message["status"] >= 400 and not content_type.startswith(
                    ("application/json", "text/html")
                ):
                    held = message
                    return
            elif message["type"] == "http.response.body" and held is not None:
                if sum(map(len, chunks)) < self.MESSAGE_CHARS:
                    chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    await self._rewrite(send, held, b"".join(chunks))
                return
            await send(message)

        try:
            await self.app(scope, receive, rewriting_send)
        except RecursionError:
            # A body or query nested past what Python's parsers recurse through.
            if started:
                raise
            await send_error(send, 400, "the request nests too deeply to be read", "BAD_REQUEST")
        except Exception:
            if started:
                raise
            log.exception("request.failed", path=scope["path"][:LOGGED_PATH_CHARS])
            await send_error(send, 500, "Internal server error.", "INTERNAL")

    async def _rewrite(self, send: Send, start: Message, body: bytes) -> None:
        status: int = start["status"]
        text = body[: self.MESSAGE_CHARS].decode("utf-8", "replace").strip() or "error"
        payload = error_body(text, code_for(status))
        kept = [
            (name, value)
            for name, value in start.get("headers", [])
            if name.lower() not in (b"content-type", b"content-length")
        ]
        headers = [
            *kept,
            (b"content-type", b"application/json"),
            (b"content-length", str(len(payload)).encode()),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


def asks_for_graphiql(scope: Scope) -> bool:
    """A browser's GET for the GraphiQL page: HTML accepted, no query to execute."""
    return (
        scope["type"] == "http"
        and scope["method"] in ("GET", "HEAD")
        and scope["path"].rstrip("/") == "/graphql"
        and "query" not in QueryParams(scope.get("query_string", b""))
        and "text/html" in Headers(scope=scope).get("accept", "")
    )


class RequireToken:
    """With ``PUBLIC_QUERIES=false``, every GraphQL and export request needs a bearer token."""

    def __init__(self, app: ASGIApp, *, tokens: dict[str, str], public: bool) -> None:
        self.app, self.tokens, self.public = app, tokens, public

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # A WebSocket is let through: browsers cannot set its headers, so GraphQLApp checks the
        # token of graphql-transport-ws's connection_init instead (4403 without a valid one).
        guarded = scope["type"] == "http" and scope["path"].startswith(("/graphql", "/export"))
        if self.public or not guarded or caller_from_headers(Headers(scope=scope), self.tokens):
            await self.app(scope, receive, send)
            return
        if asks_for_graphiql(scope):
            # GraphiQL's page itself stays reachable, served here so that nothing behind it runs;
            # what the page then queries needs the token like any other request.
            await pages.graphiql()(scope, receive, send)
            return
        await send_error(
            send,
            401,
            "queries need an 'Authorization: Bearer <token>' header (PUBLIC_QUERIES=false)",
            "UNAUTHENTICATED",
        )
