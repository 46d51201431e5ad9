"""Report status changes, pushed: the worker publishes on Redis; each API process holds one
subscription to that channel (``StatusFeed``) and fans the changes out to every follower.

Publishing is best effort: the feed also re-reads the followed reports now and then (one query
for all of them) and after reconnecting to Redis, so a lost message delays an update but never
loses it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass, field

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.db.models import Report, ReportStatus

log = structlog.get_logger("service.status_events")
CHANNEL = "yorozu:report-status"
#: Longest wait between attempts to subscribe again after Redis went away.
MAX_BACKOFF_SECONDS = 5.0


async def publish(redis: Redis, report_id: int) -> None:
    """Tell subscribers that a report's status changed."""
    try:
        await redis.publish(CHANNEL, str(report_id))
    except (OSError, ConnectionError, RedisError) as error:
        log.warning("status.publish_failed", report_id=report_id, error=repr(error))


class FeedFull(Exception):
    """The process follows as many reports as MAX_SUBSCRIPTIONS allows."""


@dataclass(eq=False)
class _Topic:
    """One followed report: its last row read, and who waits for it."""

    report_id: int
    followers: set[asyncio.Event] = field(default_factory=set)
    #: The row last read (None: no such report); meaningful once ``reads`` > 0.
    row: Report | None = None
    reads: int = 0
    reading: bool = False
    #: A change was announced while a read was under way: read once more after it.
    stale: bool = False


class StatusFeed:
    """The process's one Redis subscription to status changes, shared by every follower.

    A change is read from the database once per report, however many follow it, and handed to
    each of them. Nothing runs until the first follower comes.
    """

    def __init__(
        self,
        redis: Redis,
        sessions: async_sessionmaker[AsyncSession],
        *,
        max_followers: int,
        recheck_seconds: float,
        before_success: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self._redis, self._sessions = redis, sessions
        #: Awaited before a follower hears SUCCEEDED (the process catches up with the new data).
        self._before_success = before_success
        self.max_followers, self.recheck_seconds = max_followers, recheck_seconds
        self._topics: dict[int, _Topic] = {}
        self._followers = 0
        self._tasks: list[asyncio.Task[None]] = []
        self._reads: set[asyncio.Task[None]] = set()
        #: Set while the Redis subscription is in place (tests wait for it).
        self.listening = asyncio.Event()

    @property
    def followers(self) -> int:
        """Followers now, over all reports."""
        return self._followers

    async def follow(self, report_id: int) -> AsyncGenerator[Report | None, None]:
        """The report's row now, then each time it changes (None: there is no such report).

        Raises FeedFull when MAX_SUBSCRIPTIONS followers are already here.
        """
        if self._followers >= self.max_followers:
            raise FeedFull(f"this process already serves {self._followers} subscriptions")
        self._start()
        topic = self._topics.setdefault(report_id, _Topic(report_id))
        woken = asyncio.Event()
        topic.followers.add(woken)
        self._followers += 1
        try:
            self._refresh(topic)  # the current row, whatever was read for others before
            last: tuple[object, ...] | None = None
            while True:
                await woken.wait()
                woken.clear()
                row = topic.row
                state = None if row is None else (row.status, row.status_changed_at, row.error)
                if topic.reads and (last is None or state != last):
                    last = state if state is not None else ()
                    if row is not None and row.status == ReportStatus.SUCCEEDED and self._before_success:
                        with contextlib.suppress(Exception):  # then the process no longer trusts memory
                            await self._before_success()
                    yield row
        finally:
            self._followers -= 1
            topic.followers.discard(woken)
            if not topic.followers:
                self._topics.pop(report_id, None)

    def _start(self) -> None:
        if not self._tasks:
            self._tasks = [asyncio.create_task(self._listen()), asyncio.create_task(self._recheck())]

    async def aclose(self) -> None:
        """Stop listening (at shutdown)."""
        tasks = [*self._tasks, *self._reads]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def _listen(self) -> None:
        backoff = 0.1
        while True:
            pubsub = self._redis.pubsub()
            try:
                await pubsub.subscribe(CHANNEL)
                self.listening.set()
                backoff = 0.1
                # Messages published while we were not subscribed are lost: read everything once.
                for topic in list(self._topics.values()):
                    self._refresh(topic)
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        self._announced(message.get("data"))
            except (OSError, ConnectionError, RedisError) as error:
                self.listening.clear()
                log.warning("status.feed_disconnected", error=repr(error), retry_in=backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]

    def _announced(self, data: object) -> None:
        text = data.decode() if isinstance(data, bytes) else str(data)
        topic = self._topics.get(int(text)) if text.isdigit() else None
        if topic is not None:
            self._refresh(topic)

    def _refresh(self, topic: _Topic) -> None:
        """Read the topic's row again (once, however often asked while a read is under way)."""
        if topic.reading:
            topic.stale = True
            return
        topic.reading = True
        task = asyncio.create_task(self._read(topic))
        self._reads.add(task)
        task.add_done_callback(self._reads.discard)

    async def _read(self, topic: _Topic) -> None:
        try:
            while True:
                topic.stale = False
                try:
                    async with self._sessions() as session:
                        topic.row = await session.get(Report, topic.report_id)
                except Exception as error:  # the database is away: the recheck tries again
                    log.warning("status.read_failed", report_id=topic.report_id, error=repr(error))
                    return
                topic.reads += 1
                for woken in topic.followers:
                    woken.set()
                if not topic.stale:
                    return
        finally:
            topic.reading = False

    async def _recheck(self) -> None:
        """The safety net: every RECHECK seconds, one query for every followed report."""
        while True:
            await asyncio.sleep(self.recheck_seconds)
            topics = dict(self._topics)
            if not topics:
                continue
            # A read that ends while this query runs is fresher than it: such topics are skipped.
            reads = {report_id: topic.reads for report_id, topic in topics.items()}
            try:
                async with self._sessions() as session:
                    rows = await session.exec(select(Report).where(col(Report.id).in_(list(topics))))
                    found = {row.id: row for row in rows.all()}
            except Exception as error:
                log.warning("status.recheck_failed", error=repr(error))
                continue
            for report_id, topic in topics.items():
                if topic.reading or topic.reads != reads[report_id]:
                    continue  # a fresher read is under way or done
                topic.row, topic.reads = found.get(report_id), topic.reads + 1
                for woken in topic.followers:
                    woken.set()
