"""GraphQL types of figure history: Revision (an earlier value) and Change (what a report changed).

Below reports (Report.changes lists these): it names Report back through ``types.lazy``."""

from __future__ import annotations

from datetime import datetime

import strawberry

from service.db.models import FigureChange
from service.graphql.context import Context
from service.graphql.types.indicators import Indicator
from service.graphql.types.lazy import ReportsModule
from service.graphql.types.places import Prefecture, prefecture_view
from service.previews import ChangedFigure

Info = strawberry.Info[Context, None]


@strawberry.type(description="An earlier value of a figure (修正前の値) that a later report replaced.")
class Revision:
    value: int = strawberry.field(description="The earlier value.")
    replaced_at: datetime = strawberry.field(description="When a newer report replaced it (UTC).")
    report_id: strawberry.Private[int]

    @strawberry.field(
        description="The report that gave the earlier value.", graphql_type=ReportsModule.type("Report")
    )
    async def report(self, info: Info) -> object:
        row = await info.context.loaders.report.load(self.report_id)
        assert row is not None  # figures are deleted with their report
        return ReportsModule.get("Report").of(row)


@strawberry.type(description="A figure already stored that a report changed (修正).")
class Change:
    fiscal_year: int = strawberry.field(description="Fiscal year (年度).")
    month: int = strawberry.field(description="Calendar month 1-12.")
    breakdown: str = strawberry.field(description="Breakdown (内訳).")
    old_value: int = strawberry.field(description="The value before the report.")
    new_value: int = strawberry.field(description="The report's value.")
    indicator_code: strawberry.Private[str]
    prefecture_code: strawberry.Private[str]

    @strawberry.field(description="The indicator (指標).")
    async def indicator(self, info: Info) -> Indicator:
        return Indicator.from_row((await info.context.loaders.indicators())[self.indicator_code])

    @strawberry.field(description="The prefecture (都道府県).")
    def prefecture(self) -> Prefecture:
        return prefecture_view(self.prefecture_code)

    @classmethod
    def of(cls, change: FigureChange | ChangedFigure) -> Change:
        """The GraphQL view of a stored change, or of one a preview lists (the same fields)."""
        return cls(
            fiscal_year=change.fiscal_year,
            month=change.month,
            breakdown=change.breakdown,
            old_value=change.old_value,
            new_value=change.new_value,
            indicator_code=change.indicator_code,
            prefecture_code=change.prefecture_code,
        )
