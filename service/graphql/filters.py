"""The filters of ``observations``: single values or lists, resolved to figure keys and predicates."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from strawberry.types.nodes import SelectedField, Selection

from service.domain import reference
from service.domain.figures import FigureKey
from service.domain.fiscal import fiscal_index
from service.graphql.arguments import (
    check_month,
    figure_keys,
    is_national,
    resolve_prefecture,
    resolve_region,
)
from service.graphql.context import Context
from service.graphql.errors import BadUserInput
from service.graphql.types.reports import parse_report_id

_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")


def _either(single: object, many: list[object] | None) -> list[object] | None:
    """One value or a list of them; None when neither is given."""
    if single is None and many is None:
        return None
    return ([] if single is None else [single]) + list(many or [])


def parse_year_month(text: str, argument: str) -> tuple[int, int]:
    """``YYYY-MM`` → (fiscal year, month); BAD_USER_INPUT naming the argument otherwise."""
    match = _YEAR_MONTH.fullmatch(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise BadUserInput(f"{argument} must look like 2026-04 (YYYY-MM), got {text!r}")
    year, month = int(match.group(1)), int(match.group(2))
    return (year if month >= 4 else year - 1), month


@dataclass(frozen=True)
class Period:
    """Which (fiscal year, month) pairs a request wants."""

    fiscal_years: tuple[int, ...]
    months: frozenset[int] | None
    start: tuple[int, int] | None
    end: tuple[int, int] | None

    @property
    def whole_years(self) -> bool:
        """Every month of the fiscal years (no month or range narrows them)."""
        return self.months is None and self.start is None and self.end is None

    def __contains__(self, when: tuple[int, int]) -> bool:
        year, month = when
        if self.months is not None and month not in self.months:
            return False
        position = (year, fiscal_index(month))
        if self.start is not None and position < (self.start[0], fiscal_index(self.start[1])):
            return False
        return self.end is None or position <= (self.end[0], fiscal_index(self.end[1]))


def period(
    *,
    fiscal_year: int | None,
    fiscal_years: list[int] | None,
    month: int | None,
    months: list[int] | None,
    from_month: str | None,
    to_month: str | None,
) -> Period:
    """The period the arguments describe; fiscal years default to those the range spans."""
    wanted_months = _either(month, months)  # type: ignore[arg-type]
    for each in wanted_months or []:
        check_month(each)  # type: ignore[arg-type]
    start = None if from_month is None else parse_year_month(from_month, "fromMonth")
    end = None if to_month is None else parse_year_month(to_month, "toMonth")
    years = _either(fiscal_year, fiscal_years)  # type: ignore[arg-type]
    if years is None:
        if start is None or end is None:
            raise BadUserInput("give fiscalYear, fiscalYears, or both fromMonth and toMonth")
        if end[0] - start[0] > 50:
            raise BadUserInput("fromMonth to toMonth may span at most 50 fiscal years")
        years = list(range(start[0], end[0] + 1))
    return Period(
        fiscal_years=tuple(sorted(set(years))),  # type: ignore[arg-type]
        months=None if wanted_months is None else frozenset(wanted_months),  # type: ignore[arg-type]
        start=start,
        end=end,
    )


async def keys_for(
    context: Context,
    indicators: list[str],
    fiscal_years: tuple[int, ...],
    breakdown: str | None,
    as_of: datetime | None,
    *,
    previous_year: bool,
    printed: bool,
) -> list[FigureKey]:
    """Figure keys for every indicator and fiscal year asked for."""
    keys: list[FigureKey] = []
    for year in fiscal_years:
        for indicator in indicators:
            keys += await figure_keys(
                context, indicator, year, breakdown, as_of, previous_year=previous_year, printed=printed
            )
    return keys


#: Fields that need the year before the one asked for.
CHANGES = frozenset({"changeFromPreviousMonth", "changeFromPreviousYear"})
#: Fields that need the printed 累計値 beside the figures.
PRINTED = frozenset({"reportedCumulative", "cumulativeMatchesReport"})


def selects_any(selections: Iterable[Selection], names: frozenset[str], *, below: bool = False) -> bool:
    """Whether selections ask for any of ``names`` (with ``below``: in the fields' own selections),
    fragments included."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            if below and selects_any(selection.selections, names):
                return True
            if not below and selection.name in names:
                return True
        elif selects_any(selection.selections, names, below=below):
            return True
    return False


async def as_of_time(context: Context, as_of: datetime | None, as_of_report: str | None) -> datetime | None:
    """The moment ``asOf`` or ``asOfReport`` (when that report finished) names, if either."""
    if as_of is not None and as_of_report is not None:
        raise BadUserInput("give asOf or asOfReport, not both")
    if as_of_report is None:
        if as_of is not None and as_of.tzinfo is None:
            raise BadUserInput("asOf needs a time zone, e.g. 2026-05-01T00:00:00Z")
        return as_of
    try:
        report = await context.loaders.report.load(parse_report_id(as_of_report))
    except BadUserInput:
        report = None
    if report is None or report.processed_at is None or report.status != "SUCCEEDED":
        raise BadUserInput(f"asOfReport {as_of_report!r} is not a report whose figures are stored")
    return report.processed_at


def prefecture_codes(
    prefecture: str | None, prefectures: list[str] | None, region: str | None, regions: list[str] | None
) -> list[str]:
    """JIS codes in JIS order: the prefectures named, within the regions named (all by default).

    e-Stat's ``00000`` names the nation: the figures it is made of are every prefecture's."""
    codes = [p.code for p in reference.prefectures()]
    named = _either(prefecture, prefectures)  # type: ignore[arg-type]
    if named is not None and any(is_national(str(name)) for name in named):
        named = None
    if named is not None:
        chosen = {resolve_prefecture(str(name)).code for name in named}
        codes = [code for code in codes if code in chosen]
    in_regions = _either(region, regions)  # type: ignore[arg-type]
    if in_regions is not None:
        members = {p.code for r in in_regions for p in reference.region_prefectures(resolve_region(str(r)))}
        codes = [code for code in codes if code in members]
    return codes
