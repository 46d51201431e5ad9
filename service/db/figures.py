"""Reads of current figures: loads ``YearFigures`` (``service.domain.figures``) for many keys at once,
and which months have figures. The statements themselves are in ``service.db.figure_sql``.

A request reads every figure of an (indicator, fiscal year, breakdown) at once, with the previous
year's where asked, in up to three statements per ``as_of`` whatever the number of keys.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from service.db import figure_sql
from service.db.rows import driver_rows
from service.domain.figures import FigureKey, Months, YearFigures, empty_months
from service.domain.fiscal import FISCAL_SLOT, fiscal_index


async def load_year_figures(
    session: AsyncSession, keys: Collection[FigureKey]
) -> dict[FigureKey, YearFigures]:
    """Figures for every key (and the year before, where asked): up to three statements per ``as_of``."""
    result = {key: YearFigures.empty(key) for key in keys}
    for as_of in {key.as_of for key in keys}:
        await _fill(session, [key for key in keys if key.as_of == as_of], as_of, result)
    return result


async def _fill(
    session: AsyncSession, keys: list[FigureKey], as_of: datetime | None, result: dict[FigureKey, YearFigures]
) -> None:
    codes = sorted({k.indicator_code for k in keys})
    years = sorted({y for k in keys for y in (k.fiscal_year, k.fiscal_year - k.previous_year)})
    breakdowns = sorted({k.breakdown for k in keys})
    # Where a row of (indicator, year, breakdown) goes: its year's figures, and the next year's
    # (as their year before) when they ask for it.
    feeds: dict[tuple[str, int, str], list[dict[str, Months]]] = defaultdict(list)
    for key in keys:
        feeds[(key.indicator_code, key.fiscal_year, key.breakdown)].append(result[key].current)
        if key.previous_year:
            feeds[(key.indicator_code, key.fiscal_year - 1, key.breakdown)].append(result[key].previous)
    values = await session.exec(  # type: ignore[call-overload]
        figure_sql.monthly_values(codes, years, breakdowns, as_of)
    )
    for code, year, breakdown, pref, month, value in driver_rows(values):
        for by_prefecture in feeds.get((code, year, breakdown), ()):
            months = by_prefecture.get(pref)
            if months is None:
                months = by_prefecture[pref] = empty_months()
            months[FISCAL_SLOT[month]] = value
    printed = [key for key in keys if key.printed]
    if printed:
        await _fill_printed(session, printed, as_of, result)


async def _fill_printed(
    session: AsyncSession, keys: list[FigureKey], as_of: datetime | None, result: dict[FigureKey, YearFigures]
) -> None:
    codes = sorted({k.indicator_code for k in keys})
    years = sorted({k.fiscal_year for k in keys})
    same_year: dict[tuple[str, int, str], list[YearFigures]] = defaultdict(list)
    for key in keys:
        same_year[(key.indicator_code, key.fiscal_year, key.breakdown)].append(result[key])
    cumulatives = await session.exec(  # type: ignore[call-overload]
        figure_sql.reported_cumulatives(codes, years, as_of)
    )
    for code, year, breakdown, pref, month, value in cumulatives:
        for figures in same_year.get((code, year, breakdown), ()):
            figures.reported_cumulative[(pref, month)] = value
    totals = await session.exec(figure_sql.reported_totals(codes, years, as_of))  # type: ignore[call-overload]
    for code, year, breakdown, month, is_cumulative, value in totals:
        for figures in same_year.get((code, year, breakdown), ()):
            target = figures.reported_total_cumulative if is_cumulative else figures.reported_totals
            target[month] = value


async def availability(session: AsyncSession) -> dict[int, dict[str, list[int]]]:
    """Which months have current figures: fiscal year → indicator code → months in fiscal order."""
    rows = await session.exec(figure_sql.months_with_figures())  # type: ignore[call-overload]
    found: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for year, code, month in rows:
        found[year][code].add(month)
    return {
        year: {code: sorted(months, key=fiscal_index) for code, months in sorted(codes.items())}
        for year, codes in sorted(found.items())
    }
