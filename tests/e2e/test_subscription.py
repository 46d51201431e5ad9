"""Report status pushed over graphql-transport-ws, against a real uvicorn server and worker."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import websockets

from tests.conftest import SEED, multipart, serving

TOKEN = "ws-secret"
SUBSCRIBE = "subscription($id: ID!) { reportStatus(id: $id) { id status error warnings valuesStored } }"


@pytest.fixture(scope="module")
async def server(
    redis_url: str, queue_name: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """uvicorn serving service.app:app on a free loopback port, with one worker, on SQLite."""
    workdir = tmp_path_factory.mktemp("ws")
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'ws.db'}",
        "REDIS_URL": redis_url,
        "QUEUE_NAME": f"{queue_name}:ws",
        "API_TOKENS": f"ws:{TOKEN}",
    }
    async with serving(env, workdir / "server.log") as base:
        yield base


async def upload(base: str, content: bytes, name: str) -> str:
    query = "mutation($file: Upload!) { uploadReport(file: $file) { id } }"
    async with httpx.AsyncClient(base_url=base) as client:
        body = await multipart(client, query, content, name, token=TOKEN)
    report_id: str = body["data"]["uploadReport"]["id"]
    return report_id


async def statuses(base: str, report_id: str) -> list[dict[str, Any]]:
    """Every update the subscription pushes until it completes."""
    url = base.replace("http://", "ws://") + "/graphql"
    seen: list[dict[str, Any]] = []
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": SUBSCRIBE, "variables": {"id": report_id}},
                }
            )
        )
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), 30))
            if message["type"] == "complete":
                return seen
            assert message["type"] == "next", message
            assert "errors" not in message["payload"], message
            seen.append(message["payload"]["data"]["reportStatus"])


async def test_status_is_pushed_until_the_report_is_done(server: str) -> None:
    report_id = await upload(server, SEED.read_bytes(), "seed.txt")
    updates = await statuses(server, report_id)
    assert updates[-1]["status"] == "SUCCEEDED" and updates[-1]["valuesStored"] == 658
    assert [u["status"] for u in updates] == sorted(
        {u["status"] for u in updates}, key=["QUEUED", "PROCESSING", "SUCCEEDED"].index
    )


async def test_a_failed_report_pushes_its_error(server: str) -> None:
    report_id = await upload(server, b"\x00\x01binary", "junk.bin")
    updates = await statuses(server, report_id)
    assert updates[-1]["status"] == "FAILED" and "junk.bin" in updates[-1]["error"]
