"""Spreadsheet export: ``GET /export/observations.csv`` and ``.json``, streamed, one row per figure.

Filters (query parameters, repeatable or comma-separated): ``indicator``, ``fiscal_year``,
``from`` / ``to`` (``YYYY-MM``), ``prefecture``, ``region``; CSV is UTF-8 with a BOM so that
Excel opens the Japanese text, or CP932 with ``encoding=cp932``. Text cells that a spreadsheet would
read as a formula are neutralised (OWASP's advice: a leading ``'``), since table titles come from
uploaded files. Errors are JSON with a code, as everywhere (``service.http.errors``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import AsyncIterator, Iterable

from sqlmodel import col, select
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from service.db.engine import is_unavailable
from service.db.models import Indicator
from service.domain import reference
from service.domain.figures import FigureKey, Point, YearFigures, load_year_figures
from service.domain.fiscal import fiscal_index, year_month
from service.http.errors import error_response
from service.runtime import Services

COLUMNS = (
    "indicator",
    "indicator_name",
    "prefecture_code",
    "prefecture",
    "area",
    "bureau",
    "fiscal_year",
    "month",
    "year_month",
    "breakdown",
    "value",
    "cumulative",
    "reported_cumulative",
)


#: First characters that make a spreadsheet read a cell as a formula (or split it, for tab and CR).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: A plain number, which stays a number even when it starts with a sign.
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_safe(value: object) -> object:
    """``value`` as a CSV cell no spreadsheet runs: text starting like a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


#: Fiscal years an export may name, and how many at once (a year past the database's integers, or
#: thousands of them, would fail or load for minutes).
YEARS = range(1900, 3000)
MAX_YEARS = 50


class ExportError(Exception):
    """A filter that names nothing; answered with 400 and the valid choices."""


def _shown(values: list[str]) -> list[str]:
    """A few of a client's values, each cut short, for an error message (never echo kilobytes)."""
    return [value[:40] for value in values[:5]]


def _values(request: Request, name: str) -> list[str]:
    return [
        part.strip() for raw in request.query_params.getlist(name) for part in raw.split(",") if part.strip()
    ]


def _period(request: Request) -> tuple[list[int], tuple[int, int] | None, tuple[int, int] | None]:
    def year_month_bound(name: str) -> tuple[int, int] | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        try:
            year, month = (int(part) for part in raw.split("-"))
        except ValueError:
            raise ExportError(f"{name} must look like 2026-04 (YYYY-MM), got {raw[:20]!r}") from None
        if not 1 <= month <= 12 or year not in YEARS:
            raise ExportError(f"{name} must look like 2026-04 (YYYY-MM), got {raw[:20]!r}")
        return (year if month >= 4 else year - 1), month

    start, end = year_month_bound("from"), year_month_bound("to")
    try:
        years = [int(y) for y in _values(request, "fiscal_year")]
    except ValueError:
        raise ExportError("fiscal_year must be a year like 2026") from None
    if not years:
        if start is None or end is None:
            raise ExportError("give fiscal_year, or both from and to (YYYY-MM)")
        years = list(range(start[0], min(end[0], start[0] + MAX_YEARS - 1) + 1))
    if any(year not in YEARS for year in years) or len(set(years)) > MAX_YEARS:
        raise ExportError(f"fiscal_year must be up to {MAX_YEARS} years from {YEARS[0]} to {YEARS[-1]}")
    return sorted(set(years)), start, end


def _prefectures(request: Request) -> list[reference.Prefecture]:
    chosen = list(reference.prefectures())
    named = _values(request, "prefecture")
    if reference.NATIONAL_ESTAT_CODE in named:
        named = []  # e-Stat's code of the nation: every prefecture
    if named:
        found = [reference.find_prefecture(name) for name in named]
        if None in found:
            raise ExportError(
                f"unknown prefecture in {_shown(named)}; "
                "use JIS codes (13), e-Stat codes (13000) or names (東京都, 東京)"
            )
        codes = {p.code for p in found if p is not None}
        chosen = [p for p in chosen if p.code in codes]
    regions = _values(request, "region")
    if regions:
        found_regions = [reference.find_region(code) for code in regions]
        if None in found_regions:
            valid = ", ".join(r.code for r in reference.regions())
            raise ExportError(f"unknown region in {_shown(regions)}; valid: {valid}")
        members = {p.code for r in found_regions if r is not None for p in reference.region_prefectures(r)}
        chosen = [p for p in chosen if p.code in members]
    return chosen


def _in_period(when: tuple[int, int], start: tuple[int, int] | None, end: tuple[int, int] | None) -> bool:
    position = (when[0], fiscal_index(when[1]))
    after_start = start is None or position >= (start[0], fiscal_index(start[1]))
    return after_start and (end is None or position <= (end[0], fiscal_index(end[1])))


def _rows(
    figures: Iterable[YearFigures],
    indicators: dict[str, Indicator],
    prefectures: list[reference.Prefecture],
    start: tuple[int, int] | None,
    end: tuple[int, int] | None,
) -> Iterable[dict[str, object]]:
    for year_figures in figures:
        key = year_figures.key
        for pref in prefectures:
            point: Point
            for point in year_figures.prefecture_series(pref.code):
                if not _in_period((key.fiscal_year, point.month), start, end):
                    continue
                yield {
                    "indicator": key.indicator_code,
                    "indicator_name": indicators[key.indicator_code].name,
                    "prefecture_code": pref.code,
                    "prefecture": pref.name,
                    "area": pref.area,
                    "bureau": pref.bureau,
                    "fiscal_year": key.fiscal_year,
                    "month": point.month,
                    "year_month": year_month(key.fiscal_year, point.month),
                    "breakdown": key.breakdown,
                    "value": point.value,
                    "cumulative": point.cumulative,
                    "reported_cumulative": point.reported_cumulative,
                }


async def export_observations(request: Request) -> Response:
    """The figures matching the filters as CSV or JSON (by the path's extension)."""
    services: Services = request.app.state.services
    kind = request.path_params["format"]
    encoding = request.query_params.get("encoding", "utf-8").lower()
    if kind not in ("csv", "json") or encoding not in ("utf-8", "cp932"):
        return error_response(404, "use /export/observations.csv or .json; encoding utf-8 or cp932")
    try:
        years, start, end = _period(request)
        prefectures = _prefectures(request)
        async with services.sessions() as session:
            indicators = {
                row.code: row
                for row in (await session.exec(select(Indicator).order_by(col(Indicator.position)))).all()
            }
            codes = _values(request, "indicator") or list(indicators)
            unknown = [code for code in codes if code not in indicators]
            if unknown:
                raise ExportError(f"unknown indicator {_shown(unknown)}; valid: {', '.join(indicators)}")
            keys = [
                FigureKey(code, year, breakdown)
                for year in years
                for code in codes
                for breakdown in indicators[code].breakdowns
            ]
            loaded = await load_year_figures(session, keys)
    except ExportError as error:
        return error_response(400, str(error), "BAD_USER_INPUT")
    except Exception as error:
        if not is_unavailable(error):
            raise
        return error_response(503, "The database is unavailable; try again shortly.", "SERVICE_UNAVAILABLE")
    rows = _rows((loaded[key] for key in keys), indicators, prefectures, start, end)
    if kind == "json":
        return StreamingResponse(_json_lines(rows), media_type="application/json")
    headers = {"Content-Disposition": 'attachment; filename="observations.csv"'}
    media = f"text/csv; charset={'shift_jis' if encoding == 'cp932' else 'utf-8'}"
    return StreamingResponse(_csv_chunks(rows, encoding), media_type=media, headers=headers)


async def _csv_chunks(rows: Iterable[dict[str, object]], encoding: str) -> AsyncIterator[bytes]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    prefix = "\ufeff" if encoding == "utf-8" else ""
    for count, row in enumerate(rows, 1):
        writer.writerow({name: spreadsheet_safe(value) for name, value in row.items()})
        if count % 500 == 0:
            # A character CP932 lacks (from a table title) becomes "?" rather than cutting the file short.
            yield (prefix + buffer.getvalue()).encode(encoding, "replace")
            prefix = ""
            buffer.seek(0)
            buffer.truncate()
    yield (prefix + buffer.getvalue()).encode(encoding, "replace")


async def _json_lines(rows: Iterable[dict[str, object]]) -> AsyncIterator[bytes]:
    yield b"["
    for count, row in enumerate(rows):
        yield (("," if count else "") + json.dumps(row, ensure_ascii=False)).encode()
    yield b"]"
