"""Domain: computations over figures (pure): fiscal-year cumulative, national and regional sums,
ranks (順位), shares, changes, and the printed 累計値/合計 beside them.

The one module that computes over figures for the API. ``service.db.figures`` reads every figure
of an (indicator, fiscal year, breakdown) at once into one list of twelve months per prefecture
(``YearFigures``); everything else is computed here from those lists, once per request; resolvers
only shape the result.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property, partial
from typing import NamedTuple

from service.domain.fiscal import FISCAL_MONTHS

#: A year of one series in fiscal order (April first): the value of each month, None where absent.
Months = list[int | None]


@dataclass(frozen=True, slots=True)
class FigureKey:
    """What one batch of figures is about; ``as_of`` asks for the figures as known at that time.

    ``previous_year`` loads the year before too, which only the changes need (April's change
    from the previous month is March's of that year); without it the changes are all null.
    ``printed`` loads the printed 累計値 and 合計 beside the figures; without it they are null.
    """

    indicator_code: str
    fiscal_year: int
    breakdown: str
    as_of: datetime | None = None
    previous_year: bool = True
    printed: bool = True


class Point(NamedTuple):
    """One month of a series (a prefecture's, a region's or the nation's), with what is computed.

    A tuple: a dashboard answer makes some 8,000 of them per request.
    """

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


#: A Point from a tuple of all its fields, without the Python-level ``__new__`` a NamedTuple call
#: runs (a dashboard makes ~8,000 prefecture points per request).
_prefecture_point: Callable[[tuple[object, ...]], Point] = partial(tuple.__new__, Point)


def empty_months() -> Months:
    """A year with no figures yet."""
    return [None] * 12


def _sum(series: Iterable[Months]) -> Months:
    """Month by month, the sum of the series that have the month (None where none has it)."""
    total = empty_months()
    for months in series:
        for slot, value in enumerate(months):
            if value is not None:
                before = total[slot]
                total[slot] = value if before is None else before + value
    return total


def _sum_of(by_prefecture: dict[str, Months], codes: set[str] | None) -> Months:
    """The sum over the prefectures in ``codes`` (None: all) that ``by_prefecture`` has."""
    return _sum(months for code, months in by_prefecture.items() if codes is None or code in codes)


def _changes(months: Months, before: Months | None) -> Iterator[tuple[int, int, int, int | None, int | None]]:
    """(month, value, cumulative, change from the previous month, from the same month a year before).

    ``before`` is the year before (None when not loaded): April's previous month is its March.
    """
    running = 0
    for slot, value in enumerate(months):
        if value is None:
            continue
        running += value
        previous = months[slot - 1] if slot else (None if before is None else before[11])
        last_year = None if before is None else before[slot]
        yield (
            FISCAL_MONTHS[slot],
            value,
            running,
            None if previous is None else value - previous,
            None if last_year is None else value - last_year,
        )


@dataclass
class YearFigures:
    """Every current figure of one key (and of the year before it, when the key asks), by prefecture."""

    key: FigureKey
    #: Prefecture code → the key's year; and the year before (empty unless ``key.previous_year``).
    current: dict[str, Months]
    previous: dict[str, Months]
    reported_cumulative: dict[tuple[str, int], int]
    reported_totals: dict[int, int]
    reported_total_cumulative: dict[int, int]
    _series: dict[str, list[Point]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def empty(cls, key: FigureKey) -> YearFigures:
        """The figures of ``key`` before any is read."""
        return cls(
            key=key,
            current={},
            previous={},
            reported_cumulative={},
            reported_totals={},
            reported_total_cumulative={},
        )

    def months(self) -> list[int]:
        """Months of the fiscal year that have figures, in fiscal order."""
        return [FISCAL_MONTHS[slot] for slot, value in enumerate(self._national) if value is not None]

    @cached_property
    def _national(self) -> Months:
        """The sum over all prefectures, month by month (computed once)."""
        return _sum(self.current.values())

    @cached_property
    def _ranks(self) -> list[dict[int, int]]:
        """Per fiscal month: value → competition rank among that month's figures (computed once)."""
        ranks: list[dict[int, int]] = []
        for slot in range(12):
            values = [value for months in self.current.values() if (value := months[slot]) is not None]
            rank: dict[int, int] = {}
            for position, value in enumerate(sorted(values, reverse=True), 1):
                rank.setdefault(value, position)  # ties keep the first position
            ranks.append(rank)
        return ranks

    def prefecture_series(self, code: str) -> list[Point]:
        """A prefecture's months with cumulative, share of the national sum, rank and changes
        (computed once per prefecture, however many fields ask: callers must not change it)."""
        series = self._series.get(code)
        if series is None:
            series = self._series[code] = self._compute_series(code)
        return series

    def _compute_series(self, code: str) -> list[Point]:
        # The cumulative and changes as ``_changes`` computes them (a test holds the two equal),
        # written out in the loop: a dashboard computes ~8,000 prefecture points per request.
        months = self.current.get(code)
        if months is None:
            return []
        national, ranks, printed = self._national, self._ranks, self.reported_cumulative
        before = self.previous.get(code)
        points = []
        running = 0
        for slot, value in enumerate(months):
            if value is None:
                continue
            running += value
            month = FISCAL_MONTHS[slot]
            previous = months[slot - 1] if slot else (None if before is None else before[11])
            last_year = None if before is None else before[slot]
            total = national[slot]
            points.append(
                _prefecture_point(
                    (
                        month,
                        value,
                        running,
                        printed.get((code, month)),
                        None if previous is None else value - previous,
                        None if last_year is None else value - last_year,
                        code,
                        value / total if total else None,
                        ranks[slot][value],
                        None,
                    )
                )
            )
        return points

    def aggregate_series(self, codes: Collection[str] | None) -> list[Point]:
        """The sum over ``codes`` (None: all 47, with the printed 合計 beside each month)."""
        chosen = None if codes is None else set(codes)
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
            for month, value, cumulative, by_month, by_year in _changes(
                _sum_of(self.current, chosen), _sum_of(self.previous, chosen)
            )
        ]

    def ranking(self, month: int, *, cumulative: bool) -> list[Point]:
        """Every prefecture's point for ``month``, largest first (by cumulative if asked)."""
        points = [p for code in self.current for p in self.prefecture_series(code) if p.month == month]
        if cumulative:
            ordered = sorted(points, key=lambda p: (-p.cumulative, p.prefecture_code or ""))
            return [
                p._replace(rank=1 + sum(1 for q in points if q.cumulative > p.cumulative)) for p in ordered
            ]
        return sorted(points, key=lambda p: (p.rank or 0, p.prefecture_code or ""))
