"""Report status changes, pushed: the worker publishes on Redis, subscriptions wait on it.

Publishing is best effort: a subscriber also re-reads the report now and then, so a lost
message (Redis restarted) delays an update but never loses it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import structlog
from redis.asyncio import Redis
from redis.asyncio.client import PubSub

log = structlog.get_logger("service.status_events")
CHANNEL = "yorozu:report-status"
#: Seconds between re-reads when no message arrives.
RECHECK_SECONDS = 2.0


async def publish(redis: Redis, report_id: int) -> None:
    """Tell subscribers that a report's status changed."""
    try:
        await redis.publish(CHANNEL, str(report_id))
    except (OSError, ConnectionError) as error:
        log.warning("status.publish_failed", report_id=report_id, error=repr(error))


async def changes(redis: Redis, report_id: int) -> AsyncIterator[None]:
    """Yields whenever the report may have changed: on its message, or every RECHECK_SECONDS."""
    pubsub: PubSub | None = redis.pubsub()
    try:
        await pubsub.subscribe(CHANNEL)  # type: ignore[union-attr]
    except (OSError, ConnectionError):
        pubsub = None
    try:
        while True:
            yield
            if pubsub is None:
                await asyncio.sleep(RECHECK_SECONDS)
                continue
            deadline = asyncio.get_running_loop().time() + RECHECK_SECONDS
            while (left := deadline - asyncio.get_running_loop().time()) > 0:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=left)
                if message is not None and message.get("data") in (str(report_id), str(report_id).encode()):
                    break
    finally:
        if pubsub is not None:
            with contextlib.suppress(Exception):
                await pubsub.aclose()  # type: ignore[no-untyped-call]
