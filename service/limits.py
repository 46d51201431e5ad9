"""Request body limit, enforced while the body streams in (before multipart parsing spools it)."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Room for the multipart framing and the operations/map parts around the file itself.
MULTIPART_OVERHEAD = 64 * 1024


def format_size(size: int) -> str:
    """A byte count as people write limits: ``20 MB``, ``512 KB`` or ``200,000 bytes``."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size:,} bytes"


def too_large_message(max_bytes: int) -> str:
    """The one wording of the upload limit error."""
    return f"the file is larger than the upload limit of {format_size(max_bytes)}"


class _TooLarge(Exception):
    pass


class BodySizeLimit:
    """Answers 413 with a GraphQL-shaped LIMIT_EXCEEDED error once a body passes ``max_bytes``.

    Parameters:
        app: the application to protect.
        max_bytes: the largest file an upload may carry; the body may be slightly larger.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.limit = max_bytes + MULTIPART_OVERHEAD

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {
                "data": None,
                "errors": [
                    {
                        "message": too_large_message(self.max_bytes),
                        "extensions": {"code": "LIMIT_EXCEEDED"},
                    }
                ],
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
