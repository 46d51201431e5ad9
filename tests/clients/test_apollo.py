"""Apollo Client 4 with graphql-ws (Node, the frontend's devDependencies) receives pushed statuses."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.support.live import TOKEN, Live, fresh_report
from tests.support.paths import ROOT

SCRIPT = Path(__file__).with_name("apollo_subscribe.cjs")
FRONTEND = ROOT / "frontend"


async def line(process: asyncio.subprocess.Process) -> dict[str, Any]:
    assert process.stdout is not None
    raw = await asyncio.wait_for(process.stdout.readline(), 60)
    assert raw, "the Apollo client ended without an update"
    parsed: dict[str, Any] = json.loads(raw)
    return parsed


async def test_apollo_client_receives_queued_processing_succeeded(live: Live) -> None:
    node = shutil.which("node")
    if node is None or not (FRONTEND / "node_modules" / "@apollo" / "client").is_dir():
        pytest.fail("needs Node.js and frontend/node_modules (make install)")
    with live.paused():
        report_id = await live.upload(fresh_report())
        process = await asyncio.create_subprocess_exec(
            node,
            str(SCRIPT),
            str(FRONTEND),
            live.ws_url,
            TOKEN,
            report_id,
            stdout=asyncio.subprocess.PIPE,
        )
        updates = [await line(process)]  # QUEUED, while the worker cannot have moved it
    while updates[-1].get("status") not in ("SUCCEEDED", "FAILED", None):
        updates.append(await line(process))
    assert await asyncio.wait_for(process.wait(), 30) == 0
    assert [update.get("status") for update in updates] == ["QUEUED", "PROCESSING", "SUCCEEDED"], updates
    assert updates[-1]["id"] == report_id and updates[-1]["valuesStored"] > 0
