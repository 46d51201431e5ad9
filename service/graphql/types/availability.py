"""GraphQL types that tell a client what data exists: FiscalYearData and IndicatorMonths."""

from __future__ import annotations

import strawberry

from service.domain.fiscal import fiscal_index
from service.graphql.context import Context
from service.graphql.types.indicators import Indicator


@strawberry.type(description="The months for which one indicator has figures in a fiscal year.")
class IndicatorMonths:
    months: list[int] = strawberry.field(description="Calendar months with figures, in fiscal order.")
    indicator_code: strawberry.Private[str]

    @strawberry.field(description="The indicator (指標).")
    async def indicator(self, info: strawberry.Info[Context, None]) -> Indicator:
        indicators = await info.context.loaders.indicators()
        return Indicator.from_row(indicators[self.indicator_code])


@strawberry.type(description="A fiscal year (年度) that has figures, and which months of it do.")
class FiscalYearData:
    fiscal_year: int = strawberry.field(description="Fiscal year, e.g. 2026 for 令和8年度.")
    months: list[int] = strawberry.field(
        description="Calendar months for which any indicator has figures, in fiscal order."
    )
    indicators: list[IndicatorMonths] = strawberry.field(description="Per indicator, its months.")

    @classmethod
    def of(cls, fiscal_year: int, by_indicator: dict[str, list[int]]) -> FiscalYearData:
        """The GraphQL view of one year's availability."""
        every = {month for months in by_indicator.values() for month in months}
        return cls(
            fiscal_year=fiscal_year,
            months=sorted(every, key=fiscal_index),
            indicators=[IndicatorMonths(months=m, indicator_code=c) for c, m in by_indicator.items()],
        )
