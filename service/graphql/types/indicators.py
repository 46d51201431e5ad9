"""GraphQL types of the indicator catalogue: Section and Indicator.

Above series (Indicator.ranking returns its points), which names Indicator back through
``types.lazy``."""

from __future__ import annotations

import enum
from typing import Annotated

import strawberry

from service.db.models import Indicator as IndicatorRow
from service.domain.selection import check_month
from service.graphql.arguments import year_figures
from service.graphql.context import Context
from service.graphql.types.node import Node
from service.graphql.types.series import SeriesPoint


@strawberry.enum(description="A part of the results page (相談等実績の区分).")
class Section(enum.Enum):
    ONE_STOP = strawberry.enum_value(
        "onestop", description="(1) ワンストップ相談窓口 — the one-stop consultation desk."
    )
    PRODUCTIVITY = strawberry.enum_value(
        "productivity", description="(2) 生産性向上支援センター — the productivity support centre."
    )


@strawberry.type(description="An indicator (指標): one table of the monthly results page.")
class Indicator(Node):
    code: str = strawberry.field(
        description="Stable code clients use, e.g. `onestop.consultations` (相談実績件数)."
    )
    section: Section = strawberry.field(description="The section (区分) the table is printed in.")
    number: str = strawberry.field(description="The table's number as printed, e.g. `2` or `⑨b`.")
    name: str = strawberry.field(description="Japanese title (表題), e.g. 相談実績件数.")
    name_en: str | None = strawberry.field(description="English name, where one is catalogued.")
    definition: str | None = strawberry.field(
        description="The definition printed under the table (◆◆ 定義), as clean sentences."
    )
    unit: str = strawberry.field(description="Unit counted (単位): 事業者, 件 or 人.")
    breakdowns: list[str] = strawberry.field(
        description="Breakdowns (内訳) the figures come in; `total` unless the table splits them "
        "(⑨b: `trainee` トレーニー, `seconded` 出向者, `total` 合計)."
    )
    prints_cumulative: bool = strawberry.field(
        description="Whether the report prints a fiscal-year-to-date column (累計値) for it."
    )
    catalogued: bool = strawberry.field(
        description="False for a table no catalogued indicator matched; its code was generated."
    )

    @strawberry.field(
        description="The 47 prefectures ranked for one month (順位), largest first; by the fiscal-year "
        "cumulative when `cumulative` is true."
    )
    async def ranking(
        self,
        info: strawberry.Info[Context, None],
        fiscal_year: Annotated[int, strawberry.argument(description="Fiscal year (年度).")],
        month: Annotated[int, strawberry.argument(description="Calendar month 1-12.")],
        cumulative: Annotated[
            bool, strawberry.argument(description="Rank by the year to date instead of the month.")
        ] = False,
        breakdown: Annotated[str, strawberry.argument(description="Breakdown (内訳).")] = "total",
    ) -> list[SeriesPoint]:
        check_month(month)
        figures = await year_figures(info.context, self.code, fiscal_year, breakdown)
        return [SeriesPoint.of(p, fiscal_year) for p in figures.ranking(month, cumulative=cumulative)]

    def node_key(self) -> str:
        return self.code

    @classmethod
    def from_row(cls, row: IndicatorRow) -> Indicator:
        """The GraphQL view of a stored indicator."""
        return cls(
            code=row.code,
            section=Section(row.section),
            number=row.number,
            name=row.name,
            name_en=row.name_en,
            definition=row.definition,
            unit=row.unit,
            breakdowns=list(row.breakdowns),
            prints_cumulative=row.prints_cumulative,
            catalogued=row.catalogued,
        )
