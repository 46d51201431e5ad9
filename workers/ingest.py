"""ParsedReport → database in one transaction; the only writer of new figures.

Every report's figures are kept under its id. After writing them, ``is_current`` is updated
(``service.db.current``) for the fiscal year the report touched: the figure of the report with
the highest precedence wins, so the outcome does not depend on which worker finished first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from service.db import data_version
from service.db.current import (
    FIGURE_KEYS,
    CurrentRows,
    clear_report,
    current_of,
    lock_figures,
    make_current,
    recompute_current,
    table_of,
)
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
from service.db.rows import driver_rows
from service.domain import reference, revisions
from workers.parsing import ParsedReport, ParsedTable


class ReportGone(Exception):
    """The report was deleted or finished by another worker while this one parsed it."""


async def ingest(connection: AsyncConnection, report_id: int, parsed: ParsedReport) -> int:
    """Store ``parsed`` as report ``report_id``'s figures and mark it SUCCEEDED.

    Returns the number of monthly values stored.

    The caller owns the transaction: nothing is visible until it commits.
    """
    await _claim_for_writing(connection, report_id)
    precedence = revisions.precedence(
        fiscal_year=parsed.fiscal_year, latest_month=parsed.months[-1], report_id=report_id
    )
    leftovers = await clear_report(connection, report_id)
    await _upsert_indicators(connection, parsed.tables, precedence)
    rows = _figure_rows(parsed, report_id, precedence)
    for model in (Observation, ReportedCumulative, ReportedTotal, PrefectureLink):
        table = table_of(model)
        if rows[table.name]:
            await connection.execute(insert(table), rows[table.name])
    codes = [t.indicator_code for t in parsed.tables]
    current = await current_of(connection, codes, parsed.fiscal_year)
    if leftovers:
        await recompute_current(connection, codes, [parsed.fiscal_year])
    else:
        await make_current(connection, report_id, precedence, current)
    await _record_changes(connection, report_id, current[Observation])
    await connection.execute(
        update(table_of(Report))
        .where(table_of(Report).c.id == report_id)
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
    report = table_of(Report)
    claimed = await connection.execute(
        update(report)
        .where(report.c.id == report_id, report.c.status == ReportStatus.PROCESSING)
        .values(status_changed_at=utcnow())
    )
    if int(claimed.rowcount) != 1:
        raise ReportGone(report_id)
    await lock_figures(connection)


async def _upsert_indicators(
    connection: AsyncConnection, tables: Sequence[ParsedTable], precedence: int
) -> None:
    indicator = table_of(Indicator)
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
                            indicator.c.definition_precedence <= precedence,
                        ),
                    )
                    .values(definition=table.definition, definition_precedence=precedence)
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
                definition_precedence=precedence if table.definition else None,
            )
        )


def _figure_rows(parsed: ParsedReport, report_id: int, precedence: int) -> dict[str, list[dict[str, Any]]]:
    common = {"report_id": report_id, "precedence": precedence, "fiscal_year": parsed.fiscal_year}
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
        {"report_id": report_id, "precedence": precedence, "prefecture_code": pref, "url": url}
        for pref, url in links.items()
    ]
    return rows


async def _record_changes(connection: AsyncConnection, report_id: int, before: CurrentRows) -> None:
    """Keep the figures the report changed: those it made current with a different value."""
    obs, keys = table_of(Observation), FIGURE_KEYS["observation"]
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
        for row in driver_rows(now_current)
        if (held := before.get(tuple(row[:-1]))) is not None and held[2] != row[-1]
    ]
    if changes:
        await connection.execute(insert(table_of(FigureChange)), changes)
