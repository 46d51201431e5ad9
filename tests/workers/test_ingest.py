"""Ingestion on SQLite and PostgreSQL: counts, idempotent re-runs, which report's figure is current."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from service.db.current import FIGURE_KEYS
from service.db.models import Observation, Report, ReportedCumulative, ReportedTotal, ReportStatus
from tests.support.ingested import store
from tests.support.paths import SEED
from tests.support.reportgen import render_report, seed_values
from workers.ingest import ingest
from workers.parsing import parse_report

OBS = Observation.__table__  # type: ignore[attr-defined]


async def count(engine: AsyncEngine, table: object, *where: object) -> int:
    async with engine.connect() as connection:
        return int(
            (await connection.execute(select(func.count()).select_from(table).where(*where))).scalar_one()
        )  # type: ignore[arg-type]


async def current(engine: AsyncEngine) -> dict[tuple[str, str, int, str], int]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(
                OBS.c.indicator_code,
                OBS.c.prefecture_code,
                OBS.c.month,
                OBS.c.breakdown,
                OBS.c.value,
            ).where(OBS.c.is_current)
        )
        return {(r[0], r[1], r[2], r[3]): r[4] for r in rows}


async def test_seed_is_stored_whole(engine: AsyncEngine) -> None:
    content = SEED.read_bytes()
    report_id = await store(engine, parse_report(content, filename="seed.txt"), content)
    assert await count(engine, OBS) == 658
    assert await count(engine, OBS, OBS.c.is_current) == 658
    assert await count(engine, ReportedCumulative.__table__) == 329  # type: ignore[attr-defined]
    totals = ReportedTotal.__table__  # type: ignore[attr-defined]
    assert await count(engine, totals, totals.c.cumulative.is_(False)) == 14
    async with engine.connect() as connection:
        report = (
            await connection.execute(select(Report.__table__).where(Report.__table__.c.id == report_id))
        ).one()  # type: ignore[attr-defined]
    assert report.status == ReportStatus.SUCCEEDED
    assert report.values_stored == 658
    assert await current(engine) == {(i, p, m, b): v for (i, p, m, b), v in seed_values().items()}


async def assert_highest_precedence_is_current(engine: AsyncEngine) -> None:
    """In every figure table, the current rows are exactly the highest-precedence row of each key."""
    async with engine.connect() as connection:
        for model in (Observation, ReportedCumulative, ReportedTotal):
            table = model.__table__  # type: ignore[attr-defined]
            key = [table.c[name] for name in FIGURE_KEYS[table.name]]
            best = select(*key, func.max(table.c.precedence).label("best")).group_by(*key).subquery()
            expected = set((await connection.execute(select(best))).all())
            current = set(
                (await connection.execute(select(*key, table.c.precedence).where(table.c.is_current))).all()
            )
            assert expected, table.name
            assert current == expected, table.name


async def test_a_later_month_wins_whatever_the_processing_order(engine: AsyncEngine) -> None:
    april = seed_values()
    may = dict(april)
    changed = ("onestop.consultations", "13", 4, "total")
    may[changed] = april[changed] + 5
    for (indicator, pref, _, breakdown), value in april.items():
        may[(indicator, pref, 5, breakdown)] = value + 1
    april_text = render_report(fiscal_year=2026, months=[4], values=april).encode()
    may_text = render_report(fiscal_year=2026, months=[4, 5], values=may).encode()
    # The May report is stored first; April's, stored later, must not replace its figures.
    await store(engine, parse_report(may_text, filename="may.txt"), may_text)
    await store(engine, parse_report(april_text, filename="april.txt"), april_text)
    figures = await current(engine)
    assert figures[changed] == april[changed] + 5
    assert figures[("onestop.consultations", "13", 5, "total")] == april[changed] + 1
    assert len(figures) == 658 * 2
    # Every figure of both reports is kept; only one per key is current.
    assert await count(engine, OBS) == 658 * 3
    await assert_highest_precedence_is_current(engine)
    # A June report arriving last takes over every key it holds (printed cumulatives and totals too).
    june = {**may, **{(i, p, 6, b): v for (i, p, m, b), v in may.items() if m == 5}}
    june_text = render_report(fiscal_year=2026, months=[4, 5, 6], values=june).encode()
    await store(engine, parse_report(june_text, filename="june.txt"), june_text)
    await assert_highest_precedence_is_current(engine)


async def test_ingesting_again_replaces_the_report_s_own_rows(engine: AsyncEngine) -> None:
    content = SEED.read_bytes()
    parsed = parse_report(content, filename="seed.txt")
    report_id = await store(engine, parsed, content)
    async with engine.begin() as connection:
        await connection.execute(
            Report.__table__.update()
            .where(Report.__table__.c.id == report_id)
            .values(status=ReportStatus.PROCESSING)  # type: ignore[attr-defined]
        )
        await ingest(connection, report_id, parsed)
    assert await count(engine, OBS) == 658
    await assert_highest_precedence_is_current(engine)
