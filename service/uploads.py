"""Recording an upload: bytes, name, size and hash stored as QUEUED before the job is enqueued,
and the one wording of the upload size limit (which the HTTP layer's body limit uses too)."""

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

from service import queue
from service.db import data_version
from service.db.models import Report, ReportFile

log = structlog.get_logger("service.uploads")
_CHUNK = 1024 * 1024


def format_size(size: int) -> str:
    """A byte count as people write limits: ``20 MB``, ``512 KB`` or ``200,000 bytes``."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size:,} bytes"


def too_large_message(max_bytes: int) -> str:
    """The one wording of the upload limit error."""
    return f"the file is larger than the upload limit of {format_size(max_bytes)}"


#: Of a client's file name, how many characters are looked at (the rest is dropped unread).
MAX_NAME_INPUT = 1024
#: ANSI/VT escape sequences (CSI … final byte, OSC … BEL/ST, and two-character escapes).
_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")


class UploadConflict(Exception):
    """The same bytes were uploaded before with another fiscal year: refused rather than answered
    with the earlier report, whose figures may be of another year."""

    def __init__(self, existing: Report, fiscal_year: int | None) -> None:
        given = (
            "no fiscalYear"
            if existing.given_fiscal_year is None
            else f"fiscalYear {existing.given_fiscal_year}"
        )
        stored = f", stored as fiscal year {existing.fiscal_year}" if existing.fiscal_year is not None else ""
        wanted = "without fiscalYear" if fiscal_year is None else f"with fiscalYear {fiscal_year}"
        super().__init__(
            f"these bytes were uploaded already as report {existing.id} "
            f"({existing.status}, {given}{stored}); to upload them {wanted}, "
            f"delete report {existing.id} first (deleteReport)"
        )


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


def _same_upload(existing: Report, fiscal_year: int | None) -> Report:
    """``existing`` if uploading its bytes with ``fiscal_year`` means the same; UploadConflict otherwise.

    The same when the year given is the one given before, or the year the report was stored under.
    """
    if fiscal_year == existing.given_fiscal_year or (
        fiscal_year is not None and fiscal_year == existing.fiscal_year
    ):
        return existing
    raise UploadConflict(existing, fiscal_year)


async def existing_upload(session: AsyncSession, content: bytes) -> Report | None:
    """The report already recorded for these bytes, if any."""
    digest = hashlib.sha256(content).hexdigest()
    return (await session.exec(select(Report).where(Report.sha256 == digest))).first()


async def record_upload(
    session: AsyncSession,
    redis: ArqRedis,
    *,
    content: bytes,
    filename: str,
    caller: str,
    fiscal_year: int | None = None,
) -> Report:
    """The report for these bytes: the existing one, or a new QUEUED one whose job is enqueued.

    ``fiscal_year`` is the year given with the upload, for a file that names none. The same
    bytes given another year raise UploadConflict rather than return a report of another year.

    The report is committed before the job is enqueued, so a job never refers to a report
    that does not exist; if enqueueing fails, the worker's sweep enqueues it later.
    """
    digest = hashlib.sha256(content).hexdigest()
    existing = await existing_upload(session, content)
    if existing is not None:
        return _same_upload(existing, fiscal_year)
    report = Report(
        filename=display_name(filename),
        size=len(content),
        sha256=digest,
        uploaded_by=caller,
        given_fiscal_year=fiscal_year,
    )
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
        concurrent = (await session.exec(select(Report).where(Report.sha256 == digest))).one()
        return _same_upload(concurrent, fiscal_year)
    assert report.id is not None
    try:
        if not await queue.enqueue_report(redis, report.id, report.uploaded_at):
            log.warning("upload.job_exists", report_id=report.id)
    except (OSError, ConnectionError, TimeoutError) as error:
        log.warning("upload.enqueue_failed", report_id=report.id, error=repr(error))
    log.info("upload.recorded", report_id=report.id, size=len(content), uploaded_by=caller)
    return report
