"""The storage ceiling checked before ingestion (``service.domain.ranges``): whatever is stored can be read.

The parser refuses implausible figures already, well inside this ceiling; this is the second line
of defence, whatever read the figures, so a figure it lets through is refused with the cell named,
never stored to make reads fail.
"""

from __future__ import annotations

from service.domain import reference
from service.domain.ranges import STORABLE_MONTHLY, STORABLE_PRINTED
from workers import sandbox
from workers.parsing import ParsedReport, ParsedTable, ParseError


async def read_storable(content: bytes, *, filename: str, fiscal_year: int | None) -> ParsedReport:
    """The upload read as the worker stores it: parsed in a bounded child process, then range-checked.

    Uploads and previews both read through here, so a preview says exactly what an upload would do.
    """
    parsed = await sandbox.parse_bounded(content, filename=filename, fiscal_year=fiscal_year)
    check_storable(parsed)
    return parsed


def check_storable(parsed: ParsedReport) -> None:
    """Raise ``ParseError`` naming the first figure outside the stored range, if any."""
    for table in parsed.tables:
        _check_table(table, parsed.filename)


def _check_table(table: ParsedTable, filename: str) -> None:
    last = table.months[-1]
    for (code, month, breakdown), value in table.values.items():
        cell = f"{_name(code)}, column '{_month(month, breakdown)}'"
        _check(value, STORABLE_MONTHLY, table, filename, cell)
    printed = [
        *(
            (f"{_name(code)}, column '{_month(last, b)} 累計値'", v)
            for (code, b), v in table.reported_cumulative.items()
        ),
        *((f"合計, column '{_month(month, b)}'", v) for (month, b), v in table.totals.items()),
        *((f"合計, column '{_month(last, b)} 累計値'", v) for b, v in table.total_cumulative.items()),
    ]
    for cell, value in printed:
        _check(value, STORABLE_PRINTED, table, filename, cell)


def _check(value: int, largest: int, table: ParsedTable, filename: str, cell: str) -> None:
    if 0 <= value <= largest:
        return
    raise ParseError(
        f"{cell}: {value:,} is outside the figures the service stores (0 to {largest:,})",
        file=filename,
        table=table.title,
        line=table.line,
    )


def _name(code: str) -> str:
    found = reference.find_prefecture(code)
    return found.name if found is not None else code


def _month(month: int, breakdown: str) -> str:
    return f"{month}月" if breakdown == "total" else f"{month}月 ({breakdown})"
