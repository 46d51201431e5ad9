"""GraphQL types of computed figures: Series and SeriesPoint (cumulative, share, rank, changes).

Below places and indicators, whose types (Prefecture.series, Indicator.ranking) return these:
it names Prefecture and Indicator back through ``types.lazy``."""

from __future__ import annotations

import strawberry

from service.domain.figures import Point, YearFigures
from service.domain.fiscal import year_month
from service.graphql.context import Context
from service.graphql.reads import reads
from service.graphql.types.lazy import IndicatorsModule, PlacesModule


@strawberry.type(
    description="What is computed for a month's figure (計算値); shared by points and observations."
)
class ComputedFigure:
    """A view of a computed ``Point``: the object is made per figure, so it holds only the point."""

    point: strawberry.Private[Point]

    @strawberry.field(description="The month's figure (月の実績値); for a region or the nation, the sum.")
    @reads("point.value")
    def value(self) -> int:
        return self.point.value

    @strawberry.field(description="Fiscal-year-to-date sum (累計), April through this month.")
    @reads("point.cumulative")
    def cumulative(self) -> int:
        return self.point.cumulative

    @strawberry.field(
        description="The printed 累計値 through this month, from the latest report ending with it "
        "(for the nation: the 合計 row's); null when none is printed."
    )
    @reads("point.reported_cumulative")
    def reported_cumulative(self) -> int | None:
        return self.point.reported_cumulative

    @strawberry.field(
        description="Whether `cumulative` equals `reportedCumulative`; null when nothing is printed."
    )
    @reads("point.cumulative_matches_report")
    def cumulative_matches_report(self) -> bool | None:
        return self.point.cumulative_matches_report

    @strawberry.field(
        description="Fraction of the national sum that month (全国比), prefectures only; null when it is 0."
    )
    @reads("point.share_of_national")
    def share_of_national(self) -> float | None:
        return self.point.share_of_national

    @strawberry.field(
        description="Rank among the 47 prefectures (順位, 1 = largest; ties share a rank), prefectures only."
    )
    @reads("point.rank")
    def rank(self) -> int | None:
        return self.point.rank

    @strawberry.field(
        description="Change from the month before (前月差, April compares with the previous March); "
        "null where there is no figure, never 0."
    )
    @reads("point.change_from_previous_month")
    def change_from_previous_month(self) -> int | None:
        return self.point.change_from_previous_month

    @strawberry.field(
        description="Change from the same month of the previous fiscal year (前年同月差); "
        "null where there is no figure, never 0."
    )
    @reads("point.change_from_previous_year")
    def change_from_previous_year(self) -> int | None:
        return self.point.change_from_previous_year


@strawberry.type(description="One month of a series, with what is computed from the figures (計算値).")
class SeriesPoint(ComputedFigure):
    month: int = strawberry.field(description="Calendar month, 1–12.")
    year_month: str = strawberry.field(description="Calendar year and month, `YYYY-MM`.")
    reported_total: int | None = strawberry.field(
        description="National series only: the printed 合計 of the month, beside the computed `value`."
    )
    prefecture_code: strawberry.Private[str | None]

    @strawberry.field(
        description="The prefecture, in rankings and prefecture series; null for sums.",
        graphql_type=PlacesModule.type("Prefecture") | None,
    )
    def prefecture(self) -> object:
        code = self.prefecture_code
        return None if code is None else PlacesModule.get("prefecture_view")(code)

    @classmethod
    def of(cls, point: Point, fiscal_year: int) -> SeriesPoint:
        """The GraphQL view of a computed point."""
        return cls(
            point=point,
            month=point.month,
            year_month=year_month(fiscal_year, point.month),
            reported_total=point.reported_total,
            prefecture_code=point.prefecture_code,
        )


@strawberry.type(description="A year of monthly figures in fiscal order (April first), ready for a chart.")
class Series:
    fiscal_year: int = strawberry.field(description="Fiscal year (年度).")
    breakdown: str = strawberry.field(description="Breakdown (内訳) the figures are of.")
    points: list[SeriesPoint] = strawberry.field(description="The months that have figures, April first.")
    total: int = strawberry.field(description="Sum over the year so far (the last point's cumulative).")
    indicator_code: strawberry.Private[str]

    @strawberry.field(description="The indicator (指標).", graphql_type=IndicatorsModule.type("Indicator"))
    async def indicator(self, info: strawberry.Info[Context, None]) -> object:
        indicators = await info.context.loaders.indicators()
        return IndicatorsModule.get("Indicator").from_row(indicators[self.indicator_code])

    @classmethod
    def of(cls, figures: YearFigures, points: list[Point]) -> Series:
        """A series from computed points."""
        key = figures.key
        return cls(
            fiscal_year=key.fiscal_year,
            breakdown=key.breakdown,
            points=[SeriesPoint.of(p, key.fiscal_year) for p in points],
            total=points[-1].cumulative if points else 0,
            indicator_code=key.indicator_code,
        )
