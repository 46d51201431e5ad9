"""Fiscal-year arithmetic (年度: April to March), shared by parsing, ingestion and queries."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

#: Calendar months in fiscal order.
FISCAL_MONTHS: tuple[int, ...] = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)
#: Calendar month → its place in ``FISCAL_MONTHS`` (April → 0 … March → 11): a list index.
FISCAL_SLOT: dict[int, int] = {month: slot for slot, month in enumerate(FISCAL_MONTHS)}

_ERAS = {"令和": 2018, "平成": 1988, "R": 2018, "H": 1988}
#: An era year as offices write it: 令和8, 令和元, R8, Ｒ８ (NFKC), H30; not part of a word (FAQR8).
_ERA_YEAR = r"(?<![A-Za-z])(令和|平成|R|H)\s*(元|\d{1,2})"


def fiscal_index(month: int) -> int:
    """Position of a calendar month in the fiscal year: April → 1 … March → 12."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1-12, got {month}")
    return (month + 8) % 12 + 1


def calendar_year(fiscal_year: int, month: int) -> int:
    """The calendar year in which ``month`` of ``fiscal_year`` falls (Jan-Mar belong to the next)."""
    return fiscal_year if month >= 4 else fiscal_year + 1


@cache
def year_month(fiscal_year: int, month: int) -> str:
    """``YYYY-MM`` of a fiscal year's month (FY2026, month 1 → ``2027-01``)."""
    return f"{calendar_year(fiscal_year, month):04d}-{month:02d}"


def fiscal_year_from_title(title: str) -> int | None:
    """The fiscal year a title names: 令和8年度 and R8年度 → 2026, 平成30年度 → 2018, 2026年度 → 2026."""
    text = unicodedata.normalize("NFKC", title)
    era = re.search(_ERA_YEAR + r"\s*年度", text)
    if era:
        number = 1 if era.group(2) == "元" else int(era.group(2))
        return _ERAS[era.group(1)] + number
    western = re.search(r"(\d{4})\s*年度", text)
    return int(western.group(1)) if western else None


def fiscal_year_of(year: int, month: int) -> int:
    """The fiscal year a calendar year's month belongs to (January 2027 → FY2026)."""
    return year if month >= 4 else year - 1


def report_month_from_title(title: str) -> tuple[int, int] | None:
    """The fiscal year and month a month-of-report title names: 令和8年4月分 → (2026, 4).

    Only a month followed by 分 (the month the report is *for*) counts; a date such as
    令和8年5月10日更新 names when a page changed, not which month it reports.
    """
    text = unicodedata.normalize("NFKC", title)
    era = re.search(_ERA_YEAR + r"\s*年\s*(\d{1,2})\s*月\s*分", text)
    if era:
        number = 1 if era.group(2) == "元" else int(era.group(2))
        year, month = _ERAS[era.group(1)] + number, int(era.group(3))
    else:
        western = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*分", text)
        if western is None:
            return None
        year, month = int(western.group(1)), int(western.group(2))
    if not 1 <= month <= 12:
        return None
    return fiscal_year_of(year, month), month
