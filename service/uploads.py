"""Recording an upload: bytes, name, size and hash stored as QUEUED before the job is enqueued."""

from __future__ import annotations

import hashlib
import re
import unicodedata

import structlog
from arq.connections import ArqRedis
from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.datastructures import UploadFile

from service import data_version, queue
from service.limits import too_large_message
from service.models import Report, ReportFile

log = structlog.get_logger("service.uploads")
_CHUNK = 1024 * 1024
#: Of a client's file name, how many characters are looked at (the rest is dropped unread).
MAX_NAME_INPUT = 1024
#: ANSI/VT escape sequences (CSI … final byte, OSC … BEL/ST, and two-character escapes).
_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")


class UploadTooLarge(Exception):
    """The file went past the upload size limit while it was being read."""

    def __init__(self, limit: int) -> None:
        super().__init__(too_large_message(limit))


def display_name(filename: str | None) -> str:
    """The last path component of a client's file name, for display only (never used as a path).

    Terminal escapes, control characters (NUL included: PostgreSQL text cannot hold it) and
    format characters (bidirectional overrides that make ``txt.exe`` read as ``exe.txt``) are
    removed, so a name shows as what it is in logs, terminals and the dashboard.
    """
    raw = _ANSI.sub("", (filename or "")[:MAX_NAME_INPUT])
    visible = "".join(ch for ch in raw if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    name = re.split(r"[\\/]", visible)[-1].strip()
    return (name or "upload")[:255]


async def read_limited(upload: UploadFile, limit: int) -> bytes:
    """The upload's bytes, stopping as soon as they exceed ``limit``."""
    chunks: list[bytes] = []
    size = 0
    while chunk := await upload.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise UploadTooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def record_upload(
    session: AsyncSession, redis: ArqRedis, *, content: bytes, filename: str, caller: str
) -> Report:
    """The report for these bytes: the existing one, or a new QUEUED one whose job is enqueued.

    The report is committed before the job is enqueued, so a job never refers to a report
    that does not exist; if enqueueing fails, the worker's sweep enqueues it later.
    """
    digest = hashlib.sha256(content).hexdigest()
    existing = (await session.exec(select(Report).where(Report.sha256 == digest))).first()
    if existing is not None:
        return existing
    report = Report(filename=display_name(filename), size=len(content), sha256=digest, uploaded_by=caller)
    session.add(report)
    try:
        await session.flush()
        assert report.id is not None
        session.add(ReportFile(report_id=report.id, content=content))
        await data_version.bump(session)
        await session.commit()
    except IntegrityError:
        # The same bytes were recorded by a concurrent request: that report is the one.
        await session.rollback()
        return (await session.exec(select(Report).where(Report.sha256 == digest))).one()
    assert report.id is not None
    try:
        if not await queue.enqueue_report(redis, report.id, report.uploaded_at):
            log.warning("upload.job_exists", report_id=report.id)
    except (OSError, ConnectionError, TimeoutError) as error:
        log.warning("upload.enqueue_failed", report_id=report.id, error=repr(error))
    log.info("upload.recorded", report_id=report.id, size=len(content), uploaded_by=caller)
    return report
