"""Benchmark data: the seed's April plus synthetic monthly reports, stored through the real parser and ingest.

A fiscal year is twelve monthly reports (one month each, in the seed's text layout, rendered by
``tests.support.reportgen.render_report``); the latest fiscal year's April is the seed itself. ``load``
stores past years as one twelve-month report each (the same figures, one ingestion per year). Values are
the seed's April figures scaled by a deterministic seasonal and yearly factor, so every run stores
the same figures. ``load`` parses each report with ``workers.parsing.parse_report`` and stores it
with ``workers.ingest.ingest``, as ``workers.jobs`` does, into any ``DATABASE_URL``.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from service.case_study_import import CaseStudyRow, store
from service.db.engine import create_engine, migrate, session_factory
from service.db.models import Report, ReportFile, ReportStatus
from service.domain import reference
from service.domain.fiscal import FISCAL_MONTHS
from tests.support.reportgen import render_report, seed_values
from workers.ingest import ingest
from workers.parsing import parse_report

#: The bundled sample report (令和8年度 4月), the seed of every generated figure.
SEED = Path(__file__).resolve().parent.parent / "service" / "data" / "sample_report.txt"
#: The seed's fiscal year (令和8年度): the latest year generated.
LATEST_FISCAL_YEAR = 2026
_REPORT = Report.__table__  # type: ignore[attr-defined]
_FILE = ReportFile.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class MonthlyReport:
    """One report to store: its file name and bytes, and the period it covers."""

    fiscal_year: int
    month: int
    filename: str
    content: bytes


def fiscal_years(count: int, *, latest: int = LATEST_FISCAL_YEAR) -> list[int]:
    """The ``count`` fiscal years ending with ``latest``, oldest first."""
    return list(range(latest - count + 1, latest + 1))


def synthetic_values(fiscal_year: int, month: int) -> dict[tuple[str, str, int, str], int]:
    """Every seed figure for ``month`` of ``fiscal_year``: April's value × season × year, with noise.

    A breakdown ``total`` stays the sum of the indicator's other breakdowns, as printed reports do.
    """
    rng = random.Random(f"{fiscal_year}-{month}")
    season = 1.0 + 0.15 * math.sin(2 * math.pi * FISCAL_MONTHS.index(month) / 12)
    trend = 1.03 ** (fiscal_year - LATEST_FISCAL_YEAR)
    values: dict[tuple[str, str, int, str], int] = {}
    for (code, pref, _, breakdown), seed in sorted(seed_values().items()):
        if breakdown != "total":
            values[(code, pref, month, breakdown)] = max(
                0, round(seed * season * trend * rng.uniform(0.8, 1.2))
            )
    for code, pref, _, breakdown in seed_values():
        if breakdown == "total":
            values[(code, pref, month, "total")] = sum(
                v for (c, p, _, b), v in values.items() if c == code and p == pref and b != "total"
            )
    return values


def monthly_reports(years: Iterable[int], *, latest_month: int = 3) -> Iterator[MonthlyReport]:
    """One report per month of each fiscal year, in upload order; the latest year's April is the seed.

    The latest fiscal year stops at ``latest_month`` (March: the whole year).
    """
    for fiscal_year in years:
        for month in FISCAL_MONTHS:
            if fiscal_year == LATEST_FISCAL_YEAR and month == 4:
                yield MonthlyReport(fiscal_year, month, "sample_report.txt", SEED.read_bytes())
            else:
                text = render_report(
                    fiscal_year=fiscal_year,
                    months=[month],
                    values=synthetic_values(fiscal_year, month),
                    era="western",
                )
                name = f"yorozu-{fiscal_year}-{month:02d}.txt"
                yield MonthlyReport(fiscal_year, month, name, text.encode())
            if fiscal_year == LATEST_FISCAL_YEAR and month == latest_month:
                break


def year_report(fiscal_year: int) -> MonthlyReport:
    """One report giving the twelve months of ``fiscal_year`` (4月 … 3月 with 累計値), the same figures
    as its twelve monthly reports: a past year is stored in one ingestion instead of twelve."""
    values: dict[tuple[str, str, int, str], int] = {}
    for month in FISCAL_MONTHS:
        values.update(synthetic_values(fiscal_year, month))
    text = render_report(fiscal_year=fiscal_year, months=list(FISCAL_MONTHS), values=values, era="western")
    return MonthlyReport(fiscal_year, 3, f"yorozu-{fiscal_year}.txt", text.encode())


def reports_to_load(years: Iterable[int], *, latest_month: int = 3) -> Iterator[MonthlyReport]:
    """What ``load`` stores: a year report for each past fiscal year, monthly reports for the latest."""
    for fiscal_year in years:
        if fiscal_year == LATEST_FISCAL_YEAR:
            yield from monthly_reports([fiscal_year], latest_month=latest_month)
        else:
            yield year_report(fiscal_year)


def case_study_rows(per_prefecture: int = 3) -> list[CaseStudyRow]:
    """A few case studies (支援事例) for every prefecture."""
    industries = ["製造業", "小売業", "飲食業", "サービス業"]
    return [
        CaseStudyRow(
            prefecture_code=pref.code,
            title=f"{pref.name}の支援事例 {n + 1}",
            url=f"https://yorozu.example/{pref.code}/case-{n + 1}",
            summary="売上向上に向けた販路開拓の支援。",
            industry=industries[n % len(industries)],
            published_on=date(2026, 4, 1 + n),
        )
        for pref in reference.prefectures()
        for n in range(per_prefecture)
    ]


async def store_report(engine: AsyncEngine, report: MonthlyReport) -> int:
    """Record ``report`` as uploaded, parse it and ingest it, as the worker does; its id."""
    async with engine.begin() as connection:
        report_id = (
            await connection.execute(
                insert(_REPORT)
                .values(
                    filename=report.filename,
                    size=len(report.content),
                    sha256=hashlib.sha256(report.content).hexdigest(),
                    status=ReportStatus.PROCESSING,
                    uploaded_by="bench",
                    months=[],
                    warnings=[],
                )
                .returning(_REPORT.c.id)
            )
        ).scalar_one()
        await connection.execute(insert(_FILE).values(report_id=report_id, content=report.content))
    parsed = parse_report(report.content, filename=report.filename)
    async with engine.begin() as connection:
        await ingest(connection, report_id, parsed)
    return int(report_id)


async def load(
    database_url: str, years: Iterable[int], *, latest_month: int = 3, case_studies: bool = True
) -> int:
    """Store every month of ``years`` (skipping reports already stored) into ``database_url``.

    The latest fiscal year stops at ``latest_month``.

    Returns the number of reports stored now. Migrates the database first.
    """
    engine = create_engine(database_url)
    try:
        await migrate(engine)
        async with engine.connect() as connection:
            known = set((await connection.execute(select(_REPORT.c.sha256))).scalars())
        stored = 0
        for report in reports_to_load(years, latest_month=latest_month):
            if hashlib.sha256(report.content).hexdigest() not in known:
                await store_report(engine, report)
                stored += 1
        if case_studies:
            async with session_factory(engine)() as session:
                await store(session, case_study_rows())
        return stored
    finally:
        await engine.dispose()
