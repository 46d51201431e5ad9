"""The Subscription root: report status pushed over graphql-transport-ws."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry
from sqlmodel import select

from service import status_events
from service.graphql.context import Context
from service.graphql.errors import NotFound
from service.graphql.reports import Report, parse_report_id
from service.models import Report as ReportRow

_DONE = ("SUCCEEDED", "FAILED")


@strawberry.type(description="Live updates (WebSocket, graphql-transport-ws).")
class Subscription:
    @strawberry.subscription(
        description="The report now, then again each time its status changes; ends once it is "
        "SUCCEEDED or FAILED, so a client need not poll."
    )
    async def report_status(
        self,
        info: strawberry.Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="Report id.")],
    ) -> AsyncGenerator[Report, None]:
        report_id = parse_report_id(id)
        services = info.context.services
        last: tuple[str, object] | None = None
        async for _ in status_events.changes(services.redis, report_id):
            async with services.sessions() as session:
                row = (await session.exec(select(ReportRow).where(ReportRow.id == report_id))).first()
            if row is None:
                raise NotFound(f"no report {id}")
            if (row.status, row.status_changed_at) != last:
                last = (row.status, row.status_changed_at)
                yield Report.of(row)
            if row.status in _DONE:
                return
