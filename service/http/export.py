"""Spreadsheet export: ``GET /export/observations.csv`` and ``.json``, streamed, one row per figure.

Filters (query parameters, repeatable or comma-separated): ``indicator``, ``fiscal_year``,
``from`` / ``to`` (``YYYY-MM``), ``prefecture``, ``region``; CSV is UTF-8 with a BOM so that
Excel opens the Japanese text, or CP932 with ``encoding=cp932``. Text cells that a spreadsheet would
read as a formula are neutralised (OWASP's advice: a leading ``'``), since table titles come from
uploaded files. The filters are a selection (``service.domain.selection``), as GraphQL's are; a
refusal is a 400 in JSON with a code, as everywhere (``service.http.errors``).
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
from service.db.figures import load_year_figures
from service.db.models import Indicator
from service.domain import reference, selection
from service.domain.figures import FigureKey, Point, YearFigures
from service.domain.fiscal import year_month
from service.domain.selection import Period, SelectionError
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


#: How the export calls the parts of a period, for its refusals.
_PERIOD_NAMES = selection.PeriodNames(fiscal_years="fiscal_year", start="from", end="to")


def _values(request: Request, name: str) -> list[str]:
    return [
        part.strip() for raw in request.query_params.getlist(name) for part in raw.split(",") if part.strip()
    ]


def _period(request: Request) -> Period:
    try:
        years = [int(y) for y in _values(request, "fiscal_year")]
    except ValueError:
        raise SelectionError("fiscal_year must be a year like 2026") from None
    return selection.period(
        fiscal_years=years or None,
        months=None,
        start=request.query_params.get("from"),
        end=request.query_params.get("to"),
        names=_PERIOD_NAMES,
    )


def _rows(
    figures: Iterable[YearFigures],
    indicators: dict[str, Indicator],
    prefectures: list[reference.Prefecture],
    wanted: Period,
) -> Iterable[dict[str, object]]:
    for year_figures in figures:
        key = year_figures.key
        for pref in prefectures:
            point: Point
            for point in year_figures.prefecture_series(pref.code):
                if (key.fiscal_year, point.month) not in wanted:
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
        wanted = _period(request)
        prefectures = selection.prefectures(
            _values(request, "prefecture") or None, _values(request, "region") or None
        )
        async with services.sessions() as session:
            indicators = {
                row.code: row
                for row in (await session.exec(select(Indicator).order_by(col(Indicator.position)))).all()
            }
            codes = _values(request, "indicator") or list(indicators)
            selection.check_known("indicator", codes, list(indicators))
            keys = [
                FigureKey(code, year, breakdown)
                for year in wanted.fiscal_years
                for code in codes
                for breakdown in indicators[code].breakdowns
            ]
            loaded = await load_year_figures(session, keys)
    except SelectionError as error:
        return error_response(400, str(error), "BAD_USER_INPUT")
    except Exception as error:
        if not is_unavailable(error):
            raise
        return error_response(503, "The database is unavailable; try again shortly.", "SERVICE_UNAVAILABLE")
    rows = _rows((loaded[key] for key in keys), indicators, prefectures, wanted)
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
