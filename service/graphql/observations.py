"""GraphQL type of a figure: Observation (one prefecture's monthly value of one indicator)."""

from __future__ import annotations

import strawberry

from service import reference
from service.figures import FigureKey, Point
from service.fiscal import year_month
from service.graphql.context import Context
from service.graphql.geography import Prefecture
from service.graphql.history import Revision
from service.graphql.indicators import Indicator
from service.history import revisions


@strawberry.type(description="One prefecture's value of one indicator for one month (月次実績).")
class Observation:
    fiscal_year: int = strawberry.field(
        description="Fiscal year (年度, April–March), e.g. 2026 for 令和8年度."
    )
    month: int = strawberry.field(
        description="Calendar month, 1–12 (4 = April, the first of the fiscal year)."
    )
    year_month: str = strawberry.field(
        description="Calendar year and month, `YYYY-MM` (2027-01 is in FY2026)."
    )
    breakdown: str = strawberry.field(
        description="Breakdown (内訳): `total` unless the indicator splits figures."
    )
    value: int = strawberry.field(
        description="The figure for the month (月の実績値), from the current report."
    )
    cumulative: int = strawberry.field(
        description="Computed fiscal-year-to-date sum (累計): April through this month."
    )
    reported_cumulative: int | None = strawberry.field(
        description="The 累計値 printed by the latest report whose last month is this month, if any."
    )
    cumulative_matches_report: bool | None = strawberry.field(
        description="Whether `cumulative` equals `reportedCumulative`; null when nothing is printed."
    )
    share_of_national: float | None = strawberry.field(
        description="Fraction of the national sum that month (全国比); null when the national sum is 0."
    )
    rank: int | None = strawberry.field(
        description="Rank among the 47 prefectures that month (順位, 1 = largest; ties share a rank)."
    )
    change_from_previous_month: int | None = strawberry.field(
        description="Change from the month before (April compares with the previous March); "
        "null where there is no figure, never 0."
    )
    change_from_previous_year: int | None = strawberry.field(
        description="Change from the same month of the previous fiscal year (前年同月差); "
        "null without a figure."
    )
    key: strawberry.Private[FigureKey]
    prefecture_code: strawberry.Private[str]

    @strawberry.field(description="The indicator (指標) the figure belongs to.")
    async def indicator(self, info: strawberry.Info[Context, None]) -> Indicator:
        indicators = await info.context.loaders.indicators()
        return Indicator.from_row(indicators[self.key.indicator_code])

    @strawberry.field(
        description="Earlier values of this figure that later reports replaced (修正履歴), newest first; "
        "a report repeating the same value is no revision."
    )
    async def revisions(self, info: strawberry.Info[Context, None]) -> list[Revision]:
        versions = (await info.context.loaders.versions.load(self.key)).get(
            (self.prefecture_code, self.month), []
        )
        return [
            Revision(value=r.value, replaced_at=r.replaced_at, report_id=r.report_id)
            for r in revisions(versions)
        ]

    @strawberry.field(description="The prefecture (都道府県) whose center reported the figure.")
    def prefecture(self) -> Prefecture:
        return Prefecture.of(reference.prefecture(self.prefecture_code))

    @classmethod
    def of(cls, point: Point, key: FigureKey) -> Observation:
        """The GraphQL view of a prefecture's computed point."""
        assert point.prefecture_code is not None
        return cls(
            fiscal_year=key.fiscal_year,
            month=point.month,
            year_month=year_month(key.fiscal_year, point.month),
            breakdown=key.breakdown,
            value=point.value,
            cumulative=point.cumulative,
            reported_cumulative=point.reported_cumulative,
            cumulative_matches_report=point.cumulative_matches_report,
            share_of_national=point.share_of_national,
            rank=point.rank,
            change_from_previous_month=point.change_from_previous_month,
            change_from_previous_year=point.change_from_previous_year,
            key=key,
            prefecture_code=point.prefecture_code,
        )
