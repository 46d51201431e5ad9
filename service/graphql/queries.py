"""The Query root: catalogue, places, figures and reports."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated

import strawberry

from service.domain import reference, selection
from service.graphql.arguments import resolve_prefecture, year_figures
from service.graphql.context import Context
from service.graphql.errors import BadUserInput
from service.graphql.filters import (
    CHANGES,
    PRINTED,
    as_of_time,
    keys_for,
    period,
    prefecture_codes,
    selects_any,
)
from service.graphql.refetch import refetch
from service.graphql.types.availability import FiscalYearData
from service.graphql.types.case_studies import CaseStudy, case_study_page
from service.graphql.types.indicators import Indicator, Section
from service.graphql.types.node import Node
from service.graphql.types.observations import Observation, in_answer_order
from service.graphql.types.pagination import (
    AfterArgument,
    BeforeArgument,
    Connection,
    Edge,
    FirstArgument,
    LastArgument,
    PageRequest,
    paginate,
)
from service.graphql.types.places import Prefecture, Region, RegionKind, prefecture_view
from service.graphql.types.reports import Report, ReportStatus, parse_report_id
from service.graphql.types.series import Series

Info = strawberry.Info[Context, None]


def _value(member: enum.Enum) -> str:
    """The code behind a GraphQL enum member (strawberry types ``.value`` loosely)."""
    return str(member.value)


@strawberry.type(description="Read access to the figures of the よろず支援拠点 results reports.")
class Query:
    @strawberry.field(description="The indicators (指標), in the order the results page prints them.")
    async def indicators(
        self,
        info: Info,
        section: Annotated[Section | None, strawberry.argument(description="Only this section.")] = None,
    ) -> list[Indicator] | None:
        rows = (await info.context.loaders.indicators()).values()
        return [Indicator.from_row(row) for row in rows if section is None or row.section == _value(section)]

    @strawberry.field(description="One indicator by its code, e.g. `onestop.consultations`.")
    async def indicator(
        self, info: Info, code: Annotated[str, strawberry.argument(description="Indicator code.")]
    ) -> Indicator | None:
        row = (await info.context.loaders.indicators()).get(code)
        return None if row is None else Indicator.from_row(row)

    @strawberry.field(description="The 47 prefectures (JIS order), optionally of one region (either kind).")
    def prefectures(
        self,
        region: Annotated[
            str | None,
            strawberry.argument(description="Region code of either kind, e.g. `kanto` or `meti_kanto`."),
        ] = None,
    ) -> list[Prefecture] | None:
        if region is None:
            return [Prefecture.of(p) for p in reference.prefectures()]
        return [Prefecture.of(p) for p in reference.region_prefectures(selection.region(region))]

    @strawberry.field(
        description="One prefecture by JIS code (`13`), e-Stat area code (`13000`), name (`東京都`), "
        "short name (`東京`) or English name. Give exactly one of `code` and `name`."
    )
    def prefecture(
        self,
        code: Annotated[
            str | None, strawberry.argument(description="JIS code `13` or e-Stat area code `13000`.")
        ] = None,
        name: Annotated[
            str | None, strawberry.argument(description="Name, e.g. `東京都`, `東京` or `Tokyo`.")
        ] = None,
    ) -> Prefecture | None:
        if (code is None) == (name is None):
            raise BadUserInput('give exactly one of code and name, e.g. prefecture(code: "13")')
        given = code if code is not None else name
        assert given is not None
        return prefecture_view(resolve_prefecture(given).code)

    @strawberry.field(
        description="The object with this global id (Relay), of any Node type; null when none has it."
    )
    async def node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A global id from an `id` field.")],
    ) -> Node | None:
        return await refetch(info.context, id)

    @strawberry.field(
        description="The objects with these global ids, in the same order; null for an id that names none."
    )
    async def nodes(
        self,
        info: Info,
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="Global ids from `id` fields.")],
    ) -> list[Node | None]:
        if len(ids) > info.context.settings.max_page_size:
            raise BadUserInput(f"at most {info.context.settings.max_page_size} ids (MAX_PAGE_SIZE)")
        return [await refetch(info.context, each) for each in ids]

    @strawberry.field(description="Regions: the 8 areas (地方区分) and/or the METI bureaus (経済産業局).")
    def regions(
        self,
        kind: Annotated[
            RegionKind | None, strawberry.argument(description="Only regions of this kind.")
        ] = None,
    ) -> list[Region] | None:
        return [Region.of(r) for r in reference.regions() if kind is None or r.kind == _value(kind)]

    @strawberry.field(description="One region by code, e.g. `kanto` or `meti_kanto`.")
    def region(self, code: Annotated[str, strawberry.argument(description="Region code.")]) -> Region | None:
        found = reference.find_region(code)
        return None if found is None else Region.of(found)

    @strawberry.field(
        description="Current monthly figures (月次実績) with the fiscal-year cumulative, share, rank and "
        "changes. Name the indicator(s) and the fiscal year(s) (or a `fromMonth`–`toMonth` range); "
        "filter by month(s), prefecture(s) (code or name), region(s) or breakdown. Lists and single "
        "values combine; results come in fiscal-month, then prefecture (JIS) order."
    )
    async def observations(
        self,
        info: Info,
        indicator: Annotated[
            str | None, strawberry.argument(description="Indicator code, e.g. `onestop.consultations`.")
        ] = None,
        fiscal_year: Annotated[
            int | None, strawberry.argument(description="Fiscal year (年度), e.g. 2026.")
        ] = None,
        month: Annotated[int | None, strawberry.argument(description="Calendar month 1-12.")] = None,
        prefecture: Annotated[str | None, strawberry.argument(description="Prefecture code or name.")] = None,
        region: Annotated[str | None, strawberry.argument(description="Region code of either kind.")] = None,
        breakdown: Annotated[
            str | None, strawberry.argument(description="Breakdown, e.g. `total` or `trainee`.")
        ] = None,
        indicators: Annotated[
            list[str] | None, strawberry.argument(description="Several indicator codes.")
        ] = None,
        fiscal_years: Annotated[
            list[int] | None, strawberry.argument(description="Several fiscal years.")
        ] = None,
        months: Annotated[
            list[int] | None, strawberry.argument(description="Several calendar months.")
        ] = None,
        from_month: Annotated[
            str | None, strawberry.argument(description="First month wanted, `YYYY-MM` (calendar).")
        ] = None,
        to_month: Annotated[
            str | None, strawberry.argument(description="Last month wanted, `YYYY-MM` (calendar).")
        ] = None,
        prefectures: Annotated[
            list[str] | None, strawberry.argument(description="Several prefectures (codes or names).")
        ] = None,
        regions: Annotated[
            list[str] | None, strawberry.argument(description="Several regions; a prefecture in any is kept.")
        ] = None,
        as_of: Annotated[
            datetime | None,
            strawberry.argument(description="The figures as they were known at this time (with a zone)."),
        ] = None,
        as_of_report: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="The figures as they were known when this report was stored."),
        ] = None,
    ) -> list[Observation] | None:
        wanted = period(
            fiscal_year=fiscal_year,
            fiscal_years=fiscal_years,
            month=month,
            months=months,
            from_month=from_month,
            to_month=to_month,
        )
        codes_wanted = ([] if indicator is None else [indicator]) + list(indicators or [])
        if not codes_wanted:
            raise BadUserInput("give indicator or indicators (codes like onestop.consultations)")
        when = await as_of_time(info.context, as_of, as_of_report)
        selected = info.selected_fields  # converted from the document on every read: read once
        keys = await keys_for(
            info.context,
            codes_wanted,
            wanted.fiscal_years,
            breakdown,
            when,
            previous_year=selects_any(selected, CHANGES, below=True),
            printed=selects_any(selected, PRINTED, below=True),
        )
        codes = prefecture_codes(prefecture, prefectures, region, regions)
        rows = await info.context.loaders.indicators()
        views = {code: Indicator.from_row(rows[code]) for code in {key.indicator_code for key in keys}}
        loaded = await info.context.loaders.year_figures.load_many(keys)
        # A sequence that builds each Observation only when the general path reads it.
        return in_answer_order(loaded, codes, wanted, views)  # type: ignore[return-value]

    @strawberry.field(
        description="The national series (全国): the sum over the 47 prefectures for each month, with the "
        "printed 合計 (`reportedTotal`) beside it."
    )
    async def national(
        self,
        info: Info,
        indicator: Annotated[str, strawberry.argument(description="Indicator code.")],
        fiscal_year: Annotated[int, strawberry.argument(description="Fiscal year (年度).")],
        breakdown: Annotated[str, strawberry.argument(description="Breakdown (内訳).")] = "total",
    ) -> Series | None:
        figures = await year_figures(info.context, indicator, fiscal_year, breakdown)
        return Series.of(figures, figures.aggregate_series(None))

    @strawberry.field(
        description="What exists (データの有無): each fiscal year with figures, and its months per indicator."
    )
    async def fiscal_years(self, info: Info) -> list[FiscalYearData] | None:
        found = await info.context.loaders.availability()
        return [FiscalYearData.of(year, by_indicator) for year, by_indicator in found.items()]

    @strawberry.field(
        description="Case studies (支援事例), newest publication first; filter by prefecture, region "
        "(either kind) or industry (業種)."
    )
    async def case_studies(
        self,
        info: Info,
        prefecture: Annotated[str | None, strawberry.argument(description="Prefecture code or name.")] = None,
        region: Annotated[str | None, strawberry.argument(description="Region code of either kind.")] = None,
        industry: Annotated[
            str | None, strawberry.argument(description="Industry, exactly as stored.")
        ] = None,
        first: FirstArgument = None,
        after: AfterArgument = None,
        last: LastArgument = None,
        before: BeforeArgument = None,
    ) -> Connection[CaseStudy] | None:
        request = PageRequest.of(
            first=first, after=after, last=last, before=before, limit=info.context.settings.max_page_size
        )
        codes = None
        if prefecture is not None or region is not None:
            codes = prefecture_codes(prefecture, None, region, None)
        rows = await info.context.loaders.case_studies(prefectures=codes, industry=industry)
        return case_study_page(rows, request)

    @strawberry.field(description="One uploaded report by id.")
    async def report(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Report id.")],
    ) -> Report | None:
        row = await info.context.loaders.report.load(parse_report_id(id))
        return None if row is None else Report.of(row)

    @strawberry.field(description="Uploaded reports, newest first (Relay connection).")
    async def reports(
        self,
        info: Info,
        status: Annotated[
            ReportStatus | None, strawberry.argument(description="Only reports with this status.")
        ] = None,
        first: FirstArgument = None,
        after: AfterArgument = None,
        last: LastArgument = None,
        before: BeforeArgument = None,
    ) -> Connection[Report] | None:
        request = PageRequest.of(
            first=first, after=after, last=last, before=before, limit=info.context.settings.max_page_size
        )
        numbers = await info.context.loaders.report_ids(status=None if status is None else _value(status))
        page = paginate(numbers, kind="report", order=lambda n: (-n,), request=request, node=lambda n: n)
        rows = await info.context.loaders.report.load_many([edge.node for edge in page.edges])
        return Connection(
            edges=[
                Edge(cursor=edge.cursor, node=Report.of(row))
                for edge, row in zip(page.edges, rows, strict=True)
                if row is not None  # deleted between the two reads
            ],
            page_info=page.page_info,
            total_count=page.total_count,
        )
