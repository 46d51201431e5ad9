"""ASGI middleware of the API: request ids and timings in the logs, and closed queries when asked."""

from __future__ import annotations

import json
import time
import uuid

import structlog
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.auth import caller_from_headers

log = structlog.get_logger("service.requests")


class RequestLog:
    """Logs every HTTP request once, with a request id (also sent back as ``X-Request-Id``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = Headers(scope=scope).get("x-request-id") or uuid.uuid4().hex[:16]
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started, status = time.perf_counter(), 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            log.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=status,
                ms=round((time.perf_counter() - started) * 1000, 1),
            )
            structlog.contextvars.unbind_contextvars("request_id")


class RequireToken:
    """With ``PUBLIC_QUERIES=false``, every GraphQL and export request needs a bearer token."""

    def __init__(self, app: ASGIApp, *, tokens: dict[str, str], public: bool) -> None:
        self.app, self.tokens, self.public = app, tokens, public

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # A WebSocket is let through: browsers cannot set its headers, so GraphQLApp checks the
        # token of graphql-transport-ws's connection_init instead (4403 without a valid one).
        guarded = scope["type"] == "http" and scope["path"].startswith(("/graphql", "/export"))
        # GraphiQL's page itself (a GET for HTML) stays reachable; what it queries does not.
        page = scope["type"] == "http" and "text/html" in Headers(scope=scope).get("accept", "")
        if self.public or not guarded or page or caller_from_headers(Headers(scope=scope), self.tokens):
            await self.app(scope, receive, send)
            return
        body = json.dumps(
            {
                "data": None,
                "errors": [
                    {
                        "message": "queries need an 'Authorization: Bearer <token>' header "
                        "(PUBLIC_QUERIES=false)",
                        "extensions": {"code": "UNAUTHENTICATED"},
                    }
                ],
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})
