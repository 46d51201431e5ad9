"""The preview job: what uploading a file would store (確認), computed on a worker and stored nowhere.

The file is parsed as ``process_report`` parses it, then ingested for real into a stand-in
report inside a transaction that is always rolled back: the changes it lists are the ones
ingestion would make, and nothing of it (report row, figures, changes, data version) is kept.
"""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from service.db.engine import is_unavailable
from service.db.models import FigureChange, Report, ReportStatus, utcnow
from service.domain.fiscal import fiscal_index
from service.domain.previews import ChangedFigure, Preview, TablePreview
from workers.ingest import ingest
from workers.parsing import ParsedReport, ParseError
from workers.storable import read_storable

log = structlog.get_logger("workers.preview")
_REPORT = Report.__table__  # type: ignore[attr-defined]
_CHANGE = FigureChange.__table__  # type: ignore[attr-defined]


async def preview_report(
    ctx: dict[str, Any], content: bytes, filename: str, fiscal_year: int | None
) -> Preview:
    """arq job: the preview of ``content`` uploaded as ``filename`` (with the fiscal year given, if any)."""
    try:
        parsed = await read_storable(content, filename=filename, fiscal_year=fiscal_year)
    except ParseError as error:
        return Preview(filename=filename, error=str(error), error_ja=error.message_ja)
    try:
        changes = await changes_if_stored(ctx["engine"], parsed)
    except Exception as error:
        if is_unavailable(error):
            raise  # the API answers SERVICE_UNAVAILABLE
        log.exception("preview.internal_error", filename=filename)
        name = type(error).__name__
        return Preview(
            filename=filename,
            error=f"the report could not be stored ({name}); see the worker log",
            error_ja=f"報告を保存できませんでした（{name}）。ワーカーのログを確認してください",
        )
    return _of(parsed, changes)


def _of(parsed: ParsedReport, changes: tuple[ChangedFigure, ...]) -> Preview:
    return Preview(
        filename=parsed.filename,
        title=parsed.title,
        fiscal_year=parsed.fiscal_year,
        months=parsed.months,
        tables=tuple(
            TablePreview(
                indicator_code=table.indicator_code,
                catalogued=table.catalogued,
                section=table.section,
                number=table.number,
                title=table.title,
                name=table.name,
                months=table.months,
                line=table.line,
                value_count=len(table.values),
            )
            for table in parsed.tables
        ),
        warnings=parsed.warnings,
        warnings_ja=parsed.warnings_ja,
        changes=changes,
    )


async def changes_if_stored(engine: AsyncEngine, parsed: ParsedReport) -> tuple[ChangedFigure, ...]:
    """The current figures that storing ``parsed`` now would change.

    Ingestion itself decides them (no second copy of its rules), run into a stand-in report in a
    transaction that is rolled back whatever happens; it never commits. On PostgreSQL the
    stand-in takes a report id from the sequence, which leaves a gap in ids and nothing else.
    """
    async with engine.connect() as connection:
        transaction = await connection.begin()
        try:
            report_id = await _stand_in(connection, parsed.filename)
            await ingest(connection, report_id, parsed)
            rows = (await connection.execute(select(_CHANGE).where(_CHANGE.c.report_id == report_id))).all()
        finally:
            await transaction.rollback()
    changes = [
        ChangedFigure(
            indicator_code=row.indicator_code,
            prefecture_code=row.prefecture_code,
            fiscal_year=row.fiscal_year,
            month=row.month,
            breakdown=row.breakdown,
            old_value=row.old_value,
            new_value=row.new_value,
        )
        for row in rows
    ]
    changes.sort(key=lambda c: (c.indicator_code, c.fiscal_year, fiscal_index(c.month), c.prefecture_code))
    return tuple(changes)


async def _stand_in(connection: AsyncConnection, filename: str) -> int:
    """A report row, PROCESSING as ingestion expects, under a hash no upload can have."""
    now = utcnow()
    result = await connection.execute(
        insert(_REPORT).values(
            filename=filename,
            size=0,
            sha256=f"preview:{uuid.uuid4().hex}",
            status=ReportStatus.PROCESSING,
            uploaded_at=now,
            status_changed_at=now,
            attempts=1,
            months=[],
            warnings=[],
            warnings_ja=[],
            values_stored=0,
        )
    )
    assert result.inserted_primary_key is not None
    report_id: int = result.inserted_primary_key[0]
    return report_id
