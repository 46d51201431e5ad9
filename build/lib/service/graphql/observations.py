"""GraphQL type of a figure: Observation (one prefecture's monthly value of one indicator)."""

from __future__ import annotations

import strawberry

from service import reference
from service.figures import FigureRow
from service.fiscal import year_month
from service.graphql.context import Context
from service.graphql.geography import Prefecture
from service.graphql.indicators import Indicator


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
    indicator_code: strawberry.Private[str]
    prefecture_code: strawberry.Private[str]

    @strawberry.field(description="The indicator (指標) the figure belongs to.")
    async def indicator(self, info: strawberry.Info[Context, None]) -> Indicator:
        indicators = await info.context.loaders.indicators()
        return Indicator.from_row(indicators[self.indicator_code])

    @strawberry.field(description="The prefecture (都道府県) whose center reported the figure.")
    def prefecture(self) -> Prefecture:
        return Prefecture.of(reference.prefecture(self.prefecture_code))

    @classmethod
    def of(cls, row: FigureRow) -> Observation:
        """The GraphQL view of a current figure."""
        return cls(
            fiscal_year=row.fiscal_year,
            month=row.month,
            year_month=year_month(row.fiscal_year, row.month),
            breakdown=row.breakdown,
            value=row.value,
            cumulative=row.cumulative,
            reported_cumulative=row.reported_cumulative,
            indicator_code=row.indicator_code,
            prefecture_code=row.prefecture_code,
        )
