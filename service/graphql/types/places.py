"""GraphQL types of places: Prefecture (都道府県), Region (地方区分 / 経済産業局) and RegionKind.

The top of its type family: it imports series and case studies, which name Prefecture back
through ``types.lazy`` (``PlacesModule``)."""

from __future__ import annotations

import enum
from functools import cache
from typing import Annotated

import strawberry

from service.domain import reference
from service.graphql.arguments import year_figures
from service.graphql.context import Context
from service.graphql.types.case_studies import CaseStudy, case_study_page
from service.graphql.types.node import Node
from service.graphql.types.pagination import (
    AfterArgument,
    BeforeArgument,
    Connection,
    FirstArgument,
    LastArgument,
    PageRequest,
)
from service.graphql.types.series import Series

Info = strawberry.Info[Context, None]
IndicatorArgument = Annotated[
    str, strawberry.argument(description="Indicator code, e.g. `onestop.consultations`.")
]
FiscalYearArgument = Annotated[int, strawberry.argument(description="Fiscal year (年度), e.g. 2026.")]
BreakdownArgument = Annotated[str, strawberry.argument(description="Breakdown (内訳): `total`, `trainee`, …")]


@strawberry.type(description="A よろず支援拠点 (Yorozu Support Center): the prefecture's center.")
class SupportCenter:
    name: str = strawberry.field(description="The center's name, e.g. 東京都よろず支援拠点.")
    url: str | None = strawberry.field(
        description="The center's website, as listed by the national headquarters."
    )


@strawberry.enum(description="The two ways prefectures are grouped.")
class RegionKind(enum.Enum):
    AREA = strawberry.enum_value("area", description="The 8 areas (八地方区分).")
    BUREAU = strawberry.enum_value(
        "bureau",
        description="The METI regional bureaus (経済産業局 and 沖縄総合事務局) that administer the centers.",
    )


@strawberry.type(description="A prefecture (都道府県) and its よろず支援拠点.")
class Prefecture(Node):
    code: str = strawberry.field(description="JIS X 0401 code, `01` (北海道) to `47` (沖縄県).")
    name: str = strawberry.field(description="Japanese name, e.g. 東京都.")
    short_name: str = strawberry.field(description="Name without 都/府/県, e.g. 東京.")
    name_en: str = strawberry.field(description="English name, e.g. Tokyo.")
    report_order: int = strawberry.field(
        description="Position in the results pages, which list prefectures by bureau."
    )
    area_code: strawberry.Private[str]
    bureau_code: strawberry.Private[str]

    @strawberry.field(
        description="e-Stat's area code (地域コード) of the prefecture, e.g. `13000` for 東京都; "
        "every prefecture filter accepts it."
    )
    def estat_code(self) -> str:
        return reference.estat_code(self.code)

    def node_key(self) -> str:
        return self.code

    @strawberry.field(description="The 8-area region (地方区分) the prefecture belongs to.")
    def area(self) -> Region:
        return Region.of(_region(self.area_code))

    @strawberry.field(description="The METI regional bureau (経済産業局) that administers its center.")
    def bureau(self) -> Region:
        return Region.of(_region(self.bureau_code))

    @strawberry.field(description="The prefecture's よろず支援拠点: its name and website.")
    def center(self) -> SupportCenter:
        pref = reference.prefecture(self.code)
        return SupportCenter(name=pref.center_name, url=pref.center_url)

    @strawberry.field(
        description="The link to the center's case studies (支援事例) that the latest report gave "
        "(a real link, not `#`); null until a report gives one."
    )
    async def case_study_url(self, info: Info) -> str | None:
        return (await info.context.loaders.case_study_urls()).get(self.code)

    @strawberry.field(description="The center's case studies (支援事例), newest publication first.")
    async def case_studies(
        self,
        info: Info,
        first: FirstArgument = None,
        after: AfterArgument = None,
        last: LastArgument = None,
        before: BeforeArgument = None,
    ) -> Connection[CaseStudy]:
        request = PageRequest.of(
            first=first, after=after, last=last, before=before, limit=info.context.settings.max_page_size
        )
        rows = await info.context.loaders.prefecture_case_studies.load(self.code)
        return case_study_page(rows, request)

    @strawberry.field(
        description="A fiscal year of the prefecture's figures (months in fiscal order) with cumulative, "
        "share of the national sum, rank and changes."
    )
    async def series(
        self,
        info: Info,
        indicator: IndicatorArgument,
        fiscal_year: FiscalYearArgument,
        breakdown: BreakdownArgument = "total",
    ) -> Series:
        figures = await year_figures(info.context, indicator, fiscal_year, breakdown)
        return Series.of(figures, figures.prefecture_series(self.code))

    @classmethod
    def of(cls, pref: reference.Prefecture) -> Prefecture:
        """The GraphQL view of a reference prefecture."""
        return cls(
            code=pref.code,
            name=pref.name,
            short_name=pref.short_name,
            name_en=pref.name_en,
            report_order=pref.report_order,
            area_code=pref.area,
            bureau_code=pref.bureau,
        )


@strawberry.type(description="A group of prefectures: an area (地方) or a METI bureau (経済産業局).")
class Region(Node):
    code: str = strawberry.field(description="Stable code, e.g. `kanto` or `meti_kanto`.")
    kind: RegionKind = strawberry.field(description="Area or bureau.")
    name: str = strawberry.field(description="Japanese name, e.g. 関東地方, 関東経済産業局.")
    name_en: str = strawberry.field(description="English name.")

    def node_key(self) -> str:
        return self.code

    @strawberry.field(description="Member prefectures, in the order the results pages list them.")
    def prefectures(self) -> list[Prefecture]:
        return [Prefecture.of(p) for p in reference.region_prefectures(_region(self.code))]

    @strawberry.field(
        description="A fiscal year of the sum over the region's prefectures (地域計), month by month, "
        "with cumulative and changes."
    )
    async def series(
        self,
        info: Info,
        indicator: IndicatorArgument,
        fiscal_year: FiscalYearArgument,
        breakdown: BreakdownArgument = "total",
    ) -> Series:
        figures = await year_figures(info.context, indicator, fiscal_year, breakdown)
        members = [p.code for p in reference.region_prefectures(_region(self.code))]
        return Series.of(figures, figures.aggregate_series(members))

    @classmethod
    def of(cls, region: reference.Region) -> Region:
        """The GraphQL view of a reference region."""
        return cls(code=region.code, kind=RegionKind(region.kind), name=region.name, name_en=region.name_en)


def _region(code: str) -> reference.Region:
    found = reference.find_region(code)
    if found is None:
        raise KeyError(code)
    return found


@cache
def prefecture_view(code: str) -> Prefecture:
    """The GraphQL view of a prefecture by JIS code, made once (reference data do not change)."""
    return Prefecture.of(reference.prefecture(code))
