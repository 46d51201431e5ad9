"""ParsedReport → database in one transaction; the only writer of figures.

Every report's figures are kept under its id. After writing them, ``is_current`` is
recomputed for the fiscal years the report touched: the figure of the report with the
highest precedence wins, so the outcome does not depend on which worker finished first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, and_, delete, func, insert, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from service.db import data_version
from service.db.models import (
    FigureChange,
    Indicator,
    Observation,
    PrefectureLink,
    Report,
    ReportedCumulative,
    ReportedTotal,
    ReportStatus,
    utcnow,
)
from service.domain import reference
from service.domain.fiscal import fiscal_index
from workers.parsing import ParsedReport, ParsedTable

#: Report ids stay far below this, so precedence orders by period first, then by upload.
_ID_SPAN = 1_000_000_000
#: PostgreSQL advisory lock that serialises the recomputation of current figures.
_INGEST_LOCK = 0x796F7269
#: Row ids per ``IN (…)`` list: below SQLite's and asyncpg's limits on bound parameters.
_IDS_PER_STATEMENT = 5_000

_FIGURE_KEYS: dict[str, tuple[str, ...]] = {
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


class ReportGone(Exception):
    """The report was deleted or finished by another worker while this one parsed it."""


def precedence(parsed: ParsedReport, report_id: int) -> int:
    """Later latest month first, then later upload (higher id)."""
    period = parsed.fiscal_year * 12 + fiscal_index(parsed.months[-1])
    return period * _ID_SPAN + report_id


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


async def ingest(connection: AsyncConnection, report_id: int, parsed: ParsedReport) -> int:
    """Store ``parsed`` as report ``report_id``'s figures and mark it SUCCEEDED.

    Returns the number of monthly values stored.

    The caller owns the transaction: nothing is visible until it commits.
    """
    await _claim_for_writing(connection, report_id)
    rank = precedence(parsed, report_id)
    leftovers = await _clear_report(connection, report_id)
    await _upsert_indicators(connection, parsed.tables, rank)
    rows = _figure_rows(parsed, report_id, rank)
    for model in (Observation, ReportedCumulative, ReportedTotal, PrefectureLink):
        table = _table(model)
        if rows[table.name]:
            await connection.execute(insert(table), rows[table.name])
    codes = [t.indicator_code for t in parsed.tables]
    current = {
        model: await _current_rows(connection, _table(model), codes, parsed.fiscal_year)
        for model in (Observation, ReportedCumulative, ReportedTotal)
    }
    if leftovers:
        await recompute_current(connection, codes, [parsed.fiscal_year])
    else:
        await _make_current(connection, report_id, rank, current)
    await _record_changes(connection, report_id, current[Observation])
    await connection.execute(
        update(_table(Report))
        .where(_table(Report).c.id == report_id)
        .values(
            status=ReportStatus.SUCCEEDED,
            status_changed_at=utcnow(),
            processed_at=utcnow(),
            title=parsed.title,
            fiscal_year=parsed.fiscal_year,
            months=list(parsed.months),
            warnings=list(parsed.warnings),
            warnings_ja=list(parsed.warnings_ja),
            error=None,
            error_ja=None,
            values_stored=parsed.value_count,
        )
    )
    await data_version.bump(connection)
    return parsed.value_count


async def _claim_for_writing(connection: AsyncConnection, report_id: int) -> None:
    # A write first: SQLite then holds the write lock for the whole transaction, and
    # PostgreSQL serialises concurrent ingestions on the advisory lock.
    report = _table(Report)
    claimed = await connection.execute(
        update(report)
        .where(report.c.id == report_id, report.c.status == ReportStatus.PROCESSING)
        .values(status_changed_at=utcnow())
    )
    if int(claimed.rowcount) != 1:
        raise ReportGone(report_id)
    if connection.dialect.name == "postgresql":
        await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _INGEST_LOCK})


async def _clear_report(connection: AsyncConnection, report_id: int) -> bool:
    """Remove what an interrupted earlier attempt may have left, so a re-run is harmless.

    True when figures were removed (some figures may then have no current row).
    """
    removed = 0
    for model in (Observation, ReportedCumulative, ReportedTotal, PrefectureLink, FigureChange):
        table = _table(model)
        removed += int(
            (await connection.execute(delete(table).where(table.c.report_id == report_id))).rowcount
        )
    return removed > 0


async def _upsert_indicators(connection: AsyncConnection, tables: Sequence[ParsedTable], rank: int) -> None:
    indicator = _table(Indicator)
    codes = [t.indicator_code for t in tables]
    existing = set(
        (await connection.execute(select(indicator.c.code).where(indicator.c.code.in_(codes))))
        .scalars()
        .all()
    )
    position = len(reference.indicator_catalogue())
    for table in tables:
        if table.indicator_code in existing:
            if table.definition:
                await connection.execute(
                    update(indicator)
                    .where(
                        indicator.c.code == table.indicator_code,
                        or_(
                            indicator.c.definition_precedence.is_(None),
                            indicator.c.definition_precedence <= rank,
                        ),
                    )
                    .values(definition=table.definition, definition_precedence=rank)
                )
            continue
        position += 1
        await connection.execute(
            insert(indicator).values(
                code=table.indicator_code,
                section=table.section,
                number=table.number,
                name=table.name,
                unit=table.unit,
                breakdowns=list(table.breakdowns),
                prints_cumulative=table.prints_cumulative,
                catalogued=table.catalogued,
                position=position,
                definition=table.definition,
                definition_precedence=rank if table.definition else None,
            )
        )


def _figure_rows(parsed: ParsedReport, report_id: int, rank: int) -> dict[str, list[dict[str, Any]]]:
    common = {"report_id": report_id, "precedence": rank, "fiscal_year": parsed.fiscal_year}
    rows: dict[str, list[dict[str, Any]]] = {
        "observation": [],
        "reported_cumulative": [],
        "reported_total": [],
        "prefecture_link": [],
    }
    for table in parsed.tables:
        code = table.indicator_code
        last_month = table.months[-1]
        rows["observation"] += [
            {
                **common,
                "indicator_code": code,
                "prefecture_code": pref,
                "month": month,
                "breakdown": breakdown,
                "value": value,
            }
            for (pref, month, breakdown), value in table.values.items()
        ]
        rows["reported_cumulative"] += [
            {
                **common,
                "indicator_code": code,
                "prefecture_code": pref,
                "through_month": last_month,
                "breakdown": breakdown,
                "value": value,
            }
            for (pref, breakdown), value in table.reported_cumulative.items()
        ]
        rows["reported_total"] += [
            {
                **common,
                "indicator_code": code,
                "month": month,
                "breakdown": breakdown,
                "cumulative": False,
                "value": value,
            }
            for (month, breakdown), value in table.totals.items()
        ] + [
            {
                **common,
                "indicator_code": code,
                "month": last_month,
                "breakdown": breakdown,
                "cumulative": True,
                "value": value,
            }
            for breakdown, value in table.total_cumulative.items()
        ]
    links: dict[str, str] = {}
    for table in parsed.tables:
        links.update(table.links)
    rows["prefecture_link"] = [
        {"report_id": report_id, "precedence": rank, "prefecture_code": pref, "url": url}
        for pref, url in links.items()
    ]
    return rows


#: A figure's key → (id, precedence, value) of its current row.
CurrentRows = dict[tuple[Any, ...], tuple[int, int, int]]


async def _current_rows(
    connection: AsyncConnection, table: Table, codes: list[str], fiscal_year: int
) -> CurrentRows:
    """The rows clients see now for these indicators and year, by figure key."""
    key = [table.c[name] for name in _FIGURE_KEYS[table.name]]
    rows = await connection.execute(
        select(*key, table.c.id, table.c.precedence, table.c.value).where(
            table.c.is_current, table.c.indicator_code.in_(codes), table.c.fiscal_year == fiscal_year
        )
    )
    return {tuple(row[:-3]): (row[-3], row[-2], row[-1]) for row in rows}


async def _record_changes(connection: AsyncConnection, report_id: int, before: CurrentRows) -> None:
    """Keep the figures the report changed: those it made current with a different value."""
    obs, keys = _table(Observation), _FIGURE_KEYS["observation"]
    now_current = await connection.execute(
        select(*(obs.c[k] for k in keys), obs.c.value).where(obs.c.report_id == report_id, obs.c.is_current)
    )
    changes = [
        {
            "report_id": report_id,
            **dict(zip(keys, row[:-1], strict=True)),
            "old_value": held[2],
            "new_value": row[-1],
        }
        for row in now_current
        if (held := before.get(tuple(row[:-1]))) is not None and held[2] != row[-1]
    ]
    if changes:
        await connection.execute(insert(_table(FigureChange)), changes)


async def _make_current(
    connection: AsyncConnection, report_id: int, rank: int, current: dict[Any, CurrentRows]
) -> None:
    """Make the new report's figures current where it now has the highest precedence.

    ``current`` holds, per figure model, the current rows of the report's indicators and year
    from before it. Every other figure keeps its current row: exactly one row per key was
    current, so a key the report holds changes hands only if its current row ranks lower.
    Decided here rather than by one UPDATE with a correlated subquery, whose plan (and a bulk
    load's time) depended on the planner's statistics of freshly loaded tables.
    """
    for model, held_by_key in current.items():
        table = _table(model)
        key = [table.c[name] for name in _FIGURE_KEYS[table.name]]
        demote, promote = [], []
        for row in await connection.execute(select(table.c.id, *key).where(table.c.report_id == report_id)):
            held = held_by_key.get(tuple(row[1:]))
            if held is None or held[1] < rank:
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
        for model in (Observation, ReportedCumulative, ReportedTotal):
            table = _table(model)
            keys = _FIGURE_KEYS[table.name]
            await connection.execute(_current_update(table, keys, codes, fiscal_year))


async def delete_report(connection: AsyncConnection, report_id: int) -> bool:
    """Remove a report with its figures and restore what the earlier reports said; False if absent.

    The caller owns the transaction.
    """
    report, observation = _table(Report), _table(Observation)
    # The report row first: a worker storing it now finds it gone and stores nothing.
    found = await connection.execute(
        update(report).where(report.c.id == report_id).values(status_changed_at=utcnow())
    )
    if int(found.rowcount) != 1:
        return False
    if connection.dialect.name == "postgresql":
        await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _INGEST_LOCK})
    touched = (
        await connection.execute(
            select(observation.c.indicator_code, observation.c.fiscal_year)
            .where(observation.c.report_id == report_id)
            .distinct()
        )
    ).all()
    await _clear_report(connection, report_id)
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
