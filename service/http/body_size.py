"""Request body limits, enforced while the body streams in (before JSON or multipart parsing reads it).

An upload (``multipart/form-data``) may carry a file of ``MAX_UPLOAD_BYTES``; any other body (a JSON
query) only ``MAX_JSON_BYTES``, since parsing a large JSON document blocks the event loop. A body
must also arrive within ``MAX_BODY_SECONDS``, so a client trickling bytes cannot hold a request open.
ASGI middleware of the HTTP layer; the upload limit's wording is ``service.uploads``', which also
refuses a file that streams past it.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.http.errors import send_error
from service.uploads import format_size, too_large_message

#: Room for the multipart framing and the operations/map parts around the file itself.
MULTIPART_OVERHEAD = 64 * 1024


def json_too_large_message(max_bytes: int) -> str:
    """The one wording of the JSON body limit error."""
    return (
        f"the request body is larger than the limit of {format_size(max_bytes)} for requests "
        "other than uploads (MAX_JSON_BYTES)"
    )


class _TooLarge(Exception):
    pass


class _TooSlow(Exception):
    pass


class BodySizeLimit:
    """Answers 413 with a GraphQL-shaped LIMIT_EXCEEDED error once a body passes its limit, and 408
    when it does not arrive in time.

    Parameters:
        app: the application to protect.
        max_bytes: the largest file an upload may carry; the body may be slightly larger.
        max_json_bytes: the largest body of any other request.
        max_seconds: how long the whole body may take to arrive.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        max_json_bytes: int = 1024 * 1024,
        max_seconds: float = 60.0,
    ) -> None:
        self.app = app
        self.max_bytes, self.max_json_bytes, self.max_seconds = max_bytes, max_json_bytes, max_seconds
        self.limit = max_bytes + MULTIPART_OVERHEAD

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        upload = headers.get(b"content-type", b"").lower().startswith(b"multipart/form-data")
        limit = self.limit if upload else self.max_json_bytes
        message = too_large_message(self.max_bytes) if upload else json_too_large_message(self.max_json_bytes)
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await send_error(send, 413, message, "LIMIT_EXCEEDED")
            return
        received = 0
        started = False
        body_done = False
        deadline = asyncio.get_running_loop().time() + self.max_seconds

        async def counting_receive() -> Message:
            nonlocal received, body_done
            if body_done:  # after the body, only a disconnect can come: wait for it as long as it takes
                return await receive()
            try:
                # asyncio.timeout, not wait_for: no extra task for every message of every request.
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise _TooSlow from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                body_done = not message.get("more_body", False)
                if received > limit:
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
                await send_error(send, 413, message, "LIMIT_EXCEEDED")
        except _TooSlow:
            if not started:
                await send_error(
                    send,
                    408,
                    f"the request body did not arrive within {self.max_seconds:g} s (MAX_BODY_SECONDS)",
                    "REQUEST_TIMEOUT",
                )
