"""GraphQL type of a figure: Observation (one prefecture's monthly value of one indicator)."""

from __future__ import annotations

import strawberry

from service.figures import FigureKey, Point
from service.fiscal import year_month
from service.graphql.context import Context
from service.graphql.geography import Prefecture, prefecture_view
from service.graphql.history import Revision
from service.graphql.indicators import Indicator
from service.graphql.series import ComputedFigure, computed_fields
from service.history import revisions


@strawberry.type(description="One prefecture's value of one indicator for one month (月次実績).")
class Observation(ComputedFigure):
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
    key: strawberry.Private[FigureKey]
    prefecture_code: strawberry.Private[str]
    #: Shared by every observation of the indicator in a response.
    indicator_view: strawberry.Private[Indicator]

    @strawberry.field(description="The indicator (指標) the figure belongs to.")
    def indicator(self) -> Indicator:
        return self.indicator_view

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
        return prefecture_view(self.prefecture_code)

    @classmethod
    def of(cls, point: Point, key: FigureKey, indicator: Indicator) -> Observation:
        """The GraphQL view of a prefecture's computed point of ``indicator``."""
        assert point.prefecture_code is not None
        return cls(
            **computed_fields(point),
            fiscal_year=key.fiscal_year,
            month=point.month,
            year_month=year_month(key.fiscal_year, point.month),
            breakdown=key.breakdown,
            key=key,
            prefecture_code=point.prefecture_code,
            indicator_view=indicator,
        )
