"""The statements that read figures for the API: each prefecture's monthly values, the printed
累計値 and 合計, and which months exist; ``service.db.figures`` and ``service.db.history`` run them
and ``service.domain.figures`` computes the rest.

Written with SQLAlchemy Core so that SQLite and PostgreSQL run the same statements. The values
are read unsorted: the cumulative, ranks and sums are computed in Python from them, which on
our machines is faster than PostgreSQL's window functions (each window sorts the rows: some
25 ms per sort for a dashboard's 8,000 rows; see bench/RESULTS.md).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, Select, Table, select

from service.db.models import Observation, Report, ReportedCumulative, ReportedTotal, ReportStatus

_OBS: Table = Observation.__table__  # type: ignore[attr-defined]
_CUM: Table = ReportedCumulative.__table__  # type: ignore[attr-defined]
_TOT: Table = ReportedTotal.__table__  # type: ignore[attr-defined]
_REP: Table = Report.__table__  # type: ignore[attr-defined]

#: A figure's identity and value: indicator, fiscal year, breakdown, prefecture, month, value.
FIGURE_VALUE = (
    _OBS.c.indicator_code,
    _OBS.c.fiscal_year,
    _OBS.c.breakdown,
    _OBS.c.prefecture_code,
    _OBS.c.month,
    _OBS.c.value,
)


def stored_by(as_of: datetime | None) -> list[ColumnElement[bool]]:
    """Conditions on ``report``: its figures were stored (by ``as_of``, when given)."""
    conditions = [_REP.c.status == ReportStatus.SUCCEEDED]
    if as_of is not None:
        conditions.append(_REP.c.processed_at <= as_of)
    return conditions


def known(table: Table, as_of: datetime | None) -> list[ColumnElement[bool]]:
    """Rows to consider: the current ones (one per figure), or those of reports finished by ``as_of``."""
    if as_of is None:
        return [table.c.is_current]
    return [table.c.report_id.in_(select(_REP.c.id).where(*stored_by(as_of)))]


def asked_for(
    codes: Collection[str], years: Collection[int], breakdowns: Collection[str]
) -> list[ColumnElement[bool]]:
    """Conditions on ``observation``: these indicators, fiscal years and breakdowns."""
    return [
        _OBS.c.indicator_code.in_(codes),
        _OBS.c.fiscal_year.in_(years),
        _OBS.c.breakdown.in_(breakdowns),
    ]


def monthly_values(
    codes: Collection[str], years: Collection[int], breakdowns: Collection[str], as_of: datetime | None
) -> Select[tuple[str, int, str, str, int, int]]:
    """(indicator, fiscal year, breakdown, prefecture, month, value) of every figure asked for.

    Current figures come one row each, in no order; with ``as_of``, every version known then,
    lowest precedence first (a later row replaces an earlier).
    """
    statement = select(*FIGURE_VALUE).where(*known(_OBS, as_of), *asked_for(codes, years, breakdowns))
    return statement if as_of is None else statement.order_by(_OBS.c.precedence)


def reported_cumulatives(
    codes: Collection[str], years: Collection[int], as_of: datetime | None
) -> Select[tuple[str, int, str, str, int, int]]:
    """The printed 累計値 of prefectures, lowest precedence first (a later row replaces an earlier)."""
    return (
        select(
            _CUM.c.indicator_code,
            _CUM.c.fiscal_year,
            _CUM.c.breakdown,
            _CUM.c.prefecture_code,
            _CUM.c.through_month,
            _CUM.c.value,
        )
        .where(*known(_CUM, as_of), _CUM.c.indicator_code.in_(codes), _CUM.c.fiscal_year.in_(years))
        .order_by(_CUM.c.precedence)
    )


def reported_totals(
    codes: Collection[str], years: Collection[int], as_of: datetime | None
) -> Select[tuple[str, int, str, int, bool, int]]:
    """The printed 合計 rows (monthly and cumulative), lowest precedence first."""
    return (
        select(
            _TOT.c.indicator_code,
            _TOT.c.fiscal_year,
            _TOT.c.breakdown,
            _TOT.c.month,
            _TOT.c.cumulative,
            _TOT.c.value,
        )
        .where(*known(_TOT, as_of), _TOT.c.indicator_code.in_(codes), _TOT.c.fiscal_year.in_(years))
        .order_by(_TOT.c.precedence)
    )


def months_with_figures() -> Select[tuple[int, str, int]]:
    """(fiscal year, indicator code, month) for every month with current figures."""
    return select(_OBS.c.fiscal_year, _OBS.c.indicator_code, _OBS.c.month).where(_OBS.c.is_current).distinct()
