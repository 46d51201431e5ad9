"""GraphQL type of a figure: Observation (one prefecture's monthly value of one indicator)."""

from __future__ import annotations

import strawberry

from service.domain.figures import FigureKey, YearFigures
from service.domain.fiscal import FISCAL_SLOT, year_month
from service.domain.revisions import revisions
from service.domain.selection import Period
from service.graphql.context import Context
from service.graphql.types.indicators import Indicator
from service.graphql.types.node import Node
from service.graphql.types.places import Prefecture, prefecture_view
from service.graphql.types.revisions import Revision
from service.graphql.types.series import ComputedFigure


@strawberry.type(
    description="One prefecture's value of one indicator for one month (月次実績); its identity is the "
    "indicator, prefecture, breakdown, fiscal year and month."
)
class Observation(ComputedFigure, Node):
    key: strawberry.Private[FigureKey]
    #: Shared by every observation of the indicator in a response.
    indicator_view: strawberry.Private[Indicator]

    @strawberry.field(description="Fiscal year (年度, April–March), e.g. 2026 for 令和8年度.")
    def fiscal_year(self) -> int:
        return self.key.fiscal_year

    @strawberry.field(description="Calendar month, 1–12 (4 = April, the first of the fiscal year).")
    def month(self) -> int:
        return self.point.month

    @strawberry.field(description="Calendar year and month, `YYYY-MM` (2027-01 is in FY2026).")
    def year_month(self) -> str:
        return year_month(self.key.fiscal_year, self.point.month)

    @strawberry.field(description="Breakdown (内訳): `total` unless the indicator splits figures.")
    def breakdown(self) -> str:
        return self.key.breakdown

    @strawberry.field(description="The indicator (指標) the figure belongs to.")
    def indicator(self) -> Indicator:
        return self.indicator_view

    @strawberry.field(
        description="Earlier values of this figure that later reports replaced (修正履歴), newest first; "
        "a report repeating the same value is no revision."
    )
    async def revisions(self, info: strawberry.Info[Context, None]) -> list[Revision]:
        versions = (await info.context.loaders.versions.load(self.key)).get(
            (self.prefecture_code, self.point.month), []
        )
        return [
            Revision(value=r.value, replaced_at=r.replaced_at, report_id=r.report_id)
            for r in revisions(versions)
        ]

    @strawberry.field(description="The prefecture (都道府県) whose center reported the figure.")
    def prefecture(self) -> Prefecture:
        return prefecture_view(self.prefecture_code)

    def node_key(self) -> str:
        return observation_key(
            self.key.indicator_code,
            self.prefecture_code,
            self.key.breakdown,
            self.key.fiscal_year,
            self.point.month,
        )

    @property
    def prefecture_code(self) -> str:
        assert self.point.prefecture_code is not None, "observations are of prefectures"
        return self.point.prefecture_code


def observation_key(indicator: str, prefecture: str, breakdown: str, fiscal_year: int, month: int) -> str:
    """The key of an observation within its type: ``onestop.consultations:13:total:2026:4``.

    Codes hold letters, digits, dots and underscores, never ``:``."""
    return f"{indicator}:{prefecture}:{breakdown}:{fiscal_year}:{month}"


def in_answer_order(
    loaded: list[YearFigures], codes: list[str], wanted: Period, views: dict[str, Indicator]
) -> list[Observation]:
    """The prefectures' observations in the answer's order: fiscal year, fiscal month, prefecture
    (in ``codes``' order), then the order of ``loaded`` (which lists the keys year by year)."""
    answer: list[Observation] = []
    for year in sorted({figures.key.fiscal_year for figures in loaded}):
        of_year = [(f, views[f.key.indicator_code]) for f in loaded if f.key.fiscal_year == year]
        by_month: list[list[Observation]] = [[] for _ in range(12)]  # fiscal order, April first
        for code in codes:
            for figures, view in of_year:
                for point in figures.prefecture_series(code):
                    if wanted.whole_years or (year, point.month) in wanted:
                        by_month[FISCAL_SLOT[point.month]].append(
                            Observation(point=point, key=figures.key, indicator_view=view)
                        )
        for observations in by_month:
            answer += observations
    return answer
