"""The GraphQL endpoint (/graphql): strawberry's ASGI view with our context, JSON errors with codes
for refused HTTP requests (the body of ``service.http.errors``), text WebSocket frames and the
token check of ``connection_init``; mounted by ``service.app``."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn, cast

import orjson
import structlog
from cross_web import HTTPException
from graphql import GraphQLError, OperationType, get_operation_ast, parse
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLRequestData
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types.unset import UNSET, UnsetType

from service.graphql.context import Context
from service.graphql.errors import BadRequest, LimitExceeded
from service.http import pages
from service.http.auth import caller_from_headers, caller_name
from service.http.errors import error_response
from service.http.multipart import CheckedMultipart
from service.runtime import Services
from service.settings import get_settings

#: WebSocket close code of graphql-transport-ws for a refused ``connection_init``.
FORBIDDEN = 4403
#: Where ``on_ws_connect`` leaves the reason for the close frame (at most 123 bytes).
_REFUSAL = "yorozu.refusal"


class TextFrames(ASGIWebSocketAdapter):
    """graphql-transport-ws messages as text frames, as every client expects (graphql-ws closes
    with 4004 on a binary frame), however the view encodes its HTTP answers."""

    async def send_json(self, message: Mapping[str, object]) -> None:
        encoded = self.view.encode_json(message)
        await self.ws.send_text(encoded.decode() if isinstance(encoded, bytes) else encoded)

    async def close(self, code: int, reason: str) -> None:
        if code == FORBIDDEN:
            reason = self.ws.scope.get(_REFUSAL, reason)
        await self.ws.close(code=code, reason=reason)


class GraphQLApp(CheckedMultipart, GraphQL[Context, None]):
    """Strawberry's ASGI view with our per-request context and a fast JSON encoder."""

    websocket_adapter_class = TextFrames

    def encode_json(self, data: object) -> bytes:
        """orjson: a dashboard answer is about a megabyte, which the json module takes 5× longer on."""
        return orjson.dumps(data)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            # RequestLog sees HTTP only: a connection's log lines (INTERNAL errors among them)
            # share an id of their own; the operations' tasks inherit it.
            structlog.contextvars.bind_contextvars(request_id=f"ws-{uuid.uuid4().hex[:12]}")
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope, receive))
        except (HTTPException, BadRequest, LimitExceeded) as refused:
            response = _refusal(refused, scope["method"])
        await response(scope, receive, send)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> Context:
        services: Services = request.app.state.services
        return Context(
            services=services,
            request=request,
            response=response,
            caller=caller_name(request, services.settings.api_tokens),
        )

    async def render_graphql_ide(self, request: Request) -> Response:
        """Our GraphiQL, built from ``frontend/`` and served offline, instead of strawberry's CDN page."""
        return pages.graphiql()

    def _validate_batch_request(self, request_data: Sequence[Any], protocol: Any) -> None:
        limit = get_settings().max_batch_size
        if not request_data:
            raise BadRequest("the batch is empty: send a JSON array of one or more operations")
        if len(request_data) > limit:
            raise LimitExceeded(f"a batch of {len(request_data)} operations exceeds MAX_BATCH_SIZE ({limit})")
        super()._validate_batch_request(request_data, protocol)  # type: ignore[arg-type]

    async def execute_single(self, *args: Any, **kwargs: Any) -> Any:
        request_data: GraphQLRequestData | None = kwargs.get("request_data", args[-1] if args else None)
        if _is_subscription(request_data):
            # strawberry would run it as a query and fail inside (INTERNAL): a client's mistake.
            raise BadRequest(
                "subscriptions are served over WebSocket (graphql-transport-ws) at /graphql, not over HTTP"
            )
        return await super().execute_single(*args, **kwargs)

    async def parse_http_body(self, request: Any) -> GraphQLRequestData | list[GraphQLRequestData]:
        try:
            return await super().parse_http_body(request)
        except (AttributeError, TypeError):  # strawberry reads .get() off what should be objects
            raise BadRequest(
                "the body must be a JSON object (one operation) or an array of such objects"
            ) from None

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """Who is calling: a bearer token in ``connection_init``'s payload (``{"Authorization":
        "Bearer …"}``, as browsers cannot set headers on a WebSocket) or in the handshake's headers.

        A token that is not one of API_TOKENS, or none while PUBLIC_QUERIES=false, closes the
        socket with 4403 and the reason.
        """
        settings = context.settings
        params = context.connection_params or {}
        presented = {str(key).lower(): str(value) for key, value in params.items() if isinstance(value, str)}
        if "token" in presented and "authorization" not in presented:
            presented["authorization"] = f"Bearer {presented['token']}"
        if "authorization" not in presented and "authorization" in context.request.headers:
            presented["authorization"] = context.request.headers["authorization"]
        if "authorization" in presented:
            caller = caller_from_headers(presented, settings.api_tokens)
            if caller is None:
                self._refuse(context, "Forbidden: the token is not one of API_TOKENS")
            context.caller = caller
        elif context.caller is None and not settings.public_queries:
            self._refuse(
                context,
                'Forbidden: send {"Authorization": "Bearer <token>"} in connection_init '
                "(PUBLIC_QUERIES=false)",
            )
        return cast(UnsetType, UNSET)

    @staticmethod
    def _refuse(context: Context, reason: str) -> NoReturn:
        context.request.scope[_REFUSAL] = reason
        raise ConnectionRejectionError({"message": reason})


def _refusal(refused: Exception, method: str) -> Response:
    if isinstance(refused, LimitExceeded | BadRequest):
        return error_response(400, refused.message, refused.code)
    assert isinstance(refused, HTTPException)
    if isinstance(refused.__cause__, InvalidOperationTypeError) and method == "GET":
        # Only queries may be sent by GET (a link must not change anything).
        return error_response(405, f"{refused.reason}; send it by POST", BadRequest.code, {"Allow": "POST"})
    return error_response(refused.status_code, refused.reason, BadRequest.code)


def _is_subscription(request_data: GraphQLRequestData | None) -> bool:
    """Whether the operation to run is a subscription (the text is parsed only if it could be one)."""
    query = getattr(request_data, "query", None)
    if not isinstance(query, str) or "subscription" not in query:
        return False
    try:
        document = parse(query)
    except GraphQLError:
        return False  # execution reports the syntax error with its code
    operation = get_operation_ast(document, getattr(request_data, "operation_name", None))
    return operation is not None and operation.operation == OperationType.SUBSCRIPTION
