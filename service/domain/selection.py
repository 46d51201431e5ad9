"""Domain: what a query or an export asks for (pure): fiscal years and months, prefectures and regions.

GraphQL's ``observations`` and the spreadsheet export both select through here; a selection that
names nothing raises ``SelectionError``, which GraphQL answers as BAD_USER_INPUT and the export
as a 400, each with the message as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from service.domain import reference
from service.domain.fiscal import fiscal_index, fiscal_year_of

#: Fiscal years a selection may name, and how many at once (a year past the database's integers,
#: or thousands of them, would fail or load for minutes).
YEARS = range(1900, 3000)
MAX_YEARS = 50
#: The forms a prefecture may be named in, for a message about one that is not found.
PREFECTURE_FORMS = (
    "JIS codes '01'-'47'",
    "e-Stat codes '01000'-'47000'",
    "names like 東京都 or 東京",
    "Tokyo",
)

_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")


class SelectionError(ValueError):
    """A selection that names nothing; the message says what to give instead."""


def unknown(kind: str, value: str, choices: Iterable[str]) -> SelectionError:
    """``unknown indicator 'x'; valid choices: a, b, c …`` (the value cut short, twelve choices)."""
    listed = list(choices)
    shown = ", ".join(listed[:12]) + (" …" if len(listed) > 12 else "")
    return SelectionError(f"unknown {kind} {value[:40]!r}; valid choices: {shown}")


def check_known(kind: str, values: Iterable[str], choices: Sequence[str]) -> None:
    """``SelectionError`` naming the first of ``values`` that is not one of ``choices``."""
    for value in values:
        if value not in choices:
            raise unknown(kind, value, choices)


def check_month(month: int | None) -> None:
    """``SelectionError`` unless ``month`` is a calendar month (or absent)."""
    if month is not None and not 1 <= month <= 12:
        raise SelectionError(f"month must be a calendar month 1-12, got {month}")


def is_national(code_or_name: str) -> bool:
    """Whether a prefecture filter names the whole nation (e-Stat ``00000``): every prefecture."""
    return code_or_name.strip() == reference.NATIONAL_ESTAT_CODE


def prefecture(code_or_name: str) -> reference.Prefecture:
    """A prefecture by code or name; ``SelectionError`` naming the valid forms otherwise."""
    found = reference.find_prefecture(code_or_name)
    if found is None:
        raise unknown("prefecture", code_or_name, PREFECTURE_FORMS)
    return found


def region(code: str) -> reference.Region:
    """A region of either kind by code; ``SelectionError`` listing the codes otherwise."""
    found = reference.find_region(code)
    if found is None:
        raise unknown("region", code, [r.code for r in reference.regions()])
    return found


def prefectures(named: Sequence[str] | None, regions: Sequence[str] | None) -> list[reference.Prefecture]:
    """The prefectures named, within the regions named, in JIS order; None names all (an empty list none).

    e-Stat's ``00000`` names the nation: the figures it is made of are every prefecture's.
    """
    chosen = list(reference.prefectures())
    if named is not None and not any(is_national(name) for name in named):
        codes = {prefecture(name).code for name in named}
        chosen = [p for p in chosen if p.code in codes]
    if regions is not None:
        members = {p.code for code in regions for p in reference.region_prefectures(region(code))}
        chosen = [p for p in chosen if p.code in members]
    return chosen


@dataclass(frozen=True, slots=True)
class PeriodNames:
    """What the caller calls the parts of a period, so that a refusal names its own arguments."""

    fiscal_years: str
    start: str
    end: str


def parse_year_month(text: str, argument: str) -> tuple[int, int]:
    """``YYYY-MM`` → (fiscal year, month); ``SelectionError`` naming the argument otherwise."""
    match = _YEAR_MONTH.fullmatch(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) not in YEARS:
        raise SelectionError(f"{argument} must look like 2026-04 (YYYY-MM), got {text[:20]!r}")
    year, month = int(match.group(1)), int(match.group(2))
    return fiscal_year_of(year, month), month


@dataclass(frozen=True)
class Period:
    """Which (fiscal year, month) pairs a selection wants."""

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
    fiscal_years: Sequence[int] | None,
    months: Sequence[int] | None,
    start: str | None,
    end: str | None,
    names: PeriodNames,
) -> Period:
    """The period asked for; fiscal years default to those from ``start`` to ``end`` (``YYYY-MM``)."""
    for month in months or ():
        check_month(month)
    first = None if start is None else parse_year_month(start, names.start)
    last = None if end is None else parse_year_month(end, names.end)
    if fiscal_years is None:
        if first is None or last is None:
            raise SelectionError(f"give {names.fiscal_years}, or both {names.start} and {names.end}")
        if last[0] - first[0] >= MAX_YEARS:
            raise SelectionError(f"{names.start} to {names.end} may span at most {MAX_YEARS} fiscal years")
        fiscal_years = range(first[0], last[0] + 1)
    years = sorted(set(fiscal_years))
    if len(years) > MAX_YEARS or any(year not in YEARS for year in years):
        raise SelectionError(
            f"{names.fiscal_years} must be up to {MAX_YEARS} years from {YEARS[0]} to {YEARS[-1]}"
        )
    return Period(
        fiscal_years=tuple(years),
        months=None if months is None else frozenset(months),
        start=first,
        end=last,
    )
