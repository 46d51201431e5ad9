"""Writes of which figure is current: the one of the report with the highest precedence, per key.

Both writers of figures keep ``is_current`` right through here: ingestion (``workers.ingest``),
after storing a report, and ``delete_report``, which restores what the earlier reports said.
Which version wins is the domain's rule (``service.domain.revisions.precedence``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, and_, delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from service.db import data_version
from service.db.models import (
    FigureChange,
    Observation,
    PrefectureLink,
    Report,
    ReportedCumulative,
    ReportedTotal,
    utcnow,
)
from service.db.rows import driver_rows

#: PostgreSQL advisory lock that serialises the recomputation of current figures.
_FIGURES_LOCK = 0x796F7269
#: Row ids per ``IN (…)`` list: below SQLite's and asyncpg's limits on bound parameters.
_IDS_PER_STATEMENT = 5_000

#: Per figure table, the columns that name one figure: exactly one row per key is current.
FIGURE_KEYS: dict[str, tuple[str, ...]] = {
    "observation": ("indicator_code", "prefecture_code", "fiscal_year", "month", "breakdown"),
    "reported_cumulative": (
        "indicator_code",
        "prefecture_code",
        "fiscal_year",
        "through_month",
        "breakdown",
    ),
    "reported_total": ("indicator_code", "fiscal_year", "month", "breakdown", "cumulative"),
}


def table_of(model: Any) -> Table:
    """The Core table of a SQLModel table class."""
    table: Table = model.__table__
    return table


async def lock_figures(connection: AsyncConnection) -> None:
    """Serialise writers of figures until the transaction ends (PostgreSQL; SQLite's write lock does it)."""
    if connection.dialect.name == "postgresql":
        await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _FIGURES_LOCK})


async def clear_report(connection: AsyncConnection, report_id: int) -> bool:
    """Remove a report's figures (what an interrupted earlier attempt left, or a deleted report's).

    True when figures were removed (some figures may then have no current row).
    """
    removed = 0
    for model in (Observation, ReportedCumulative, ReportedTotal, PrefectureLink, FigureChange):
        table = table_of(model)
        removed += int(
            (await connection.execute(delete(table).where(table.c.report_id == report_id))).rowcount
        )
    return removed > 0


#: A figure's key → (id, precedence, value) of its current row.
CurrentRows = dict[tuple[Any, ...], tuple[int, int, int]]
#: The tables of figures, each with one current row per key.
FIGURE_MODELS = (Observation, ReportedCumulative, ReportedTotal)


async def current_of(
    connection: AsyncConnection, codes: list[str], fiscal_year: int
) -> dict[Any, CurrentRows]:
    """Per figure model, the current rows of these indicators in this year (what ``make_current`` takes)."""
    return {
        model: await current_rows(connection, table_of(model), codes, fiscal_year) for model in FIGURE_MODELS
    }


async def current_rows(
    connection: AsyncConnection, table: Table, codes: list[str], fiscal_year: int
) -> CurrentRows:
    """The rows clients see now for these indicators and year, by figure key."""
    key = [table.c[name] for name in FIGURE_KEYS[table.name]]
    rows = await connection.execute(
        select(*key, table.c.id, table.c.precedence, table.c.value).where(
            table.c.is_current, table.c.indicator_code.in_(codes), table.c.fiscal_year == fiscal_year
        )
    )
    return {tuple(row[:-3]): (row[-3], row[-2], row[-1]) for row in driver_rows(rows)}


async def make_current(
    connection: AsyncConnection, report_id: int, precedence: int, current: dict[Any, CurrentRows]
) -> None:
    """Make the new report's figures current where it now has the highest precedence.

    ``current`` holds, per figure model, the current rows of the report's indicators and year
    from before it. Every other figure keeps its current row: exactly one row per key was
    current, so a key the report holds changes hands only if its current row has a lower precedence.
    Decided here rather than by one UPDATE with a correlated subquery, whose plan (and a bulk
    load's time) depended on the planner's statistics of freshly loaded tables.
    """
    for model, held_by_key in current.items():
        table = table_of(model)
        key = [table.c[name] for name in FIGURE_KEYS[table.name]]
        demote, promote = [], []
        rows = await connection.execute(select(table.c.id, *key).where(table.c.report_id == report_id))
        for row in driver_rows(rows):
            held = held_by_key.get(tuple(row[1:]))
            if held is None or held[1] < precedence:
                promote.append(row[0])
                if held is not None:
                    demote.append(held[0])
        await _set_current(connection, table, demote, False)
        await _set_current(connection, table, promote, True)


async def _set_current(connection: AsyncConnection, table: Table, ids: list[int], value: bool) -> None:
    for start in range(0, len(ids), _IDS_PER_STATEMENT):
        chunk = ids[start : start + _IDS_PER_STATEMENT]
        await connection.execute(update(table).where(table.c.id.in_(chunk)).values(is_current=value))


async def recompute_current(connection: AsyncConnection, codes: list[str], fiscal_years: list[int]) -> None:
    """Mark, for these indicators and years, the figure of the highest-precedence report current.

    Rows whose flag is already right are not written.
    """
    for fiscal_year in fiscal_years:
        for model in FIGURE_MODELS:
            table = table_of(model)
            keys = FIGURE_KEYS[table.name]
            await connection.execute(_current_update(table, keys, codes, fiscal_year))


async def delete_report(connection: AsyncConnection, report_id: int) -> bool:
    """Remove a report with its figures and restore what the earlier reports said; False if absent.

    The caller owns the transaction.
    """
    report, observation = table_of(Report), table_of(Observation)
    # The report row first: a worker storing it now finds it gone and stores nothing.
    found = await connection.execute(
        update(report).where(report.c.id == report_id).values(status_changed_at=utcnow())
    )
    if int(found.rowcount) != 1:
        return False
    await lock_figures(connection)
    touched = (
        await connection.execute(
            select(observation.c.indicator_code, observation.c.fiscal_year)
            .where(observation.c.report_id == report_id)
            .distinct()
        )
    ).all()
    await clear_report(connection, report_id)
    await connection.execute(delete(report).where(report.c.id == report_id))
    for fiscal_year in sorted({year for _, year in touched}):
        codes = sorted({code for code, year in touched if year == fiscal_year})
        await recompute_current(connection, codes, [fiscal_year])
    await data_version.bump(connection)
    return True


def _current_update(table: Table, keys: Sequence[str], codes: list[str], fiscal_year: int) -> Any:
    """``is_current`` := this row has the highest precedence among the rows of its key.

    Only rows whose flag changes are written.
    """
    other = table.alias("other")
    best = (
        select(func.max(other.c.precedence))
        .where(and_(*(other.c[key] == table.c[key] for key in keys)))
        .scalar_subquery()
    )
    return (
        update(table)
        .where(
            table.c.indicator_code.in_(codes),
            table.c.fiscal_year == fiscal_year,
            table.c.is_current != (table.c.precedence == best),
        )
        .values(is_current=table.c.precedence == best)
    )
