"""Start-up and shutdown shared by the API and the worker: settings, logs, the migrated database, Redis.

``start`` opens what a process holds for its whole life (``Services``) and ``stop`` closes it;
``service.app``'s lifespan and ``workers.jobs``' arq hooks are both this one pair.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import structlog
from arq.connections import ArqRedis
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from service import collector, queue
from service.db.data_version import DataVersions
from service.db.engine import create_engine, is_unavailable, migrate, session_factory
from service.logs import configure_logging
from service.settings import Settings, get_settings
from service.status_events import StatusFeed

log = structlog.get_logger("service.runtime")
#: The longest pause between two attempts to reach a database that is away (seconds).
_DATABASE_BACKOFF_CAP = 30


@dataclass
class Services:
    """What a process opens once at start-up and every request (or job) shares."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    redis: ArqRedis
    #: The process's one subscription to report status changes (opened on first use).
    status_feed: StatusFeed = field(init=False)
    #: The data version, pushed to this process (listening from the first request on).
    data_versions: DataVersions = field(init=False)

    def __post_init__(self) -> None:
        self.data_versions = DataVersions(self.engine)
        self.status_feed = StatusFeed(
            self.redis,
            self.sessions,
            max_followers=self.settings.max_subscriptions,
            recheck_seconds=self.settings.status_recheck_seconds,
            before_success=self.data_versions.catch_up,
        )


async def start(
    *,
    redis: ArqRedis | None = None,
    wait_for_database: bool = False,
    warm_up: Callable[[], Awaitable[None]] | None = None,
) -> Services:
    """Read the settings, configure logs, open and migrate the database, connect to Redis.

    ``redis``: a connection the caller owns (arq's, in the worker); otherwise one is opened here.
    ``wait_for_database``: wait, with backoff, for a database that is unavailable instead of
    failing (the worker rides out an outage; the API fails so that its supervisor sees it).
    ``warm_up`` runs last but before the garbage collector is settled, so what it leaves is
    frozen with the rest of start-up (``service.collector``).
    """
    settings = get_settings()
    configure_logging(settings.log_level)
    engine = create_engine(settings.database_url)
    await _migrate(engine, wait=wait_for_database)
    services = Services(
        settings=settings,
        engine=engine,
        sessions=session_factory(engine),
        redis=redis if redis is not None else await queue.connect(settings),
    )
    if warm_up is not None:
        await warm_up()
    collector.settle_after_start_up()
    return services


async def stop(services: Services, *, close_redis: bool = True) -> None:
    """Close what ``start`` opened; ``close_redis=False`` leaves a connection the caller owns."""
    await services.status_feed.aclose()
    await services.data_versions.aclose()
    if close_redis:
        await services.redis.aclose()
    await services.engine.dispose()


async def _migrate(engine: AsyncEngine, *, wait: bool) -> None:
    for attempt in itertools.count(1):
        try:
            await migrate(engine)
            return
        except Exception as error:
            if not (wait and is_unavailable(error)):
                raise
            log.warning("startup.database_unavailable", attempt=attempt, error=repr(error))
            await asyncio.sleep(min(2**attempt, _DATABASE_BACKOFF_CAP))
