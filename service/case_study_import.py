"""Importing case studies (支援事例): reading an import file (CSV or JSON), validating rows, storing by URL.

Columns (CSV header or JSON keys): ``prefecture,title,url,summary,industry,published_on``;
``prefecture`` is a JIS code or a name, ``published_on`` a date ``YYYY-MM-DD``. A row whose URL is
already stored updates that case study. A file with any bad row stores nothing.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlparse

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.db import data_version
from service.db.models import CaseStudy, utcnow
from service.domain import reference

COLUMNS = ("prefecture", "title", "url", "summary", "industry", "published_on")
_REQUIRED = ("prefecture", "title", "url")
_MAX_ROWS = 10_000


class CaseStudyError(Exception):
    """A case-study file or input that cannot be stored; the message lists every bad row."""


@dataclass(frozen=True)
class CaseStudyRow:
    """One validated case study."""

    prefecture_code: str
    title: str
    url: str
    summary: str | None
    industry: str | None
    published_on: date | None


def validate(fields: dict[str, Any], where: str) -> tuple[CaseStudyRow | None, list[str]]:
    """A row from raw fields, or the problems with it (each naming ``where``)."""
    problems = [
        f"{where}: '{name}' is missing" for name in _REQUIRED if not str(fields.get(name) or "").strip()
    ]
    unknown = sorted(set(fields) - set(COLUMNS))
    if unknown:
        problems.append(f"{where}: unknown column(s) {', '.join(unknown)}; columns are {', '.join(COLUMNS)}")
    if problems:
        return None, problems
    pref = reference.find_prefecture(str(fields["prefecture"]))
    if pref is None:
        problems.append(f"{where}: unknown prefecture {fields['prefecture']!r}")
    url = str(fields["url"]).strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        problems.append(f"{where}: url {url!r} is not an http(s) address")
    published: date | None = None
    if fields.get("published_on"):
        try:
            published = date.fromisoformat(str(fields["published_on"]).strip())
        except ValueError:
            problems.append(f"{where}: published_on {fields['published_on']!r} is not a date like 2026-04-01")
    if problems or pref is None:
        return None, problems
    return (
        CaseStudyRow(
            prefecture_code=pref.code,
            title=str(fields["title"]).strip(),
            url=url,
            summary=(str(fields.get("summary") or "").strip() or None),
            industry=(str(fields.get("industry") or "").strip() or None),
            published_on=published,
        ),
        [],
    )


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CaseStudyError("the file is not UTF-8 or CP932 text")


def _records(text: str, filename: str) -> list[tuple[str, dict[str, Any]]]:
    """(where, fields) for each row of a JSON array (or {"caseStudies": [...]}) or a CSV file."""
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        try:
            loaded = json.loads(stripped)
        except json.JSONDecodeError as error:
            raise CaseStudyError(f"{filename}: invalid JSON at line {error.lineno}: {error.msg}") from None
        items = loaded.get("caseStudies") if isinstance(loaded, dict) else loaded
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise CaseStudyError(f"{filename}: JSON must be a list of objects with keys {', '.join(COLUMNS)}")
        return [(f"{filename} item {n}", item) for n, item in enumerate(items, 1)]
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None:
        raise CaseStudyError(f"{filename}: the file is empty")
    rows = []
    for row in reader:
        extra = row.pop(None, None)
        if extra:
            raise CaseStudyError(f"{filename} line {reader.line_num}: more cells than the header has")
        rows.append((f"{filename} line {reader.line_num}", {k.strip(): v for k, v in row.items() if k}))
    return rows


def read_file(data: bytes, filename: str) -> list[CaseStudyRow]:
    """Every row of an import file, validated; CaseStudyError listing all bad rows otherwise."""
    records = _records(_decode(data), filename)
    if not records:
        raise CaseStudyError(f"{filename}: no case studies in the file")
    if len(records) > _MAX_ROWS:
        raise CaseStudyError(f"{filename}: at most {_MAX_ROWS} case studies per file")
    rows: list[CaseStudyRow] = []
    problems: list[str] = []
    first_line: dict[str, str] = {}
    for where, fields in records:
        row, found = validate(fields, where)
        problems += found
        if row is not None:
            if row.url in first_line:
                problems.append(f"{where}: url {row.url} repeats {first_line[row.url]}")
            first_line.setdefault(row.url, where)
            rows.append(row)
    if problems:
        shown = problems[:20] + ([f"… and {len(problems) - 20} more"] if len(problems) > 20 else [])
        raise CaseStudyError("nothing was stored: " + "; ".join(shown))
    return rows


async def store(session: AsyncSession, rows: list[CaseStudyRow]) -> tuple[list[CaseStudy], int, int]:
    """Insert or update (by URL) in one transaction: the stored rows, how many created, updated."""
    existing = {
        study.url: study
        for study in (
            await session.exec(select(CaseStudy).where(col(CaseStudy.url).in_([r.url for r in rows])))
        ).all()
    }
    stored, created = [], 0
    for row in rows:
        study = existing.get(row.url)
        if study is None:
            study = CaseStudy(url=row.url, prefecture_code=row.prefecture_code, title=row.title)
            created += 1
        study.prefecture_code, study.title = row.prefecture_code, row.title
        study.summary, study.industry, study.published_on = row.summary, row.industry, row.published_on
        study.updated_at = utcnow()
        session.add(study)
        stored.append(study)
    await data_version.bump(session)
    await session.commit()
    return stored, created, len(rows) - created
