"""The status feed: one Redis subscription and one read per change, however many follow; nothing lost
when a message is (the periodic re-read) or when the subscription drops (read again on reconnecting)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Any

import pytest
from redis.asyncio import Redis
from sqlalchemy import event, update
from sqlalchemy.ext.asyncio import AsyncEngine

from service import status_events
from service.db import data_version
from service.db.data_version import DataVersions
from service.db.engine import session_factory
from service.db.models import Report, ReportStatus
from service.dev.embedded_redis import start_redis
from service.status_events import FeedFull, StatusFeed
from tests.support.ingested import processing_report


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    """A redis-server of the test's own: the test kills its clients."""
    server, url = start_redis()
    client = Redis.from_url(url)
    yield client
    await client.aclose()
    server.terminate()
    server.wait(10)


async def set_status(engine: AsyncEngine, report_id: int, status: ReportStatus) -> None:
    table = Report.__table__  # type: ignore[attr-defined]
    async with engine.begin() as connection:
        await connection.execute(update(table).where(table.c.id == report_id).values(status=status))


async def next_status(updates: Any) -> str:
    row = await asyncio.wait_for(anext(updates), 30)
    return str(row.status)


async def test_many_followers_share_one_read_per_change(engine: AsyncEngine, redis: Redis) -> None:
    report_id = await processing_report(engine, b"feed")
    feed = StatusFeed(redis, session_factory(engine), max_followers=100, recheck_seconds=3600)
    followers = [feed.follow(report_id) for _ in range(50)]
    try:
        assert {await next_status(f) for f in followers} == {"PROCESSING"}
        await asyncio.wait_for(feed.listening.wait(), 30)
        reads: list[str] = []
        event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: reads.append(str(a[2])))
        await set_status(engine, report_id, ReportStatus.SUCCEEDED)
        reads.clear()
        await status_events.publish(redis, report_id)
        assert {await next_status(f) for f in followers} == {"SUCCEEDED"}
        assert len([sql for sql in reads if "FROM report" in sql]) == 1, reads
        assert feed.followers == 50
    finally:
        for follower in followers:
            await follower.aclose()
        await feed.aclose()
    assert feed.followers == 0


async def test_a_lost_message_is_made_up_by_the_periodic_re_read(engine: AsyncEngine, redis: Redis) -> None:
    report_id = await processing_report(engine, b"lost")
    feed = StatusFeed(redis, session_factory(engine), max_followers=10, recheck_seconds=0.2)
    try:
        async with aclosing(feed.follow(report_id)) as updates:
            assert await next_status(updates) == "PROCESSING"
            await set_status(engine, report_id, ReportStatus.FAILED)  # and nothing published
            assert await next_status(updates) == "FAILED"
    finally:
        await feed.aclose()


async def test_a_dropped_subscription_is_renewed_and_reads_again(engine: AsyncEngine, redis: Redis) -> None:
    report_id = await processing_report(engine, b"dropped")
    feed = StatusFeed(redis, session_factory(engine), max_followers=10, recheck_seconds=3600)
    try:
        async with aclosing(feed.follow(report_id)) as updates:
            assert await next_status(updates) == "PROCESSING"
            await asyncio.wait_for(feed.listening.wait(), 30)
            # A change whose message was lost (none is published), then the subscription drops.
            await set_status(engine, report_id, ReportStatus.SUCCEEDED)
            await redis.execute_command("CLIENT", "KILL", "TYPE", "pubsub")
            assert await next_status(updates) == "SUCCEEDED"
    finally:
        await feed.aclose()


async def test_followers_beyond_the_cap_are_refused(engine: AsyncEngine, redis: Redis) -> None:
    report_id = await processing_report(engine, b"cap")
    feed = StatusFeed(redis, session_factory(engine), max_followers=2, recheck_seconds=3600)
    followers = [feed.follow(report_id) for _ in range(2)]
    try:
        for follower in followers:
            await next_status(follower)
        with pytest.raises(FeedFull):
            await anext(feed.follow(report_id))
    finally:
        for follower in followers:
            await follower.aclose()
        await feed.aclose()


async def test_success_is_told_only_once_the_process_knows_the_new_data(
    engine: AsyncEngine, redis: Redis
) -> None:
    """A client told SUCCEEDED over the socket may query at once: by then this process has read
    the data version the report's commit made, so its response cache cannot answer from before."""
    report_id = await processing_report(engine, b"caught-up")
    versions = DataVersions(engine)
    learnt: list[int] = []

    async def before_success() -> None:
        await versions.catch_up()
        learnt.append(versions.known)

    feed = StatusFeed(
        redis, session_factory(engine), max_followers=10, recheck_seconds=3600, before_success=before_success
    )
    try:
        async with aclosing(feed.follow(report_id)) as updates:
            assert await next_status(updates) == "PROCESSING"
            assert learnt == []
            await asyncio.wait_for(feed.listening.wait(), 30)
            async with engine.begin() as connection:
                await data_version.bump(connection)
            await set_status(engine, report_id, ReportStatus.SUCCEEDED)
            await status_events.publish(redis, report_id)
            assert await next_status(updates) == "SUCCEEDED"
            assert learnt == [await data_version.current(engine)]
    finally:
        await feed.aclose()
        await versions.aclose()
