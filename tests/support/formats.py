"""A report's text layout (the sample, or ``render_report``'s) rendered as HTML, XLSX and CSV.

``blocks`` reads the text into headings, paragraphs and tables; each ``to_*`` writes those blocks
the way that format would hold the same report, so parsing any of them must give the same figures.
``to_long_csv`` writes figures (``seed_values()``, or any ``render_report`` values) one per row.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from openpyxl import Workbook

from service.domain.reference import prefecture
from workers.parsing._headings import classify

_TAG = re.compile(r"<[^>]*>")
_ANCHOR = re.compile(r"<a\b[^>]*>(.*?)</a>")
_NUMBER = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})*|[0-9]+")


@dataclass
class Heading:
    """A title line: ``level`` is its count of ``#`` marks (0 when unmarked)."""

    level: int
    text: str


@dataclass
class Paragraph:
    """Lines with no blank line between them (a hard-wrapped ◆◆ definition, a note)."""

    lines: list[str]


@dataclass
class Table:
    """Tab-separated rows, the first cell as the text layout prints it (maybe an ``<a href>``)."""

    rows: list[list[str]] = field(default_factory=list)

    def header_rows(self) -> int:
        """How many rows label the columns (months, then breakdowns)."""
        count = 0
        for row in self.rows:
            if any(cell and not _NUMBER.fullmatch(cell) for cell in row[1:]) and not label(row[0]):
                count += 1
            else:
                break
        return count


Block = Heading | Paragraph | Table


def blocks(text: str) -> list[Block]:
    """The text layout's blocks, in order."""
    found: list[Block] = []
    for line in text.split("\n"):
        line = line.rstrip()
        last = found[-1] if found else None
        if "\t" in line:
            if not isinstance(last, Table):
                last = Table()
                found.append(last)
            last.rows.append(line.split("\t"))
        elif not line.strip():
            found.append(Paragraph([]))
        elif line.startswith("#"):
            marks = len(line) - len(line.lstrip("#"))
            found.append(Heading(marks, line[marks:].strip()))
        elif isinstance(last, Paragraph) and last.lines:
            last.lines.append(line.strip())
        else:
            found.append(Paragraph([line.strip()]))
    result: list[Block] = []
    for block in found:
        if isinstance(block, Paragraph) and not block.lines:
            continue
        # A lone line that reads as a heading (section, 4.…, ⑨…, b …) is one, marked or not.
        if isinstance(block, Paragraph) and len(block.lines) == 1 and _reads_as_heading(block.lines[0]):
            block = Heading(0, block.lines[0])
        result.append(block)
    return result


def _reads_as_heading(line: str) -> bool:
    return classify(line, line=0, group=None).kind != "plain"


def label(cell: str) -> str:
    """A first cell's visible text (the text layout may wrap it in ``<a href>``)."""
    return html.unescape(_TAG.sub("", cell)).strip()


def to_html(
    text: str,
    *,
    encoding: str = "utf-8",
    header_tag: str = "th",
    fancy: bool = False,
    declare: bool = True,
) -> bytes:
    """The results page: ``<h1>`` title, ``<h2>`` sections, titles as ``<h3>`` or ``<p><strong>``.

    ``fancy`` wraps labels and values in nested tags with ``&nbsp;`` padding; the month
    header of a breakdown table always spans its breakdowns with ``colspan``.
    """
    charset = "Shift_JIS" if encoding == "cp932" else "utf-8"
    out = ["<!DOCTYPE html>", "<html lang='ja'>", "<head>"]
    if declare:
        out.append(f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">')
    out += ["<title>よろず支援拠点 相談等実績</title>", "<style>td { text-align: right; }</style>", "</head>"]
    out += ["<body>", "<div id='main'>"]
    titles = 0
    for block in blocks(text):
        if isinstance(block, Heading):
            escaped = html.escape(block.text)
            if block.level == 1 or "年度" in block.text:
                out.append(f"<h1>{escaped}</h1>")
            elif "窓口" in block.text or "センター" in block.text:
                out.append(f"<h2>{escaped}</h2>")
            else:
                titles += 1
                tag = "<h3>{}</h3>" if titles % 2 else "<p><strong>{}</strong></p>"
                out.append(tag.format(escaped))
        elif isinstance(block, Paragraph):
            out.append("<p>" + "<br>\n".join(html.escape(line) for line in block.lines) + "</p>")
        else:
            out += _html_table(block, header_tag, fancy)
    out += ["</div>", "<!-- 更新日 -->", "</body>", "</html>", ""]
    return "\n".join(out).encode(encoding)


def _html_table(table: Table, header_tag: str, fancy: bool) -> list[str]:
    heads = table.header_rows()
    width = max(len(row) for row in table.rows)
    out = ["<table class='result'>", "<thead>"]
    for index, row in enumerate(table.rows):
        # The text layout drops a header's trailing empty cells: they are the span of its last label.
        row = row + [""] * (width - len(row)) if index < heads else row
        if index == heads:
            out += ["</thead>", "<tbody>"]
        if index < heads:
            cells = [f"<{header_tag}></{header_tag}>"]
            column = 1
            while column < len(row):
                span = 1
                while column + span < len(row) and not row[column + span]:
                    span += 1
                attribute = f' colspan="{span}"' if span > 1 else ""
                cells.append(f"<{header_tag}{attribute}>{html.escape(row[column])}</{header_tag}>")
                column += span
        else:
            first = row[0] if "<a " in row[0] else html.escape(row[0])
            if fancy:
                first = f"<span class='pref'>{first}</span>"
                values = [f"<td>&nbsp;<strong>{html.escape(cell)}</strong>&nbsp;</td>" for cell in row[1:]]
            else:
                values = [f"<td>{html.escape(cell)}</td>" for cell in row[1:]]
            cells = [f"<{header_tag}>{first}</{header_tag}>", *values]
        out.append("<tr>" + "".join(cells) + "</tr>")
    return [*out, "</tbody>", "</table>"]


def _rows(block: Block, numbers_as_text: bool) -> list[list[str | int]]:
    """A block as spreadsheet rows: numbers as numbers (or as printed), first cells as plain labels."""
    if isinstance(block, Heading):
        return [[block.text]]
    if isinstance(block, Paragraph):
        return [[line] for line in block.lines]
    rows: list[list[str | int]] = []
    heads, width = block.header_rows(), max(len(row) for row in block.rows)
    for index, row in enumerate(block.rows):
        # The text layout drops a header's trailing empty cells: they are the span of its last label.
        row = row + [""] * (width - len(row)) if index < heads else row
        cells: list[str | int] = [label(row[0])]
        for cell in row[1:]:
            is_number = _NUMBER.fullmatch(cell) is not None and not numbers_as_text
            cells.append(int(cell.replace(",", "")) if is_number else cell)
        rows.append(cells)
    return rows


def _chunks(found: list[Block]) -> list[list[Block]]:
    """The blocks split before each heading that follows a table: one table (with its text) each."""
    chunks: list[list[Block]] = [[]]
    seen_table = False
    for block in found:
        if isinstance(block, Heading) and seen_table:
            chunks.append([])
            seen_table = False
        chunks[-1].append(block)
        seen_table = seen_table or isinstance(block, Table)
    return chunks


def to_xlsx(
    text: str,
    *,
    one_sheet_per_table: bool,
    numbers_as_text: bool = False,
    column: int = 1,
    repeat_title: bool = False,
) -> bytes:
    """A workbook holding the report: all tables on ``Sheet1``, or each on a sheet ``表1``, ``表2``….

    Tables start in ``column`` (1 = A); the breakdown table's month header is a merged cell;
    ``repeat_title`` writes the report title at the top of every sheet.
    """
    found = blocks(text)
    title = next(b.text for b in found if isinstance(b, Heading))
    chunks = _chunks(found) if one_sheet_per_table else [found]
    workbook = Workbook()
    for number, chunk in enumerate(chunks, start=1):
        sheet = workbook.active if number == 1 else workbook.create_sheet()
        assert sheet is not None
        sheet.title = f"表{number}" if one_sheet_per_table else "Sheet1"
        row_number = 1
        if repeat_title and number > 1:
            sheet.cell(1, 1, title)
            row_number = 3
        for block in chunk:
            heads = block.header_rows() if isinstance(block, Table) else 0
            for index, cells in enumerate(_rows(block, numbers_as_text)):
                start = column if isinstance(block, Table) else 1
                for offset, value in enumerate(cells):
                    if value != "":
                        sheet.cell(row_number, start + offset, value)
                if index < heads:
                    _merge_groups(sheet, row_number, start, cells)
                row_number += 1
            row_number += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _merge_groups(sheet: object, row: int, start: int, cells: list[str | int]) -> None:
    """Merge a month label with the empty cells after it (the ⑨b header's 4月 over three columns)."""
    offset = 1
    while offset < len(cells):
        span = 1
        while offset + span < len(cells) and cells[offset + span] == "":
            span += 1
        if span > 1:
            first = start + offset
            sheet.merge_cells(  # type: ignore[attr-defined]
                start_row=row, start_column=first, end_row=row, end_column=first + span - 1
            )
        offset += span


def to_wide_csv(text: str, *, encoding: str = "utf-8", pad: bool = False) -> bytes:
    """The text layout with commas for tabs: title rows between tables, ``"1,472"`` quoted.

    ``pad`` writes every row as wide as the widest, as Excel's CSV export does.
    """
    rows: list[list[str]] = []
    for block in blocks(text):
        if isinstance(block, Table):
            rows += [[label(row[0]), *row[1:]] for row in block.rows]
        else:
            rows += [[str(cell) for cell in cells] for cells in _rows(block, numbers_as_text=True)]
        rows.append([])
    if pad:
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def to_long_csv(
    values: Mapping[tuple[str, str, int, str], int],
    *,
    fiscal_year: int,
    encoding: str = "utf-8",
    prefecture_names: bool = False,
) -> bytes:
    """One figure a row: ``indicator,prefecture,fiscal_year,month,breakdown,value``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["indicator", "prefecture", "fiscal_year", "month", "breakdown", "value"])
    for (code, pref, month, breakdown), value in values.items():
        where = prefecture(pref).name if prefecture_names else pref
        writer.writerow([code, where, fiscal_year, month, breakdown, value])
    return buffer.getvalue().encode(encoding)
