"""The Subscription root: report status pushed over graphql-transport-ws."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import aclosing
from typing import Annotated

import strawberry

from service.graphql.context import Context
from service.graphql.errors import LimitExceeded, NotFound
from service.graphql.types.reports import Report, parse_report_id
from service.status_events import FeedFull

_DONE = ("SUCCEEDED", "FAILED")


@strawberry.type(description="Live updates (WebSocket, graphql-transport-ws).")
class Subscription:
    @strawberry.subscription(
        description="The report now, then again each time its status changes; ends once it is "
        "SUCCEEDED or FAILED, so a client need not poll. A state that lasted less than a read "
        "may be skipped; the last one never is."
    )
    async def report_status(
        self,
        info: strawberry.Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="Report id.")],
    ) -> AsyncGenerator[Report, None]:
        report_id = parse_report_id(id)
        context = info.context
        limit = context.settings.max_subscriptions_per_connection
        if context.connection.subscriptions >= limit:
            raise LimitExceeded(
                f"this connection already has {limit} subscriptions open "
                "(MAX_SUBSCRIPTIONS_PER_CONNECTION); complete one first"
            )
        context.connection.subscriptions += 1
        try:
            async with aclosing(context.services.status_feed.follow(report_id)) as rows:
                async for row in rows:
                    if row is None:
                        raise NotFound(f"no report {id}")
                    yield Report.of(row)
                    if row.status in _DONE:
                        return
        except FeedFull as error:
            raise LimitExceeded(f"{error} (MAX_SUBSCRIPTIONS); try again later") from None
        finally:
            context.connection.subscriptions -= 1
