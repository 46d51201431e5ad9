"""GraphQL type of a figure: Observation (one prefecture's monthly value of one indicator)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import strawberry

from service.domain.figures import FigureKey, Point, YearFigures
from service.domain.fiscal import FISCAL_SLOT, year_month
from service.domain.revisions import revisions
from service.domain.selection import Period
from service.graphql.context import Context
from service.graphql.reads import Built, reads
from service.graphql.types.indicators import Indicator
from service.graphql.types.node import GLOBAL_ID_DESCRIPTION, Node, base64_text
from service.graphql.types.places import Prefecture, prefecture_view
from service.graphql.types.revisions import Revision
from service.graphql.types.series import ComputedFigure


@dataclass(frozen=True, slots=True)
class ObservedSeries:
    """What the observations of one prefecture's series share: made once per series and request."""

    key: FigureKey
    indicator: Indicator
    prefecture: Prefecture
    #: The global id of the series' observation of a month is ``id_head + id_tails[month]``.
    id_head: str
    id_tails: dict[int, str]

    @classmethod
    def of(cls, key: FigureKey, indicator: Indicator, prefecture_code: str) -> ObservedSeries:
        """The series of ``key`` for a prefecture."""
        stem = observation_key(key.indicator_code, prefecture_code, key.breakdown, key.fiscal_year, 0)[:-1]
        head, tails = global_id_parts(f"Observation:{stem}".encode())
        return cls(key, indicator, prefecture_view(prefecture_code), head, tails)


def global_id_parts(stem: bytes) -> tuple[str, dict[int, str]]:
    """A series' ids in two parts: base64 turns each 3 bytes into 4 characters on their own, so the
    id of ``stem + month`` is the encoding of the stem's longest head of whole 3-byte groups
    (once per series) followed by the encoding of the rest and the month (shared by all series)."""
    cut = len(stem) - len(stem) % 3
    return base64_text(stem[:cut]), _month_tails(stem[cut:])


@lru_cache(maxsize=64)
def _month_tails(rest: bytes) -> dict[int, str]:
    """Month → the encoding of ``rest`` (at most 2 bytes) followed by the month's digits."""
    return {month: base64_text(rest + str(month).encode()) for month in range(1, 13)}


@strawberry.type(
    description="One prefecture's value of one indicator for one month (月次実績); its identity is the "
    "indicator, prefecture, breakdown, fiscal year and month."
)
class Observation(ComputedFigure, Node):
    """A computed point of a prefecture's series; its fields read the point and the series."""

    series: strawberry.Private[ObservedSeries]

    #: An observation is only its point and series: answers list them as ``Built`` tuples.
    __plan_parts__ = ("point", "series")

    @strawberry.field(description=GLOBAL_ID_DESCRIPTION)
    @reads("series.id_head + series.id_tails[point.month]")
    def id(self) -> strawberry.ID:
        # A dashboard answer has ~8,000 observations: each id is two encoded parts joined, not an
        # encoding of its own (a test holds them equal to encode_global_id's).
        return self.series.id_head + self.series.id_tails[self.point.month]  # type: ignore[return-value]

    @strawberry.field(description="Fiscal year (年度, April–March), e.g. 2026 for 令和8年度.")
    @reads("series.key.fiscal_year")
    def fiscal_year(self) -> int:
        return self.series.key.fiscal_year

    @strawberry.field(description="Calendar month, 1–12 (4 = April, the first of the fiscal year).")
    @reads("point.month")
    def month(self) -> int:
        return self.point.month

    @strawberry.field(description="Calendar year and month, `YYYY-MM` (2027-01 is in FY2026).")
    def year_month(self) -> str:
        return year_month(self.series.key.fiscal_year, self.point.month)

    @strawberry.field(description="Breakdown (内訳): `total` unless the indicator splits figures.")
    @reads("series.key.breakdown")
    def breakdown(self) -> str:
        return self.series.key.breakdown

    @strawberry.field(description="The indicator (指標) the figure belongs to.")
    @reads("series.indicator")
    def indicator(self) -> Indicator:
        return self.series.indicator

    @strawberry.field(
        description="Earlier values of this figure that later reports replaced (修正履歴), newest first; "
        "a report repeating the same value is no revision."
    )
    async def revisions(self, info: strawberry.Info[Context, None]) -> list[Revision]:
        versions = (await info.context.loaders.versions.load(self.series.key)).get(
            (self.series.prefecture.code, self.point.month), []
        )
        return [
            Revision(value=r.value, replaced_at=r.replaced_at, report_id=r.report_id)
            for r in revisions(versions)
        ]

    @strawberry.field(description="The prefecture (都道府県) whose center reported the figure.")
    @reads("series.prefecture")
    def prefecture(self) -> Prefecture:
        return self.series.prefecture

    def node_key(self) -> str:
        key = self.series.key
        return observation_key(
            key.indicator_code, self.series.prefecture.code, key.breakdown, key.fiscal_year, self.point.month
        )


def observation_key(indicator: str, prefecture: str, breakdown: str, fiscal_year: int, month: int) -> str:
    """The key of an observation within its type: ``onestop.consultations:13:total:2026:4``.

    Codes hold letters, digits, dots and underscores, never ``:``."""
    return f"{indicator}:{prefecture}:{breakdown}:{fiscal_year}:{month}"


def in_answer_order(
    loaded: list[YearFigures], codes: list[str], wanted: Period, views: dict[str, Indicator]
) -> Built[Observation]:
    """The prefectures' observations in the answer's order: fiscal year, fiscal month, prefecture
    (in ``codes``' order), then the order of ``loaded`` (which lists the keys year by year); as
    (point, series) tuples, an object made only where the general path reads one."""
    answer: list[tuple[Point, ObservedSeries]] = []
    for year in sorted({figures.key.fiscal_year for figures in loaded}):
        of_year = [(f, views[f.key.indicator_code]) for f in loaded if f.key.fiscal_year == year]
        by_month: list[list[tuple[Point, ObservedSeries]]] = [[] for _ in range(12)]  # April first
        whole = wanted.whole_years
        for code in codes:
            for figures, view in of_year:
                points = figures.prefecture_series(code)
                if not points:
                    continue
                series = ObservedSeries.of(figures.key, view, code)
                for point in points:
                    if whole or (year, point.month) in wanted:
                        by_month[FISCAL_SLOT[point.month]].append((point, series))
        for observations in by_month:
            answer += observations
    return Built(Observation, answer)
