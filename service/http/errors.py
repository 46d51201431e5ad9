"""The one shape of an HTTP error outside GraphQL execution: GraphQL's, with ``extensions.code``.

The HTTP layer's one builder of that body: the GraphQL view's refusals, middleware, the server's
protocol errors, exports and routing all answer with the body a GraphQL error has
(``{"data": null, "errors": [{"message", "extensions": {"code"}}]}``), so a client reads every
failure the same way, whichever layer answered.
"""

from __future__ import annotations

import orjson
from starlette.responses import Response
from starlette.types import Send

#: The code of a status when the layer that answered gave none.
STATUS_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    408: "REQUEST_TIMEOUT",
    413: "LIMIT_EXCEEDED",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "BAD_REQUEST",
    429: "LIMIT_EXCEEDED",
    500: "INTERNAL",
    503: "SERVICE_UNAVAILABLE",
}


def code_for(status: int) -> str:
    """The code an error status stands for (``BAD_REQUEST`` for other 4xx, ``INTERNAL`` for 5xx)."""
    return STATUS_CODES.get(status, "BAD_REQUEST" if status < 500 else "INTERNAL")


def error_body(message: str, code: str) -> bytes:
    """The JSON body of one error."""
    return orjson.dumps({"data": None, "errors": [{"message": message, "extensions": {"code": code}}]})


def error_response(
    status: int, message: str, code: str | None = None, headers: dict[str, str] | None = None
) -> Response:
    """A response carrying one error (``code`` from the status when not given)."""
    return Response(
        error_body(message, code or code_for(status)),
        status_code=status,
        headers=headers,
        media_type="application/json",
    )


async def send_error(send: Send, status: int, message: str, code: str | None = None) -> None:
    """Sends one error as the whole response (for ASGI middleware)."""
    body = error_body(message, code or code_for(status))
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
