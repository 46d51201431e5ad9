"""Computations over stored figures (fiscal-year cumulative, printed cumulatives), done in SQL.

The one module that reads current figures for the API; resolvers only shape its rows.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Table, and_, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.models import Observation, ReportedCumulative

_OBS: Table = Observation.__table__  # type: ignore[attr-defined]
_CUM: Table = ReportedCumulative.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class FigureRow:
    """A current monthly figure with its fiscal-year-to-date sum and the printed 累計値."""

    indicator_code: str
    prefecture_code: str
    fiscal_year: int
    month: int
    breakdown: str
    value: int
    cumulative: int
    reported_cumulative: int | None


def fiscal_order(month: ColumnElement[int]) -> ColumnElement[int]:
    """SQL expression: April → 0 … March → 11."""
    return (month + 8) % 12


async def current_figures(
    session: AsyncSession,
    *,
    indicator_codes: Collection[str],
    fiscal_years: Collection[int],
    prefecture_codes: Collection[str] | None = None,
    months: Collection[int] | None = None,
    breakdowns: Collection[str] | None = None,
) -> list[FigureRow]:
    """Current figures matching the filters, in fiscal-month then prefecture order.

    The cumulative is summed over every stored month of the fiscal year up to the row's
    month, before the month filter applies, so filtering on May still gives April+May.
    """
    conditions = [
        _OBS.c.is_current,
        _OBS.c.indicator_code.in_(list(indicator_codes)),
        _OBS.c.fiscal_year.in_(list(fiscal_years)),
    ]
    if prefecture_codes is not None:
        conditions.append(_OBS.c.prefecture_code.in_(list(prefecture_codes)))
    if breakdowns is not None:
        conditions.append(_OBS.c.breakdown.in_(list(breakdowns)))
    partition = (
        _OBS.c.indicator_code,
        _OBS.c.prefecture_code,
        _OBS.c.fiscal_year,
        _OBS.c.breakdown,
    )
    base = (
        select(
            *partition,
            _OBS.c.month,
            _OBS.c.value,
            func.sum(_OBS.c.value)
            .over(partition_by=partition, order_by=fiscal_order(_OBS.c.month), rows=(None, 0))
            .label("cumulative"),
        )
        .where(*conditions)
        .subquery("base")
    )
    query = select(base, _CUM.c.value.label("reported_cumulative")).outerjoin(
        _CUM,
        and_(
            _CUM.c.is_current,
            _CUM.c.indicator_code == base.c.indicator_code,
            _CUM.c.prefecture_code == base.c.prefecture_code,
            _CUM.c.fiscal_year == base.c.fiscal_year,
            _CUM.c.through_month == base.c.month,
            _CUM.c.breakdown == base.c.breakdown,
        ),
    )
    if months is not None:
        query = query.where(base.c.month.in_(list(months)))
    query = query.order_by(
        base.c.fiscal_year,
        fiscal_order(base.c.month),
        base.c.indicator_code,
        base.c.prefecture_code,
        base.c.breakdown,
    )
    result = await session.exec(query)  # type: ignore[call-overload]
    return [
        FigureRow(
            indicator_code=row.indicator_code,
            prefecture_code=row.prefecture_code,
            fiscal_year=row.fiscal_year,
            month=row.month,
            breakdown=row.breakdown,
            value=row.value,
            cumulative=int(row.cumulative),
            reported_cumulative=row.reported_cumulative,
        )
        for row in result
    ]
