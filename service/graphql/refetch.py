"""Refetching by global id (``node``, ``nodes``): each Node type's key back to its object, or None."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from service.domain import reference
from service.domain.figures import FigureKey
from service.graphql.context import Context
from service.graphql.types.case_studies import CaseStudy
from service.graphql.types.indicators import Indicator
from service.graphql.types.node import Node, decode_global_id
from service.graphql.types.observations import Observation, ObservedSeries
from service.graphql.types.places import Region, prefecture_view
from service.graphql.types.reports import Report

Resolver = Callable[[Context, str], Awaitable[Node | None]]


def _number(key: str) -> int | None:
    # The id columns are 32-bit integers; anything else names no row. Only a number's own
    # spelling names it (``07`` does not): the object answered carries the id that was asked for,
    # which is how Relay's and Apollo's caches find it again.
    if not (key.isascii() and key.isdigit()) or (len(key) > 1 and key.startswith("0")):
        return None
    number = int(key)
    return number if number < 2**31 else None


async def _prefecture(context: Context, key: str) -> Node | None:
    found = reference.find_prefecture(key)
    return prefecture_view(key) if found is not None and found.code == key else None


async def _region(context: Context, key: str) -> Node | None:
    found = reference.find_region(key)
    return Region.of(found) if found is not None and found.code == key else None


async def _indicator(context: Context, key: str) -> Node | None:
    row = (await context.loaders.indicators()).get(key)
    return None if row is None else Indicator.from_row(row)


async def _report(context: Context, key: str) -> Node | None:
    number = _number(key)
    row = None if number is None else await context.loaders.report.load(number)
    return None if row is None else Report.of(row)


async def _case_study(context: Context, key: str) -> Node | None:
    number = _number(key)
    row = None if number is None else await context.loaders.case_study.load(number)
    return None if row is None else CaseStudy.of(row)


async def _observation(context: Context, key: str) -> Node | None:
    parts = key.split(":")
    if len(parts) != 5:
        return None
    indicator, prefecture, breakdown, fiscal_year, month = parts
    row = (await context.loaders.indicators()).get(indicator)
    year, calendar_month = _number(fiscal_year), _number(month)
    if (
        row is None
        or breakdown not in row.breakdowns
        or year is None
        or calendar_month is None
        or await _prefecture(context, prefecture) is None
    ):
        return None
    figures = await context.loaders.year_figures.load(FigureKey(indicator, year, breakdown, None, True, True))
    for point in figures.prefecture_series(prefecture):
        if point.month == calendar_month:
            series = ObservedSeries.of(figures.key, Indicator.from_row(row), prefecture)
            return Observation(point=point, series=series)
    return None


_RESOLVERS: dict[str, Resolver] = {
    "Prefecture": _prefecture,
    "Region": _region,
    "Indicator": _indicator,
    "Report": _report,
    "CaseStudy": _case_study,
    "Observation": _observation,
}


async def refetch(context: Context, global_id: str) -> Node | None:
    """The object a global id names; None when it names none (of no type, or since deleted).

    BAD_USER_INPUT when ``global_id`` is not a global id at all."""
    found = decode_global_id(global_id)
    resolver = _RESOLVERS.get(found.type_name)
    return None if resolver is None else await resolver(context, found.key)
