"""``service.db.rows``: the driver's rows are the rows SQLAlchemy would give."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, TypeDecorator, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from service.db import figure_sql
from service.db.models import Report
from service.db.rows import _as_fetched, driver_rows
from service.domain import reference
from tests.support.ingested import store
from tests.support.sample import SAMPLE
from workers.parsing import parse_report


class _Labelled(TypeDecorator[str]):
    """A column SQLAlchemy converts as it reads (a result processor)."""

    impl = Integer
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Any) -> str:
        return f"report {value}"


_CODES = [spec.code for spec in reference.indicator_catalogue()]
_BREAKDOWNS = sorted({b for spec in reference.indicator_catalogue() for b in spec.breakdowns})


async def _stored_sample(engine: AsyncEngine) -> None:
    content = SAMPLE.read_bytes()
    await store(engine, parse_report(content, filename=SAMPLE.name), content)


async def test_a_figure_read_gives_the_driver_rows_sqlalchemy_would(engine: AsyncEngine) -> None:
    await _stored_sample(engine)
    statements = {
        "monthly values": figure_sql.monthly_values(_CODES, [2026], _BREAKDOWNS, None),
        "printed cumulatives": figure_sql.reported_cumulatives(_CODES, [2026], None),
        "printed totals": figure_sql.reported_totals(_CODES, [2026], None),
    }
    async with AsyncSession(engine) as session:
        for name, statement in statements.items():
            expected = [tuple(row) for row in (await session.exec(statement)).all()]  # type: ignore[call-overload]
            result = await session.exec(statement)  # type: ignore[call-overload]
            if name == "monthly values":  # the dashboard's 8,000 rows: the driver's, unconverted
                assert _as_fetched(result), "SQLAlchemy would convert or filter the values"
            rows = [tuple(row) for row in driver_rows(result)]
            assert expected, name
            assert sorted(rows) == sorted(expected), name


async def test_a_result_whose_rows_sqlalchemy_converts_is_read_through_it(engine: AsyncEngine) -> None:
    await _stored_sample(engine)
    async with AsyncSession(engine) as session:
        report_id = Report.__table__.c.id  # type: ignore[attr-defined]
        statement = select(report_id, type_coerce(report_id, _Labelled))
        result = await session.exec(statement)  # type: ignore[call-overload]
        assert not _as_fetched(result)
        (row,) = driver_rows(result)
        assert row[1] == f"report {row[0]}"
