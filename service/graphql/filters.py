"""The filters of ``observations``: its arguments (single values or lists) as a selection
(``service.domain.selection``), resolved to figure keys."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TypeVar

from strawberry.types.nodes import SelectedField, Selection

from service.domain import selection
from service.domain.figures import FigureKey
from service.domain.selection import Period
from service.graphql.arguments import figure_keys
from service.graphql.context import Context
from service.graphql.errors import BadUserInput
from service.graphql.types.reports import parse_report_id

T = TypeVar("T")


def _either(single: T | None, many: list[T] | None) -> list[T] | None:
    """One value or a list of them; None when neither is given."""
    if single is None and many is None:
        return None
    return ([] if single is None else [single]) + list(many or [])


#: How ``observations`` calls the parts of a period, for its refusals.
_PERIOD_NAMES = selection.PeriodNames(
    fiscal_years="fiscalYear, fiscalYears", start="fromMonth", end="toMonth"
)


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
    return selection.period(
        fiscal_years=_either(fiscal_year, fiscal_years),
        months=_either(month, months),
        start=from_month,
        end=to_month,
        names=_PERIOD_NAMES,
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
    for item in selections:
        if isinstance(item, SelectedField):
            if below and selects_any(item.selections, names):
                return True
            if not below and item.name in names:
                return True
        elif selects_any(item.selections, names, below=below):
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
    """JIS codes in JIS order: the prefectures named, within the regions named (all by default)."""
    return [p.code for p in selection.prefectures(_either(prefecture, prefectures), _either(region, regions))]
