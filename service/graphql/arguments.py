"""Checking the arguments that name things: unknown codes become BAD_USER_INPUT listing the choices."""

from __future__ import annotations

from datetime import datetime

from service.domain import reference
from service.domain.figures import FigureKey, YearFigures
from service.graphql.context import Context
from service.graphql.errors import BadUserInput, unknown


def resolve_prefecture(code_or_name: str) -> reference.Prefecture:
    """A prefecture by code or name; BAD_USER_INPUT naming the valid forms otherwise."""
    if code_or_name.strip() == reference.NATIONAL_ESTAT_CODE:
        raise BadUserInput(
            f"{reference.NATIONAL_ESTAT_CODE} is e-Stat's code of the nation (全国), not a prefecture: "
            "ask `national` for national figures"
        )
    found = reference.find_prefecture(code_or_name)
    if found is None:
        raise unknown(
            "prefecture",
            code_or_name,
            ["JIS codes '01'-'47'", "e-Stat codes '01000'-'47000'", "names like 東京都 or 東京", "Tokyo"],
        )
    return found


def is_national(code_or_name: str) -> bool:
    """Whether a prefecture filter names the whole nation (e-Stat ``00000``): every prefecture."""
    return code_or_name.strip() == reference.NATIONAL_ESTAT_CODE


def resolve_region(code: str) -> reference.Region:
    """A region of either kind by code; BAD_USER_INPUT listing the codes otherwise."""
    found = reference.find_region(code)
    if found is None:
        raise unknown("region", code, [r.code for r in reference.regions()])
    return found


def check_month(month: int | None) -> None:
    """BAD_USER_INPUT unless ``month`` is a calendar month (or absent)."""
    if month is not None and not 1 <= month <= 12:
        raise BadUserInput(f"month must be a calendar month 1-12, got {month}")


def check_fiscal_year(fiscal_year: int | None) -> None:
    """BAD_USER_INPUT unless ``fiscal_year`` is a plausible fiscal year (平成元年度 1989 onwards)."""
    if fiscal_year is not None and not 1989 <= fiscal_year <= 2200:
        raise BadUserInput(f"fiscalYear must be a year like 2026 (令和8年度), got {fiscal_year}")


async def figure_keys(
    context: Context,
    indicator: str,
    fiscal_year: int,
    breakdown: str | None,
    as_of: datetime | None = None,
    *,
    previous_year: bool = True,
    printed: bool = True,
) -> list[FigureKey]:
    """The keys of an indicator's figures: one breakdown, or all of the indicator's."""
    indicators = await context.loaders.indicators()
    if indicator not in indicators:
        raise unknown("indicator", indicator, indicators)
    breakdowns = indicators[indicator].breakdowns
    if breakdown is not None and breakdown not in breakdowns:
        raise unknown("breakdown", breakdown, breakdowns)
    chosen = [breakdown] if breakdown else breakdowns
    return [FigureKey(indicator, fiscal_year, b, as_of, previous_year, printed) for b in chosen]


async def year_figures(context: Context, indicator: str, fiscal_year: int, breakdown: str) -> YearFigures:
    """The current figures of one indicator, year and breakdown (batched per request)."""
    (key,) = await figure_keys(context, indicator, fiscal_year, breakdown)
    return await context.loaders.year_figures.load(key)
