"""The range of figures the service stores, checked before ingestion: whatever is stored can be read.

GraphQL's ``Int`` is 32-bit, and reads add figures up: a year's cumulative (12 months) of the
national total (47 prefectures). A monthly value of at most ``MAX_MONTHLY`` keeps every such sum
below 2³¹; printed totals and 累計値 must fit ``Int`` themselves. No real month comes near it (the
largest counts are in the tens of thousands). The parser bounds figures too; this is the second
line of defence, so a figure it lets through is refused with the cell named, never stored to make
reads fail.
"""

from __future__ import annotations

from service.domain import reference
from workers import sandbox
from workers.parsing import ParsedReport, ParsedTable, ParseError

#: The largest value GraphQL's Int holds.
INT_MAX = 2**31 - 1
#: The largest monthly value: 47 prefectures × 12 months of it still fit INT_MAX.
MAX_MONTHLY = INT_MAX // (47 * 12)


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
    for (code, month, breakdown), value in table.values.items():
        _check(value, MAX_MONTHLY, table, filename, f"{_name(code)}, column '{_month(month, breakdown)}'")
    last = table.months[-1]
    for (code, breakdown), value in table.reported_cumulative.items():
        _check(value, INT_MAX, table, filename, f"{_name(code)}, column '{_month(last, breakdown)} 累計値'")
    for (month, breakdown), value in table.totals.items():
        _check(value, INT_MAX, table, filename, f"合計, column '{_month(month, breakdown)}'")
    for breakdown, value in table.total_cumulative.items():
        _check(value, INT_MAX, table, filename, f"合計, column '{_month(last, breakdown)} 累計値'")


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
