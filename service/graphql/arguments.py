"""Checking the arguments that name things (through ``service.domain.selection``): unknown codes
become BAD_USER_INPUT listing the choices."""

from __future__ import annotations

from datetime import datetime

from service.domain import reference, selection
from service.domain.figures import FigureKey, YearFigures
from service.graphql.context import Context
from service.graphql.errors import BadUserInput


def resolve_prefecture(code_or_name: str) -> reference.Prefecture:
    """A prefecture by code or name; BAD_USER_INPUT naming the valid forms otherwise."""
    if selection.is_national(code_or_name):
        raise BadUserInput(
            f"{reference.NATIONAL_ESTAT_CODE} is e-Stat's code of the nation (全国), not a prefecture: "
            "ask `national` for national figures"
        )
    return selection.prefecture(code_or_name)


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
    selection.check_known("indicator", [indicator], list(indicators))
    breakdowns = indicators[indicator].breakdowns
    selection.check_known("breakdown", [] if breakdown is None else [breakdown], breakdowns)
    chosen = [breakdown] if breakdown else breakdowns
    return [FigureKey(indicator, fiscal_year, b, as_of, previous_year, printed) for b in chosen]


async def year_figures(context: Context, indicator: str, fiscal_year: int, breakdown: str) -> YearFigures:
    """The current figures of one indicator, year and breakdown (batched per request)."""
    (key,) = await figure_keys(context, indicator, fiscal_year, breakdown)
    return await context.loaders.year_figures.load(key)
