"""Reports put straight into a database (no API, no worker), for tests of what reads them."""

from __future__ import annotations

import hashlib

from sqlalchemy.ext.asyncio import AsyncEngine

from service.db.models import Report, ReportStatus
from workers.ingest import ingest
from workers.parsing import ParsedReport


async def processing_report(engine: AsyncEngine, content: bytes) -> int:
    async with engine.begin() as connection:
        result = await connection.execute(
            Report.__table__.insert().values(  # type: ignore[attr-defined]
                filename="r.txt",
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                status=ReportStatus.PROCESSING,
                months=[],
                warnings=[],
            )
        )
        return int(result.inserted_primary_key[0])


async def store(engine: AsyncEngine, parsed: ParsedReport, content: bytes) -> int:
    report_id = await processing_report(engine, content)
    async with engine.begin() as connection:
        await ingest(connection, report_id, parsed)
    return report_id
