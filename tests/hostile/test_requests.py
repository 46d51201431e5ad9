"""Hostile requests against a real uvicorn (``service.server``): headers, bodies, slow clients, routing.

Every refusal is JSON with a code, and ``/healthz`` keeps answering while it happens.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.support.processes import serving

TOKEN = "hostile-token"
UPLOAD = "mutation($file: Upload!) { uploadReport(file: $file) { id status filename } }"


@dataclass
class Served:
    base: str
    log: Path

    @property
    def address(self) -> tuple[str, int]:
        parts = urlsplit(self.base)
        assert parts.hostname is not None and parts.port is not None
        return parts.hostname, parts.port


@pytest.fixture(scope="module")
async def served(
    tmp_path_factory: pytest.TempPathFactory, redis_url: str, queue_name: str
) -> AsyncIterator[Served]:
    workdir = tmp_path_factory.mktemp("hostile-requests")
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'hostile.db'}",
        "REDIS_URL": redis_url,
        "QUEUE_NAME": f"{queue_name}:hostile-requests",
        "API_TOKENS": f"attacker:{TOKEN}",
        "SAMPLE_DATA": "0",
        "MAX_UPLOAD_BYTES": "200000",
        # Short deadlines so the tests wait seconds, not the production ten.
        "REQUEST_HEAD_SECONDS": "2",
        "MAX_BODY_SECONDS": "2",
    }
    log = workdir / "api.log"
    async with serving(env, log) as base:
        yield Served(base, log)


def coded(response: httpx.Response, status: int, code: str) -> str:
    """The message of a JSON error with this status and code (fails the test otherwise)."""
    assert response.status_code == status, (response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/json"), response.headers
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == code, error
    message: str = error["message"]
    return message


async def healthy(client: httpx.AsyncClient, base: str) -> None:
    """``/healthz`` answers within a second (the client's timeout raises otherwise)."""
    response = await client.get(f"{base}/healthz", timeout=1.0)
    assert response.status_code == 200


async def test_request_ids_are_kept_only_when_short_and_plain(served: Served) -> None:
    async with httpx.AsyncClient(base_url=served.base) as client:
        plain = await client.get("/healthz", headers={"X-Request-Id": "req-1.2_A"})
        assert plain.headers["x-request-id"] == "req-1.2_A"
        for hostile in (b"x" * 65, b"a b", "id\u202e".encode(), b"<script>", b"x" * 60_000):
            response = await client.get("/healthz", headers={"X-Request-Id": hostile})
            assert response.status_code == 200
            replaced = response.headers["x-request-id"]
            assert replaced.encode() != hostile and len(replaced) == 16
        # A control character is refused by the HTTP parser itself, in JSON too.
        coded(await client.get("/healthz", headers={"X-Request-Id": b"\x1b[2J"}), 400, "BAD_REQUEST")
    assert "x" * 1000 not in served.log.read_text(), "a huge request id reached the log"


async def test_json_bodies_have_a_much_smaller_limit_than_uploads(served: Served) -> None:
    async with httpx.AsyncClient(base_url=served.base, timeout=30) as client:
        padding = "a" * (2 * 1024 * 1024)
        body = json.dumps({"query": "{ __typename }", "variables": {"pad": padding}})
        streamed = await client.post(
            "/graphql", content=body.encode(), headers={"Content-Type": "application/json"}
        )
        assert "MAX_JSON_BYTES" in coded(streamed, 413, "LIMIT_EXCEEDED")

        async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it arrives
            for start in range(0, len(body), 65536):
                yield body[start : start + 65536].encode()

        chunked = await client.post(
            "/graphql", content=chunks(), headers={"Content-Type": "application/json"}
        )
        assert "MAX_JSON_BYTES" in coded(chunked, 413, "LIMIT_EXCEEDED")
        small = await client.post("/graphql", json={"query": "{ __typename }", "variables": {"p": "a" * 900}})
        assert small.json() == {"data": {"__typename": "Query"}}
        await healthy(client, served.base)


@pytest.mark.parametrize(
    "body",
    [
        b'{"query": "{ __typename }", "variables": {"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}",
        b"[" * 50_000 + b"]" * 50_000,
        b'{"query": "{ __typename }", "extensions": ' + b'{"a":' * 20_000 + b"1" + b"}" * 20_001,
    ],
)
async def test_deeply_nested_json_is_a_json_error(served: Served, body: bytes) -> None:
    async with httpx.AsyncClient(base_url=served.base, timeout=30) as client:
        response = await client.post("/graphql", content=body, headers={"Content-Type": "application/json"})
        coded(response, 400, "BAD_REQUEST")
        await healthy(client, served.base)


async def test_routing_errors_are_json_with_a_code(served: Served) -> None:
    async with httpx.AsyncClient(base_url=served.base) as client:
        coded(await client.get("/no/such/page"), 404, "NOT_FOUND")
        coded(await client.get("/static/no-such-asset.js"), 404, "NOT_FOUND")
        coded(await client.get("/export/observations.xml"), 404, "NOT_FOUND")
        coded(await client.get("/export/observations.csv/../../../etc/passwd"), 404, "NOT_FOUND")
        coded(await client.get("/export/%2e%2e%2f%2e%2e%2fetc%2fpasswd"), 404, "NOT_FOUND")
        not_allowed = await client.put("/graphql", content=b"{}")
        coded(not_allowed, 405, "METHOD_NOT_ALLOWED")
        assert "POST" in not_allowed.headers["allow"]
        coded(await client.delete("/healthz"), 405, "METHOD_NOT_ALLOWED")
        too_large = await client.post(
            "/graphql",
            content=b"x" * 300_000,
            headers={"Content-Type": "multipart/form-data; boundary=b", "Authorization": f"Bearer {TOKEN}"},
        )
        coded(too_large, 413, "LIMIT_EXCEEDED")
        for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml", ""):
            odd = await client.post(
                "/graphql", content=b'{"query": "{ __typename }"}', headers={"Content-Type": content_type}
            )
            coded(odd, 400, "BAD_REQUEST")


def _multipart(parts: list[tuple[str, str | None, bytes]], extra_header: bytes = b"") -> bytes:
    out = b""
    for name, filename, content in parts:
        disposition = f'Content-Disposition: form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        out += b"--B\r\n" + disposition.encode() + extra_header + b"\r\n\r\n" + content + b"\r\n"
    return out + b"--B--\r\n"


OPERATIONS = json.dumps({"query": UPLOAD, "variables": {"file": None}}).encode()


@pytest.mark.parametrize(
    ("name", "parts", "extra_header"),
    [
        ("map is a list", [("operations", None, OPERATIONS), ("map", None, b"[1]")], b""),
        (
            "operations is a list",
            [("operations", None, b"[1, 2]"), ("map", None, b'{"0": ["0.variables.file"]}')],
            b"",
        ),
        ("map is not JSON", [("operations", None, OPERATIONS), ("map", None, b"{{{")], b""),
        (
            "map names no file",
            [("operations", None, OPERATIONS), ("map", None, b'{"9": ["variables.file"]}')],
            b"",
        ),
        (
            "map points into the query",
            [("operations", None, OPERATIONS), ("map", None, b'{"0": ["query"]}')],
            b"",
        ),
        (
            "thousands of parts",
            [("operations", None, OPERATIONS), ("map", None, b'{"0": ["variables.file"]}')]
            + [(f"p{n}", None, b"x") for n in range(3000)],
            b"",
        ),
        (
            "thousands of files",
            [("operations", None, OPERATIONS), ("map", None, b'{"0": ["variables.file"]}')]
            + [(f"f{n}", "f.txt", b"x") for n in range(2000)],
            b"",
        ),
        (
            "huge part headers",
            [("operations", None, OPERATIONS), ("map", None, b'{"0": ["variables.file"]}')],
            b"\r\nX-Padding: " + b"p" * 150_000,
        ),
    ],
)
async def test_malformed_multipart_uploads_are_refused_with_a_code(
    served: Served, name: str, parts: list[tuple[str, str | None, bytes]], extra_header: bytes
) -> None:
    body = _multipart([*parts, ("0", "report.txt", b"hello")], extra_header)
    headers = {"Content-Type": "multipart/form-data; boundary=B", "Authorization": f"Bearer {TOKEN}"}
    async with httpx.AsyncClient(base_url=served.base, timeout=30) as client:
        response = await client.post("/graphql", content=body, headers=headers)
        assert response.status_code in (400, 413), (name, response.status_code, response.text[:300])
        assert response.json()["errors"][0]["extensions"]["code"] in ("BAD_REQUEST", "LIMIT_EXCEEDED"), name
        reports = await client.post("/graphql", json={"query": "{ reports { totalCount } }"})
        assert reports.json()["data"]["reports"]["totalCount"] == 0, f"{name} recorded a report"


async def _slow_socket(address: tuple[str, int]) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection(*address)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    await writer.drain()
    return reader, writer


async def _closed_by_server(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
    """Keeps sending a header byte now and then (slowloris) until the server closes the socket."""
    for _ in range(40):  # 40 × 0.25 s: well past REQUEST_HEAD_SECONDS=2
        try:
            writer.write(b"X")
            await writer.drain()
            if await asyncio.wait_for(reader.read(1024), 0.25) == b"":
                return True
        except TimeoutError:
            continue
        except (ConnectionError, OSError):
            return True
    return False


async def test_slowloris_sockets_are_cut_off_while_health_answers(served: Served) -> None:
    sockets = await asyncio.gather(*(_slow_socket(served.address) for _ in range(400)))
    try:
        watchers = [asyncio.create_task(_closed_by_server(r, w)) for r, w in sockets]
        async with httpx.AsyncClient() as client:
            for _ in range(10):
                await healthy(client, served.base)
                await asyncio.sleep(0.2)
        closed = await asyncio.gather(*watchers)
        assert all(closed), f"{closed.count(False)} of 400 slow sockets were still open"
        async with httpx.AsyncClient() as client:
            await healthy(client, served.base)
    finally:
        for _, writer in sockets:
            writer.close()


async def test_a_silent_connection_is_closed(served: Served) -> None:
    reader, writer = await asyncio.open_connection(*served.address)
    try:
        assert await asyncio.wait_for(reader.read(1024), 10) == b""
    finally:
        writer.close()


async def test_a_request_head_past_its_limit_is_refused(served: Served) -> None:
    reader, writer = await asyncio.open_connection(*served.address)
    try:
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        # 100 × 1 KB of headers, never finished: past MAX_REQUEST_HEAD_BYTES (64 KB).
        for _ in range(100):
            writer.write(b"X-Pad: " + b"p" * 1024 + b"\r\n")
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), 10)
    finally:
        writer.close()
    assert answer.startswith(b"HTTP/1.1 431"), answer[:200]
    assert b'"LIMIT_EXCEEDED"' in answer


async def test_a_trickled_body_is_cut_off(served: Served) -> None:
    reader, writer = await asyncio.open_connection(*served.address)
    try:
        writer.write(
            b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000\r\n\r\n{"
        )
        await writer.drain()
        answer = b""
        for _ in range(120):  # a byte every 0.25 s: the body would take minutes
            try:
                writer.write(b" ")
                await writer.drain()
                answer += await asyncio.wait_for(reader.read(4096), 0.25)
            except TimeoutError:
                continue
            except (ConnectionError, OSError):
                break
            if b"}]}" in answer:
                break
    finally:
        writer.close()
    assert answer.startswith(b"HTTP/1.1 408"), answer[:300]
    assert b'"REQUEST_TIMEOUT"' in answer and b"MAX_BODY_SECONDS" in answer
