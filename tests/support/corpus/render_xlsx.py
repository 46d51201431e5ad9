"""Workbooks as offices build them: tables stacked, side by side, one sheet per table or section,
sections only in sheet names, hidden rows and sheets, formulas with and without saved values, year bands.

The writers place the text layout's blocks (``tests.support.formats.blocks``) on sheets; ``RENDERINGS`` are
the seed and multi-month reports built from it, each parsed exactly or refused naming sheet and cell.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from service.domain.reference import indicator_catalogue
from tests.support.corpus import Figures, Rendering
from tests.support.formats import Block, Heading, Table, _chunks, _merge_groups, _rows, blocks, to_xlsx
from tests.support.reportgen import render_report, seed_values
from tests.support.sample import sample_text
from workers.parsing._headings import classify

CONSULTATIONS = "onestop.consultations"


def saved(workbook: Workbook) -> bytes:
    """The workbook's bytes, as openpyxl writes them (formulas without values)."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def place(sheet: Worksheet, found: list[Block], *, row: int, column: int, text_numbers: bool = False) -> int:
    """Write ``found`` from (row, column) down, a blank row after each block; the next free row."""
    for block in found:
        heads = block.header_rows() if isinstance(block, Table) else 0
        for index, cells in enumerate(_rows(block, text_numbers)):
            for offset, value in enumerate(cells):
                if value != "":
                    sheet.cell(row, column + offset, value)
            if index < heads:
                _merge_groups(sheet, row, column, cells)
            row += 1
        row += 1
    return row


def _width(found: list[Block]) -> int:
    return max((len(r) for b in found if isinstance(b, Table) for r in b.rows), default=1)


def side_by_side(text: str, *, per_row: int, spacer: int = 1, top: int = 3) -> bytes:
    """The title in A1, then each table (with its headings and definition) beside the last,
    ``per_row`` to a row of tables, ``spacer`` empty columns between them."""
    found = blocks(text)
    title, rest = found[0], found[1:]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None and isinstance(title, Heading)
    sheet.title = "実績"
    sheet["A1"] = title.text
    chunks = _chunks(rest)
    # Columns of tables as wide as their widest table, as a grid of tables is laid out.
    widths = [max(_width(c) for c in chunks[i::per_row]) for i in range(min(per_row, len(chunks)))]
    starts = [1 + sum(widths[:i]) + spacer * i for i in range(len(widths))]
    row = top
    for first in range(0, len(chunks), per_row):
        bottom = row
        for chunk, column in zip(chunks[first : first + per_row], starts, strict=False):
            bottom = max(bottom, place(sheet, chunk, row=row, column=column))
        row = bottom + 1
    return saved(workbook)


def _is_section(block: Block) -> bool:
    return isinstance(block, Heading) and classify(block.text, line=0, group=None).kind == "section"


def section_sheets(text: str, *, per_table: bool = False) -> bytes:
    """One sheet per section (or per table) named after its section, no section heading inside."""
    found = blocks(text)
    workbook = Workbook()
    sheets: dict[str, Worksheet] = {}
    rows: dict[str, int] = {}
    section = ""
    for number, chunk in enumerate(_chunks(found[1:]), start=1):
        heads = [b for b in chunk if _is_section(b)]
        if heads:
            assert isinstance(heads[0], Heading)
            section = heads[0].text
        name = f"{section}-{number}" if per_table else section
        if name not in sheets:
            sheet = workbook.active if not sheets else workbook.create_sheet()
            assert sheet is not None
            sheet.title = name
            sheets[name], rows[name] = sheet, 1
            if len(sheets) == 1:
                rows[name] = place(sheet, found[:1], row=1, column=1)
        body = [b for b in chunk if not _is_section(b)]
        rows[name] = place(sheets[name], body, row=rows[name], column=2)
    return saved(workbook)


def edited(data: bytes, change: Callable[[Workbook], None]) -> bytes:
    """The workbook with ``change`` applied (openpyxl keeps formulas, drops saved values)."""
    workbook = load_workbook(io.BytesIO(data))
    change(workbook)
    return saved(workbook)


def with_saved_values(data: bytes, values: dict[str, dict[str, int]]) -> bytes:
    """The workbook with saved values written into its formula cells, as Excel would save them:
    sheet part (``xl/worksheets/sheet1.xml``) → cell (``B8``) → value."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            for cell, value in values.get(item.filename, {}).items():
                pattern = rf'(<c r="{cell}"[^>]*>\s*<f>[^<]*</f>\s*)<v\s*/>'.encode()
                content, count = re.subn(pattern, rb"\1<v>" + str(value).encode() + b"</v>", content)
                assert count == 1, (item.filename, cell)
            out.writestr(item.filename, content)
    return buffer.getvalue()


def total_formulas(workbook: Workbook, *, plus: bool = False) -> None:
    """Every 合計 row's figures as formulas over the prefecture rows below (``=SUM`` or ``=B9+B10…``)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            first = next((cell for cell in row if cell.value is not None), None)
            if first is None or first.value != "合計":
                continue
            for cell in row[first.column :]:
                if not isinstance(cell.value, int):
                    continue
                letter, top = cell.column_letter, cell.row + 1
                if plus:
                    cell.value = "=" + "+".join(f"{letter}{r}" for r in range(top, top + 47))
                else:
                    cell.value = f"=SUM({letter}{top}:{letter}{top + 46})"


def banded(text: str, band: str) -> str:
    """The text with a fiscal-year band row (``令和8年度``) over each table's month header."""
    lines = text.split("\n")
    out: list[str] = []
    for index, line in enumerate(lines):
        if line.startswith("\t") and "月" in line and not lines[index - 1].strip():
            out.append(f"\t{band}")
        out.append(line)
    return "\n".join(out)


def hidden_copy(workbook: Workbook, *, change: str | None = None) -> None:
    """A hidden copy of the first sheet (an old version), maybe with one cell changed by one."""
    copy = workbook.copy_worksheet(workbook.worksheets[0])
    copy.title = "表1 (旧)"
    copy.sheet_state = "hidden"
    if change is not None:
        copy[change] = int(copy[change].value) + 1  # type: ignore[arg-type]


def hidden_row(workbook: Workbook, *, name: str, offset: int = 0) -> None:
    """A hidden row under ``name``'s first row: a copy of it, its figures raised by ``offset``."""
    sheet = workbook.worksheets[0]
    row = next(cell.row for cell in sheet["A"] if cell.value == name)
    sheet.insert_rows(row + 1)
    for column in range(1, sheet.max_column + 1):
        value = sheet.cell(row, column).value
        sheet.cell(row + 1, column, value + offset if isinstance(value, int) else value)
    sheet.row_dimensions[row + 1].hidden = True


def hide_column_copy(workbook: Workbook) -> None:
    """A hidden copy of each sheet's first value column, two columns right of the table."""
    for sheet in workbook.worksheets:
        target = sheet.max_column + 2
        for row in range(1, sheet.max_row + 1):
            sheet.cell(row, target, sheet.cell(row, 2).value)
        sheet.column_dimensions[sheet.cell(1, target).column_letter].hidden = True


def _numbers_to_text(workbook: Workbook) -> None:
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, int):
                    cell.value = f"{cell.value:,}"


def _set(workbook: Workbook, cell: str, value: object) -> None:
    workbook.worksheets[0][cell] = value


def _values(months: list[int]) -> Figures:
    """The seed's April figures repeated (plus the month's number) over ``months``."""
    seed = seed_values()
    return {(c, p, m, b): v + m for (c, p, _, b), v in seed.items() for m in months}


def multi_month(months: list[int]) -> str:
    return render_report(fiscal_year=2026, months=months, values=_values(months))


def _seed_xlsx(**options: object) -> bytes:
    return to_xlsx(sample_text(), **options)  # type: ignore[arg-type]


def _codes() -> list[str]:
    return [spec.code for spec in indicator_catalogue()]


SEED = seed_values()
THREE = [4, 5, 6]
YEAR = [*range(4, 13), 1, 2, 3]

RENDERINGS = [
    Rendering(
        "xlsx: one sheet, tables from column F, numbers as text",
        "r08-04-f.xlsx",
        lambda: _seed_xlsx(one_sheet_per_table=False, column=6, numbers_as_text=True),
        SEED,
    ),
    Rendering(
        "xlsx: side by side, numbers as text with separators",
        "r08-06-side-text.xlsx",
        lambda: edited(side_by_side(multi_month(THREE), per_row=99), _numbers_to_text),
        _values(THREE),
        months=(4, 5, 6),
    ),
    Rendering(
        "xlsx: a hidden copy of a value column beside each table is skipped",
        "r08-04-hidden-column.xlsx",
        lambda: edited(_seed_xlsx(one_sheet_per_table=True), hide_column_copy),
        SEED,
    ),
    Rendering(
        "xlsx: 合計 as =SUM over a sheet-qualified range",
        "r08-04-qualified.xlsx",
        lambda: edited(
            _seed_xlsx(one_sheet_per_table=True), lambda wb: _set(wb, "B8", "=SUM('表1'!$B$9:$B$55)")
        ),
        SEED,
    ),
    Rendering(
        "xlsx: a sum of a cell holding text: refused",
        "r08-04-text-sum.xlsx",
        lambda: edited(_seed_xlsx(one_sheet_per_table=True), lambda wb: _set(wb, "B8", "=SUM(A8:B9)")),
        None,
        refusal=("sheet '表1' cell B8", "sheet '表1' cell A8, which holds '合計'", "open the file in Excel"),
    ),
    Rendering(
        "xlsx: all tables side by side in one row, one spacer column",
        "r08-04-side.xlsx",
        lambda: side_by_side(sample_text(), per_row=99),
        SEED,
    ),
    Rendering(
        # The seed's second table has no section line; the column of tables to its left names both.
        "xlsx: seed two by two, a column of tables without sections: refused",
        "r08-04-grid.xlsx",
        lambda: side_by_side(sample_text(), per_row=2, spacer=2),
        None,
        refusal=("sheet '実績' cell F3", "name several sections"),
    ),
    Rendering(
        "xlsx: three months, tables two by two, two spacer columns",
        "r08-06-grid.xlsx",
        lambda: side_by_side(multi_month(THREE), per_row=2, spacer=2),
        _values(THREE),
        months=(4, 5, 6),
    ),
    Rendering(
        "xlsx: three months side by side, three to a row",
        "r08-06-side.xlsx",
        lambda: side_by_side(multi_month(THREE), per_row=3),
        _values(THREE),
        months=(4, 5, 6),
    ),
    Rendering(
        "xlsx: one sheet per section, section only in the sheet name",
        "r08-04-sections.xlsx",
        lambda: section_sheets(sample_text()),
        SEED,
    ),
    Rendering(
        "xlsx: one sheet per table, section only in the sheet name",
        "r08-04-section-tables.xlsx",
        lambda: section_sheets(sample_text(), per_table=True),
        SEED,
    ),
    Rendering(
        "xlsx: sheet per table off column A, title repeated",
        "r08-04-sheets.xlsx",
        lambda: _seed_xlsx(one_sheet_per_table=True, column=4, repeat_title=True),
        SEED,
    ),
    Rendering(
        "xlsx: twelve months stacked on one sheet",
        "r08-03.xlsx",
        lambda: to_xlsx(multi_month(YEAR), one_sheet_per_table=False),
        _values(YEAR),
        months=(4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3),
    ),
    Rendering(
        "xlsx: a merged 令和8年度 band over three months",
        "r08-06-band.xlsx",
        lambda: to_xlsx(banded(multi_month(THREE), "令和8年度"), one_sheet_per_table=False),
        _values(THREE),
        months=(4, 5, 6),
    ),
    Rendering(
        "xlsx: a merged 2026年度 band, a sheet per table off column A",
        "r08-04-band.xlsx",
        lambda: to_xlsx(banded(sample_text(), "2026年度"), one_sheet_per_table=True, column=3),
        SEED,
    ),
    Rendering(
        "xlsx: a 令和7年度 band over a 令和8年度 report: refused",
        "r08-06-band7.xlsx",
        lambda: to_xlsx(banded(multi_month(THREE), "令和7年度"), one_sheet_per_table=False),
        None,
        refusal=(
            "table '1.名寄せ後の事業者数'",
            "Sheet1!B",
            "'2025年4月' is not a month of fiscal year 2026",
        ),
    ),
    Rendering(
        "xlsx: a hidden copy of the first sheet is skipped",
        "r08-04-hidden-copy.xlsx",
        lambda: edited(_seed_xlsx(one_sheet_per_table=True), hidden_copy),
        SEED,
    ),
    Rendering(
        "xlsx: a hidden sheet with another figure: refused",
        "r08-04-hidden-old.xlsx",
        lambda: edited(_seed_xlsx(one_sheet_per_table=True), lambda wb: hidden_copy(wb, change="B20")),
        None,
        refusal=("sheet '表1 (旧)' cell B20", "is hidden and holds figures no visible sheet shows"),
    ),
    Rendering(
        "xlsx: a hidden row repeating 東京都's is skipped",
        "r08-04-hidden-row.xlsx",
        lambda: edited(_seed_xlsx(one_sheet_per_table=True), lambda wb: hidden_row(wb, name="東京都")),
        SEED,
    ),
    Rendering(
        "xlsx: a hidden row with other figures for 東京都: refused",
        "r08-04-hidden-row2.xlsx",
        lambda: edited(
            _seed_xlsx(one_sheet_per_table=True), lambda wb: hidden_row(wb, name="東京都", offset=3)
        ),
        None,
        refusal=("sheet '表1' cell B22", "row 22 is hidden"),
    ),
    Rendering(
        "xlsx: 合計 rows as =SUM formulas without saved values (written by a library)",
        "r08-04-sum.xlsx",
        lambda: edited(_seed_xlsx(one_sheet_per_table=False), total_formulas),
        SEED,
    ),
    Rendering(
        "xlsx: 合計 rows as =B9+B10+… formulas without saved values, sheet per table",
        "r08-04-plus.xlsx",
        lambda: edited(_seed_xlsx(one_sheet_per_table=True), lambda wb: total_formulas(wb, plus=True)),
        SEED,
    ),
    Rendering(
        "xlsx: a =ROUND formula with a saved value is read as the value",
        "r08-04-saved.xlsx",
        lambda: with_saved_values(
            edited(_seed_xlsx(one_sheet_per_table=False), lambda wb: _set(wb, "B9", "=ROUND(B10*1.6,0)")),
            {"xl/worksheets/sheet1.xml": {"B9": 489}},
        ),
        SEED,
    ),
    Rendering(
        "xlsx: a =ROUND formula without a saved value: refused",
        "r08-04-round.xlsx",
        lambda: edited(_seed_xlsx(one_sheet_per_table=False), lambda wb: _set(wb, "B9", "=ROUND(B10*1.6,0)")),
        None,
        refusal=("sheet 'Sheet1' cell B9", "not a plain sum of cells", "open the file in Excel and save it"),
    ),
]
