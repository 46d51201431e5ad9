"""The worker's job on a real database: success, parse failure storing nothing, repeats skipped."""

from __future__ import annotations

import asyncio
import hashlib

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from service.db.models import Observation, Report, ReportFile
from service.settings import get_settings
from tests.support.paths import SEED
from tests.support.reportgen import render_report, seed_values
from workers import jobs

REPORT = Report.__table__  # type: ignore[attr-defined]


async def queued(engine: AsyncEngine, content: bytes, filename: str) -> int:
    async with engine.begin() as connection:
        result = await connection.execute(
            REPORT.insert().values(
                filename=filename,
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                status="QUEUED",
                months=[],
                warnings=[],
            )
        )
        report_id = int(result.inserted_primary_key[0])
        await connection.execute(
            ReportFile.__table__.insert().values(report_id=report_id, content=content)  # type: ignore[attr-defined]
        )
    return report_id


async def state(engine: AsyncEngine, report_id: int) -> tuple[str, str | None, int, int]:
    async with engine.connect() as connection:
        report = (await connection.execute(select(REPORT).where(REPORT.c.id == report_id))).one()
        stored = (
            await connection.execute(
                select(func.count()).select_from(Observation.__table__)  # type: ignore[attr-defined]
            )
        ).scalar_one()
    return report.status, report.error, report.attempts, stored


async def test_processes_a_queued_report_once(engine: AsyncEngine) -> None:
    report_id = await queued(engine, SEED.read_bytes(), "seed.txt")
    ctx = {"engine": engine, "job_try": 1}
    assert await jobs.process_report(ctx, report_id) == "SUCCEEDED"
    assert await state(engine, report_id) == ("SUCCEEDED", None, 1, 658)
    # A repeated job (arq may run one twice) finds the report finished and does nothing.
    assert await jobs.process_report(ctx, report_id) == "skipped"
    assert await state(engine, report_id) == ("SUCCEEDED", None, 1, 658)


async def test_a_parse_failure_stores_nothing(engine: AsyncEngine) -> None:
    broken = SEED.read_text(encoding="utf-8").replace("東京都</a>\t440", "東京府</a>\t440")
    report_id = await queued(engine, broken.encode(), "broken.txt")
    assert await jobs.process_report({"engine": engine, "job_try": 1}, report_id) == "FAILED"
    status, error, _, stored = await state(engine, report_id)
    assert status == "FAILED" and stored == 0
    assert error is not None and "broken.txt" in error and "東京府" in error


async def test_a_missing_report_is_skipped(engine: AsyncEngine) -> None:
    assert await jobs.process_report({"engine": engine, "job_try": 1}, 999) == "skipped"


async def test_a_failure_while_storing_rolls_everything_back(engine: AsyncEngine) -> None:
    """A database error after the first figures were written: none stay, and the report FAILS."""
    async with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            await connection.exec_driver_sql(
                "CREATE TRIGGER refuse BEFORE INSERT ON reported_total "
                "BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END"
            )
        else:
            await connection.exec_driver_sql(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "RAISE EXCEPTION 'refused by test trigger' USING ERRCODE = 'check_violation'; END $$"
            )
            await connection.exec_driver_sql(
                "CREATE TRIGGER refuse BEFORE INSERT ON reported_total FOR EACH ROW EXECUTE FUNCTION refuse()"
            )
    report_id = await queued(engine, SEED.read_bytes(), "seed.txt")
    assert await jobs.process_report({"engine": engine, "job_try": 1}, report_id) == "FAILED"
    status, error, _, stored = await state(engine, report_id)
    assert (status, stored) == ("FAILED", 0)
    assert error is not None and "IntegrityError" in error


async def test_a_report_left_processing_is_claimed_again(engine: AsyncEngine) -> None:
    """A worker killed mid-job leaves PROCESSING; the rescued job finishes it."""
    report_id = await queued(engine, SEED.read_bytes(), "seed.txt")
    async with engine.begin() as connection:
        await connection.execute(REPORT.update().values(status="PROCESSING", attempts=1))
    assert await jobs.process_report({"engine": engine, "job_try": 1}, report_id) == "SUCCEEDED"
    assert await state(engine, report_id) == ("SUCCEEDED", None, 2, 658)


async def test_two_reports_at_once_equal_one_after_the_other(engine: AsyncEngine) -> None:
    """Processing order and overlap never change which figure is current."""
    april = seed_values()
    may = dict(april)
    may[("onestop.consultations", "13", 4, "total")] = 575
    for (indicator, pref, _, breakdown), value in april.items():
        may[(indicator, pref, 5, breakdown)] = value
    april_id = await queued(
        engine, render_report(fiscal_year=2026, months=[4], values=april).encode(), "a.txt"
    )
    may_id = await queued(
        engine, render_report(fiscal_year=2026, months=[4, 5], values=may).encode(), "m.txt"
    )
    ctx = {"engine": engine, "job_try": 1}
    assert await asyncio.gather(jobs.process_report(ctx, may_id), jobs.process_report(ctx, april_id)) == [
        "SUCCEEDED",
        "SUCCEEDED",
    ]
    async with engine.connect() as connection:
        obs = Observation.__table__  # type: ignore[attr-defined]
        rows = await connection.execute(
            select(
                obs.c.indicator_code, obs.c.prefecture_code, obs.c.month, obs.c.breakdown, obs.c.value
            ).where(obs.c.is_current)
        )
        current = {(r[0], r[1], r[2], r[3]): r[4] for r in rows}
    assert current == may


async def test_a_report_that_used_up_its_attempts_ends_failed(engine: AsyncEngine) -> None:
    """Each attempt was cut short (a killed worker): the next one gives up instead of reading again."""
    report_id = await queued(engine, SEED.read_bytes(), "seed.txt")
    async with engine.begin() as connection:
        await connection.execute(REPORT.update().values(status="PROCESSING", attempts=5))
    assert await jobs.process_report({"engine": engine, "job_try": 1}, report_id) == "FAILED"
    status, error, attempts, stored = await state(engine, report_id)
    assert (status, attempts, stored) == ("FAILED", 5, 0)
    assert error is not None and error.startswith("gave up after 5 attempts (MAX_ATTEMPTS)")


async def test_the_sweep_ends_reports_that_used_up_their_attempts(engine: AsyncEngine) -> None:
    """The sweep never enqueues such a report again; it ends it FAILED."""
    report_id = await queued(engine, SEED.read_bytes(), "seed.txt")
    async with engine.begin() as connection:
        await connection.execute(REPORT.update().values(status="PROCESSING", attempts=5))
    assert await jobs.sweep({"engine": engine, "redis": None}) == 0
    status, error, _, _ = await state(engine, report_id)
    assert status == "FAILED" and error is not None and "gave up after 5 attempts" in error


async def test_a_figure_beyond_the_stored_range_fails_the_report(engine: AsyncEngine) -> None:
    """2³¹ in a report (reads add figures up as 32-bit Int): FAILED naming the cell, nothing stored."""
    figures = seed_values()
    figures[("onestop.consultations", "13", 4, "total")] = 2**31
    text = render_report(fiscal_year=2026, months=[4], values=figures, cumulative=False)
    report_id = await queued(engine, text.encode(), "huge.txt")
    assert await jobs.process_report({"engine": engine, "job_try": 1}, report_id) == "FAILED"
    status, error, _, stored = await state(engine, report_id)
    assert (status, stored) == ("FAILED", 0)
    # The parser refuses the first figure out of its range in file order: here the 合計 row's,
    # which holds 東京都's 2³¹ (a monthly figure is at most 1,000,000, a printed total 564,000,000).
    assert error is not None and "huge.txt" in error and "column '4月'" in error
    assert "is too large (at most" in error


async def test_a_poison_file_fails_alone_while_a_good_report_beside_it_succeeds(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading runs in a child process: a file that reads for ever is killed at PARSE_TIMEOUT_SECONDS
    (or refused as too deeply nested), and the event loop stays free for the seed meanwhile."""
    monkeypatch.setenv("PARSE_TIMEOUT_SECONDS", "4")
    get_settings.cache_clear()
    try:
        poison_id = await queued(engine, nested_tables(14_000), "poison.html")
        seed_id = await queued(engine, SEED.read_bytes(), "seed.txt")
        ctx = {"engine": engine, "job_try": 1}
        poison = asyncio.create_task(jobs.process_report(ctx, poison_id))
        await asyncio.sleep(0.5)  # the poison is being read
        assert await jobs.process_report(ctx, seed_id) == "SUCCEEDED"
        assert await poison == "FAILED"
    finally:
        get_settings.cache_clear()
    status, error, _, _ = await state(engine, poison_id)
    assert status == "FAILED" and error is not None
    assert "took longer than 4 s to read" in error or "nest" in error
    assert await state(engine, seed_id) == ("SUCCEEDED", None, 1, 658)


def nested_tables(depth: int) -> bytes:
    """An HTML page of ``depth`` tables each inside the last: quadratic for a naive reader."""
    return ("<html><body>" + "<table><tr><td>" * depth + "x" + "</td></tr></table>" * depth).encode()
