"""Waiting for what a worker or server does in its own time."""

from __future__ import annotations

import asyncio
import time


async def eventually(check: object, timeout: float = 60.0, interval: float = 0.1) -> object:
    """Await an async check until it returns something truthy; that value."""
    deadline = time.monotonic() + timeout
    while True:
        value = await check()  # type: ignore[operator]
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(interval)
