"""Report status pushed over graphql-transport-ws (text frames), against real uvicorn and a worker:
the statuses in order, tokens in connection_init, errors with codes, and the subscription caps on
one shared Redis subscription per process."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import websockets
from websockets.asyncio.client import ClientConnection

from tests.support.live import STATUS, TOKEN, Live, fresh_report, live_service
from tests.support.paths import SEED
from tests.support.processes import serving

PER_CONNECTION, PER_PROCESS = 3, 7


@pytest.fixture(scope="module")
async def live(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Live]:
    settings = {
        "MAX_SUBSCRIPTIONS_PER_CONNECTION": str(PER_CONNECTION),
        "MAX_SUBSCRIPTIONS": str(PER_PROCESS),
    }
    async with live_service(tmp_path_factory.mktemp("ws"), **settings) as service:
        yield service


async def receive(ws: ClientConnection) -> dict[str, Any]:
    """The next message, which must come as a text frame (graphql-ws closes on a binary one)."""
    frame = await asyncio.wait_for(ws.recv(), 30)
    assert isinstance(frame, str), f"a binary frame: {frame!r}"
    message: dict[str, Any] = json.loads(frame)
    return message


async def connect(live: Live, payload: dict[str, Any] | None = None) -> ClientConnection:
    ws = await websockets.connect(live.ws_url, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
    await ws.send(json.dumps({"type": "connection_init", "payload": payload or {}}))
    assert (await receive(ws))["type"] == "connection_ack"
    return ws


async def subscribe(ws: ClientConnection, number: str, report_id: str) -> None:
    message = {"query": STATUS, "variables": {"id": report_id}}
    await ws.send(json.dumps({"id": number, "type": "subscribe", "payload": message}))


async def rest(ws: ClientConnection, number: str) -> list[dict[str, Any]]:
    """The updates of subscription ``number`` until it completes."""
    seen = []
    while True:
        message = await receive(ws)
        if message["type"] == "complete":
            return seen
        assert message["type"] == "next" and message["id"] == number, message
        assert "errors" not in message["payload"], message
        seen.append(message["payload"]["data"]["reportStatus"])


async def test_statuses_are_pushed_in_text_frames_queued_to_succeeded(live: Live) -> None:
    with live.paused():
        report_id = await live.upload(SEED.read_bytes(), "seed.txt")
        ws = await connect(live)
        await subscribe(ws, "1", report_id)
        first = await receive(ws)
        assert first["payload"]["data"]["reportStatus"]["status"] == "QUEUED", first
    updates = await rest(ws, "1")
    await ws.close()
    assert [update["status"] for update in updates] == ["PROCESSING", "SUCCEEDED"]
    assert updates[-1]["valuesStored"] == 658


async def test_a_failed_report_pushes_its_error(live: Live) -> None:
    report_id = await live.upload(b"\x00\x01binary", "junk.bin")
    ws = await connect(live)
    await subscribe(ws, "1", report_id)
    updates = await rest(ws, "1")
    assert updates[-1]["status"] == "FAILED" and "junk.bin" in updates[-1]["error"]


@pytest.mark.parametrize(
    ("report_id", "code"), [("x", "BAD_USER_INPUT"), ("999999", "NOT_FOUND")], ids=["bad-id", "unknown"]
)
async def test_subscription_errors_carry_codes(live: Live, report_id: str, code: str) -> None:
    ws = await connect(live)
    await subscribe(ws, "1", report_id)
    message = await receive(ws)
    await ws.close()
    assert message["type"] in ("next", "error"), message
    errors = message["payload"]["errors"] if message["type"] == "next" else message["payload"]
    assert [error["extensions"]["code"] for error in errors] == [code], message


@pytest.mark.parametrize("where", ["connection_init", "header"])
async def test_a_wrong_token_closes_the_socket_with_4403(live: Live, where: str) -> None:
    wrong = {"Authorization": "Bearer nope"}
    ws = await websockets.connect(
        live.ws_url,
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        additional_headers=wrong if where == "header" else None,
    )
    payload = wrong if where == "connection_init" else {}
    await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await receive(ws)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4403 and "API_TOKENS" in closed.value.rcvd.reason


async def test_closed_mode_needs_the_token_in_connection_init(
    live: Live, redis_url: str, queue_name: str, tmp_path: Path
) -> None:
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'closed.db'}",
        "REDIS_URL": redis_url,
        "QUEUE_NAME": f"{queue_name}:closed-ws",
        "API_TOKENS": f"live:{TOKEN}",
        "PUBLIC_QUERIES": "false",
        "SAMPLE_DATA": "false",
    }
    async with serving(env, tmp_path / "closed.log", worker=False) as base:
        url = base.replace("http://", "ws://") + "/graphql"
        for payload in ({}, {"Authorization": "Bearer nope"}):
            ws = await websockets.connect(url, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
            await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await receive(ws)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403, payload
        ws = await websockets.connect(url, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {TOKEN}"}}
        await ws.send(json.dumps(init))
        assert (await receive(ws))["type"] == "connection_ack"
        await subscribe(ws, "1", "999999")
        assert (await receive(ws))["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        await ws.close()


async def test_subscriptions_share_one_redis_connection_and_are_capped(live: Live) -> None:
    with live.paused():
        report_id = await live.upload(fresh_report())
        first = await connect(live)
        await subscribe(first, "1", report_id)
        assert (await receive(first))["payload"]["data"]["reportStatus"]["status"] == "QUEUED"
        # The process's status feed is subscribed now; every later subscription shares it.
        clients = await live.redis_clients()
        sockets = [first, await connect(live), await connect(live)]
        opened = 1
        for ws in sockets:
            for number in range(2 if ws is first else 1, PER_CONNECTION + 1):
                await subscribe(ws, str(number), report_id)
                message = await receive(ws)
                assert message["type"] == "next" and "errors" not in message["payload"], message
                opened += 1
                if opened == PER_PROCESS:
                    break
            if opened == PER_PROCESS:
                break
        assert opened == PER_PROCESS
        assert await live.redis_clients() == clients
        # One more on a connection that is full, and one on a connection with room: both refused.
        await subscribe(sockets[0], "9", report_id)
        per_connection = await receive(sockets[0])
        await subscribe(sockets[2], "9", report_id)
        per_process = await receive(sockets[2])
        for message, setting in (
            (per_connection, "MAX_SUBSCRIPTIONS_PER_CONNECTION"),
            (per_process, "(MAX_SUBSCRIPTIONS)"),
        ):
            [error] = message["payload"]["errors"]
            assert error["extensions"]["code"] == "LIMIT_EXCEEDED" and setting in error["message"], message
    for ws in sockets:
        await ws.close()
