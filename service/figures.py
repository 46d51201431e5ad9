"""Computations over current figures: fiscal-year cumulative, national and regional sums, ranks,
shares, changes, and the printed 累計値/合計 beside them.

The one module that reads current figures for the API. A request loads every figure of an
(indicator, fiscal year, breakdown) at once, with the previous year's, in three statements
whatever the number of keys, and computes the rest in one pass; resolvers only shape the result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property

from sqlalchemy import ColumnElement, Table, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.fiscal import FISCAL_MONTHS, fiscal_index
from service.models import Observation, Report, ReportedCumulative, ReportedTotal, ReportStatus

_OBS: Table = Observation.__table__  # type: ignore[attr-defined]
_CUM: Table = ReportedCumulative.__table__  # type: ignore[attr-defined]
_TOT: Table = ReportedTotal.__table__  # type: ignore[attr-defined]
_REP: Table = Report.__table__  # type: ignore[attr-defined]

#: (fiscal year, month) → value
Monthly = dict[tuple[int, int], int]


@dataclass(frozen=True, slots=True)
class FigureKey:
    """What one batch of figures is about; ``as_of`` asks for the figures as known at that time.

    ``previous_year`` loads the year before too, which only the changes need (April's change
    from the previous month is March's of that year); without it the changes are all null.
    """

    indicator_code: str
    fiscal_year: int
    breakdown: str
    as_of: datetime | None = None
    previous_year: bool = True


@dataclass(frozen=True, slots=True)
class Point:
    """One month of a series (a prefecture's, a region's or the nation's), with what is computed."""

    month: int
    value: int
    cumulative: int
    reported_cumulative: int | None
    change_from_previous_month: int | None
    change_from_previous_year: int | None
    #: Prefecture points only.
    prefecture_code: str | None = None
    share_of_national: float | None = None
    rank: int | None = None
    #: National points only: the printed 合計 of the month.
    reported_total: int | None = None

    @property
    def cumulative_matches_report(self) -> bool | None:
        """Whether the computed cumulative equals the printed 累計値 (None when none is printed)."""
        if self.reported_cumulative is None:
            return None
        return self.cumulative == self.reported_cumulative


def _previous_month(fiscal_year: int, month: int) -> tuple[int, int]:
    """The month before, across the fiscal-year boundary (April's is the previous March)."""
    if month == 4:
        return fiscal_year - 1, 3
    return fiscal_year, 12 if month == 1 else month - 1


def _sum(series: Iterable[Monthly]) -> Monthly:
    total: Monthly = defaultdict(int)
    for monthly in series:
        for when, value in monthly.items():
            total[when] += value
    return dict(total)


@dataclass
class YearFigures:
    """Every current figure of one key and of the year before it, by prefecture."""

    key: FigureKey
    by_prefecture: dict[str, Monthly]
    reported_cumulative: dict[tuple[str, int], int]
    reported_totals: dict[int, int]
    reported_total_cumulative: dict[int, int]

    def months(self) -> list[int]:
        """Months of the fiscal year that have figures, in fiscal order."""
        year = self.key.fiscal_year
        present = {m for monthly in self.by_prefecture.values() for (fy, m) in monthly if fy == year}
        return sorted(present, key=fiscal_index)

    @cached_property
    def national(self) -> Monthly:
        """The sum over all prefectures, month by month (computed once)."""
        return _sum(self.by_prefecture.values())

    def _points(self, monthly: Monthly) -> list[tuple[int, int, int, int | None, int | None]]:
        """(month, value, cumulative, change from previous month, from previous year)."""
        year, running, points = self.key.fiscal_year, 0, []
        for month in FISCAL_MONTHS:
            if (year, month) not in monthly:
                continue
            value = monthly[(year, month)]
            running += value
            before = monthly.get(_previous_month(year, month))
            last_year = monthly.get((year - 1, month))
            points.append(
                (
                    month,
                    value,
                    running,
                    None if before is None else value - before,
                    None if last_year is None else value - last_year,
                )
            )
        return points

    def prefecture_series(self, code: str) -> list[Point]:
        """A prefecture's months with cumulative, share of the national sum, rank and changes."""
        national, year = self.national, self.key.fiscal_year
        return [
            Point(
                month=month,
                value=value,
                cumulative=cumulative,
                reported_cumulative=self.reported_cumulative.get((code, month)),
                change_from_previous_month=by_month,
                change_from_previous_year=by_year,
                prefecture_code=code,
                share_of_national=_share(value, national.get((year, month), 0)),
                rank=self._rank(value, month),
            )
            for month, value, cumulative, by_month, by_year in self._points(self.by_prefecture.get(code, {}))
        ]

    def aggregate_series(self, codes: Collection[str] | None) -> list[Point]:
        """The sum over ``codes`` (None: all 47, with the printed 合計 beside each month)."""
        members = self.by_prefecture if codes is None else {c: self.by_prefecture.get(c, {}) for c in codes}
        return [
            Point(
                month=month,
                value=value,
                cumulative=cumulative,
                reported_cumulative=None if codes is not None else self.reported_total_cumulative.get(month),
                change_from_previous_month=by_month,
                change_from_previous_year=by_year,
                reported_total=None if codes is not None else self.reported_totals.get(month),
            )
            for month, value, cumulative, by_month, by_year in self._points(_sum(members.values()))
        ]

    def _rank(self, value: int, month: int) -> int:
        """Competition rank among the prefectures with a figure that month (ties share a rank)."""
        return self._ranks[month][value]

    @cached_property
    def _ranks(self) -> dict[int, dict[int, int]]:
        """Month → value → competition rank among that month's figures (computed once)."""
        year, found = self.key.fiscal_year, defaultdict(list)
        for monthly in self.by_prefecture.values():
            for (fiscal_year, month), value in monthly.items():
                if fiscal_year == year:
                    found[month].append(value)
        ranks: dict[int, dict[int, int]] = {}
        for month, values in found.items():
            values.sort(reverse=True)
            ranks[month] = {}
            for position, value in enumerate(values, 1):
                ranks[month].setdefault(value, position)  # ties keep the first position
        return ranks

    def ranking(self, month: int, *, cumulative: bool) -> list[Point]:
        """Every prefecture's point for ``month``, largest first (by cumulative if asked)."""
        points = [p for code in self.by_prefecture for p in self.prefecture_series(code) if p.month == month]
        if cumulative:
            ordered = sorted(points, key=lambda p: (-p.cumulative, p.prefecture_code or ""))
            return [
                replace(p, rank=1 + sum(1 for q in points if q.cumulative > p.cumulative)) for p in ordered
            ]
        return sorted(points, key=lambda p: (p.rank or 0, p.prefecture_code or ""))


def _share(value: int, national: int) -> float | None:
    return None if national == 0 else value / national


async def load_year_figures(
    session: AsyncSession, keys: Collection[FigureKey]
) -> dict[FigureKey, YearFigures]:
    """Figures for every key and the year before each: three statements per distinct ``as_of``."""
    result = {
        key: YearFigures(
            key=key,
            by_prefecture={},
            reported_cumulative={},
            reported_totals={},
            reported_total_cumulative={},
        )
        for key in keys
    }
    for as_of in {key.as_of for key in keys}:
        await _fill(session, [key for key in keys if key.as_of == as_of], as_of, result)
    return result


def _known(table: Table, as_of: datetime | None) -> list[ColumnElement[bool]]:
    """Rows to consider: the current ones, or those of reports finished by ``as_of``.

    Rows come ordered by precedence, so a later row of the same key replaces an earlier one.
    """
    if as_of is None:
        return [table.c.is_current]
    return [table.c.report_id.in_(select(_REP.c.id).where(*stored_by(as_of)))]


def stored_by(as_of: datetime | None) -> list[ColumnElement[bool]]:
    """Conditions on ``report``: its figures were stored (by ``as_of``, when given)."""
    conditions = [_REP.c.status == ReportStatus.SUCCEEDED]
    if as_of is not None:
        conditions.append(_REP.c.processed_at <= as_of)
    return conditions


async def _fill(
    session: AsyncSession, keys: list[FigureKey], as_of: datetime | None, result: dict[FigureKey, YearFigures]
) -> None:
    codes = sorted({k.indicator_code for k in keys})
    years = sorted({y for k in keys for y in (k.fiscal_year, k.fiscal_year - k.previous_year)})
    breakdowns = sorted({k.breakdown for k in keys})
    values = await session.exec(  # type: ignore[call-overload]
        select(
            _OBS.c.indicator_code,
            _OBS.c.fiscal_year,
            _OBS.c.breakdown,
            _OBS.c.prefecture_code,
            _OBS.c.month,
            _OBS.c.value,
        )
        .where(
            *_known(_OBS, as_of),
            _OBS.c.indicator_code.in_(codes),
            _OBS.c.fiscal_year.in_(years),
            _OBS.c.breakdown.in_(breakdowns),
        )
        .order_by(_OBS.c.precedence)
    )
    # Which figures a row of (indicator, year, breakdown) feeds: that year's, and the next
    # year's when it wants its year before.
    feeds: dict[tuple[str, int, str], list[YearFigures]] = defaultdict(list)
    same_year: dict[tuple[str, int, str], list[YearFigures]] = defaultdict(list)
    for key in keys:
        feeds[(key.indicator_code, key.fiscal_year, key.breakdown)].append(result[key])
        same_year[(key.indicator_code, key.fiscal_year, key.breakdown)].append(result[key])
        if key.previous_year:
            feeds[(key.indicator_code, key.fiscal_year - 1, key.breakdown)].append(result[key])
    for code, year, breakdown, pref, month, value in values.all():
        for figures in feeds.get((code, year, breakdown), ()):
            figures.by_prefecture.setdefault(pref, {})[(year, month)] = value
    cumulatives = await session.exec(  # type: ignore[call-overload]
        select(
            _CUM.c.indicator_code,
            _CUM.c.fiscal_year,
            _CUM.c.breakdown,
            _CUM.c.prefecture_code,
            _CUM.c.through_month,
            _CUM.c.value,
        )
        .where(*_known(_CUM, as_of), _CUM.c.indicator_code.in_(codes), _CUM.c.fiscal_year.in_(years))
        .order_by(_CUM.c.precedence)
    )
    for code, year, breakdown, pref, month, value in cumulatives:
        for figures in same_year.get((code, year, breakdown), ()):
            figures.reported_cumulative[(pref, month)] = value
    totals = await session.exec(  # type: ignore[call-overload]
        select(
            _TOT.c.indicator_code,
            _TOT.c.fiscal_year,
            _TOT.c.breakdown,
            _TOT.c.month,
            _TOT.c.cumulative,
            _TOT.c.value,
        )
        .where(*_known(_TOT, as_of), _TOT.c.indicator_code.in_(codes), _TOT.c.fiscal_year.in_(years))
        .order_by(_TOT.c.precedence)
    )
    for code, year, breakdown, month, is_cumulative, value in totals:
        for figures in same_year.get((code, year, breakdown), ()):
            target = figures.reported_total_cumulative if is_cumulative else figures.reported_totals
            target[month] = value


async def availability(session: AsyncSession) -> dict[int, dict[str, list[int]]]:
    """Which months have current figures: fiscal year → indicator code → months in fiscal order."""
    rows = await session.exec(  # type: ignore[call-overload]
        select(_OBS.c.fiscal_year, _OBS.c.indicator_code, _OBS.c.month).where(_OBS.c.is_current).distinct()
    )
    found: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for year, code, month in rows:
        found[year][code].add(month)
    return {
        year: {code: sorted(months, key=fiscal_index) for code, months in sorted(codes.items())}
        for year, codes in sorted(found.items())
    }
