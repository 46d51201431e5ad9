"""Assembly: read the upload in whichever format, lay it out, read every table, validate, collect warnings."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import replace

from service.fiscal import fiscal_index, fiscal_year_from_title
from service.reference import match_indicator, normalize_label
from workers.parsing._checks import check_figures
from workers.parsing._definition import clean_definition
from workers.parsing._detect import read_source
from workers.parsing._layout import Layout, TableBlock, scan
from workers.parsing._model import ParsedReport, ParsedTable, ParseError, TableContext
from workers.parsing._source import Source
from workers.parsing._tables import parse_table

# check_figures' warning for a table without a 合計 row: a format that never has one (long CSV) skips it.
_NO_TOTAL_ROW = "has no 合計 row"


def parse_report(data: bytes, *, filename: str, fiscal_year: int | None = None) -> ParsedReport:
    """Read an uploaded report (よろず支援拠点相談等実績) into validated figures.

    The format is told from the content: the text layout (UTF-8 or CP932), the results page as
    HTML, an .xlsx workbook, or a CSV (wide tables, or one figure a row). Each is read into the
    text layout's lines, so one code path validates them all.

    Raises ParseError, naming the file and where possible the table, line and column (for a
    workbook, the cell), when the report cannot be used; inconsistencies that leave the figures
    usable become warnings. ``fiscal_year``, given with the upload, is the year of a file that
    names none; a file naming another year is refused.
    """
    source = read_source(data, filename=filename)
    layout = scan(source.lines)
    try:
        return _assemble(source, layout, filename, fiscal_year)
    except ParseError as error:
        relocated = source.relocate(error, layout)
        if relocated is error:
            raise
        raise relocated from error


def _assemble(source: Source, layout: Layout, filename: str, given_year: int | None) -> ParsedReport:
    """The report from its laid-out lines; every line number it gives is the parser's own."""
    if not layout.tables:
        if source.kind == "text":
            raise ParseError("no table found (tab-separated rows of prefectures and months)", file=filename)
        raise ParseError(
            f"no table found in the {source.kind} (rows of prefectures and months)", file=filename
        )
    title, fiscal_year = source.title or _title(layout, source, filename, given_year)
    if given_year is not None and fiscal_year != given_year:
        raise ParseError(
            f"the report's title names fiscal year {fiscal_year} but fiscal year {given_year} was given",
            file=filename,
        )
    tables: list[ParsedTable] = []
    warnings: list[str] = []
    for block in layout.tables:
        table, table_warnings = _table(block, fiscal_year=fiscal_year, filename=filename)
        for other in tables:
            if other.indicator_code == table.indicator_code:
                raise ParseError(
                    f"indicator '{table.indicator_code}' is given twice: by '{other.title}' "
                    f"(line {other.line}) and by this table (line {table.line})",
                    file=filename,
                    table=table.title,
                    line=table.line,
                )
        tables.append(table)
        warnings += table_warnings
    months = sorted({month for table in tables for month in table.months}, key=fiscal_index)
    warnings += _odd_months(tables)
    if not source.prints_totals:
        warnings = [warning for warning in warnings if not warning.endswith(_NO_TOTAL_ROW)]
    return ParsedReport(
        filename=filename,
        title=title,
        fiscal_year=fiscal_year,
        months=tuple(months),
        tables=tuple(replace(table, line=source.file_line(table.line)) for table in tables),
        warnings=tuple(source.cite(warning) for warning in warnings),
        encoding=source.encoding,
    )


def _odd_months(tables: list[ParsedTable]) -> list[str]:
    """Warnings for tables whose months differ from most tables' (a mistyped month header)."""
    usual, _ = Counter(table.months for table in tables).most_common(1)[0]
    return [
        f"table '{table.title}' (line {table.line}) gives {_months(table.months)} "
        f"but most tables give {_months(usual)}"
        for table in tables
        if table.months != usual
    ]


def _months(months: tuple[int, ...]) -> str:
    return ", ".join(f"{month}月" for month in months)


def _title(layout: Layout, source: Source, filename: str, given_year: int | None) -> tuple[str, int]:
    """The report's title: the first line before the first section that names a fiscal year.

    A file whose title names no year (a one-table CSV) takes ``given_year`` when there is one.

    A heading (``#``, ``<h1>``) comes before plain text: a saved page may link to other years'
    results ("令和7年度実績") above its title.
    """
    named = [
        (line, text, year)
        for line, text in layout.title_lines
        if (year := fiscal_year_from_title(text)) is not None
    ]
    headings = [title for title in named if source.lines[title[0] - 1].lstrip().startswith("#")]
    if named:
        _, text, fiscal_year = (headings or named)[0]
        return text, fiscal_year
    if given_year is not None:
        return (layout.title_lines[0][1] if layout.title_lines else ""), given_year
    if layout.title_lines:
        line, text = layout.title_lines[0]
        raise ParseError(f"no fiscal year (年度) in the title '{text}'", file=filename, line=line)
    raise ParseError("the report has no title naming its fiscal year (年度)", file=filename, line=1)


def _table(block: TableBlock, *, fiscal_year: int, filename: str) -> tuple[ParsedTable, list[str]]:
    heading = block.heading
    first_line = block.rows[0][0]
    if heading is None:
        raise ParseError("the table has no title", file=filename, line=first_line)
    ctx = TableContext(filename, heading.text)
    if block.section is None:
        raise ctx.error(
            "the table is not under a section heading ((1)ワンストップ相談窓口 or (2)生産性向上支援センター)",
            line=first_line,
        )
    figures = parse_table(block.rows, fiscal_year=fiscal_year, ctx=ctx)
    spec = match_indicator(block.section, heading.text)
    warnings = check_figures(figures, title=heading.text)
    breakdowns = figures.header.breakdowns
    if spec is None:
        digest = hashlib.sha1(normalize_label(heading.name).encode("utf-8")).hexdigest()[:8]
        code, name, unit = f"{block.section}.extra_{digest}", heading.name, ""
        warnings.append(
            f"table '{heading.text}' (line {first_line}) matches no catalogued indicator; "
            f"its figures are stored as '{code}'"
        )
    else:
        code, name, unit = spec.code, spec.name, spec.unit
        extra = [b for b in breakdowns if b not in spec.breakdowns]
        if extra:
            raise ctx.error(f"{spec.name} has no breakdown '{extra[0]}'", line=first_line)
        breakdowns = tuple(b for b in spec.breakdowns if b in breakdowns)
    table = ParsedTable(
        indicator_code=code,
        catalogued=spec is not None,
        section=block.section,
        number=heading.number,
        title=heading.text,
        name=name,
        definition=clean_definition(block.definition, names=(name, heading.name)),
        unit=unit,
        breakdowns=breakdowns,
        months=figures.header.months,
        prints_cumulative=figures.header.prints_cumulative,
        line=first_line,
        values=figures.values,
        reported_cumulative=figures.reported_cumulative,
        totals=figures.totals,
        total_cumulative=figures.total_cumulative,
        links=figures.links,
    )
    return table, warnings
