"""The API server: ``python -m service.server [uvicorn options]`` runs uvicorn with limits on clients.

uvicorn bounds idle keep-alive connections and (with ``--limit-concurrency``) how many connections
and requests it serves at once, but not how long a client may take to send its request line and
headers, nor (with httptools) how large they may be: a few hundred sockets sending a header byte
every few seconds (slowloris) would each be held open for ever. ``HeadLimitedProtocol`` closes a
connection whose request head takes longer than ``REQUEST_HEAD_SECONDS`` and answers 431 to a head
larger than ``MAX_REQUEST_HEAD_BYTES``; the request body is bounded by ``service.http.body_size``.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from service.http.errors import error_body
from service.settings import get_settings

_HEAD_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: application/json\r\n"
    b"connection: close\r\ncontent-length: %d\r\n\r\n%s"
)
#: How long a refused connection is read (and its bytes dropped) before it is closed.
LINGER_SECONDS = 2.0
_BAD_REQUEST = (
    b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n"
    b"connection: close\r\ncontent-length: %d\r\n\r\n%s"
)


class HeadLimitedProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline and a size limit for each request's head."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = get_settings()
        self.head_seconds, self.max_head_bytes = (
            settings.request_head_seconds,
            settings.max_request_head_bytes,
        )
        self.awaiting_head = True
        self.head_bytes = 0
        self.head_timer: asyncio.TimerHandle | None = None
        #: Set once a head was refused: what else arrives is read and dropped until the socket closes.
        self.refused = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head()  # a connection that never sends a byte is timed out too

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.refused:
            return
        was_awaiting = self.awaiting_head
        super().data_received(data)
        if was_awaiting and self.awaiting_head:
            self.head_bytes += len(data)
            if self.head_bytes > self.max_head_bytes and not self.transport.is_closing():
                self._refuse_head()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if not self.awaiting_head:
            self._await_head()

    def on_headers_complete(self) -> None:
        self.awaiting_head = False
        self._stop_head_timer()
        super().on_headers_complete()

    def _await_head(self) -> None:
        self.awaiting_head, self.head_bytes = True, 0
        self._stop_head_timer()
        self.head_timer = self.loop.call_later(self.head_seconds, self._head_timed_out)

    def _stop_head_timer(self) -> None:
        if self.head_timer is not None:
            self.head_timer.cancel()
            self.head_timer = None

    def _head_timed_out(self) -> None:
        self.head_timer = None
        if self.awaiting_head and not self.transport.is_closing():
            self.logger.info("closing a connection whose request head took over %ss", self.head_seconds)
            self.transport.close()

    def _refuse_head(self) -> None:
        body = error_body(
            "the request line and headers are larger than MAX_REQUEST_HEAD_BYTES", "LIMIT_EXCEEDED"
        )
        self.transport.write(_HEAD_TOO_LARGE % (len(body), body))
        # Closing with the client's bytes still unread would reset the connection and could lose the
        # answer; so stop writing, drop what still arrives, and close a moment later (lingering close).
        self.refused = True
        self._stop_head_timer()
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(LINGER_SECONDS, self.transport.close)

    def send_400_response(self, msg: str) -> None:
        """A request uvicorn cannot parse (a control character in a header …): JSON, like every error."""
        body = error_body(msg, "BAD_REQUEST")
        self.transport.write(_BAD_REQUEST % (len(body), body))
        self.transport.close()


def uvicorn_arguments() -> list[str]:
    """The options every run of the API gets (``make run``, the Dockerfile, compose, the tests)."""
    settings = get_settings()
    return [
        "service.app:app",
        "--http",
        "service.server:HeadLimitedProtocol",
        # An idle keep-alive connection is closed after this long.
        "--timeout-keep-alive",
        str(settings.keep_alive_seconds),
        # Past this many open connections or running requests, new requests are answered 503.
        "--limit-concurrency",
        str(settings.max_connections),
    ]


def main(argv: list[str]) -> None:
    """Runs uvicorn with ``uvicorn_arguments()`` followed by ``argv`` (``--host``, ``--port`` …)."""
    uvicorn.main.main(args=[*uvicorn_arguments(), *argv], prog_name="service.server")


if __name__ == "__main__":
    main(sys.argv[1:])
