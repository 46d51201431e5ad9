"""Assembly: decode, lay out, read every table, validate the report as a whole, collect warnings."""

from __future__ import annotations

import hashlib
from collections import Counter

from service.fiscal import fiscal_index, fiscal_year_from_title
from service.reference import match_indicator, normalize_label
from workers.parsing._checks import check_figures
from workers.parsing._decode import decode, split_lines
from workers.parsing._definition import clean_definition
from workers.parsing._layout import Layout, TableBlock, scan
from workers.parsing._model import ParsedReport, ParsedTable, ParseError, TableContext
from workers.parsing._tables import parse_table


def parse_report(data: bytes, *, filename: str) -> ParsedReport:
    """Read an uploaded report (よろず支援拠点相談等実績) into validated figures.

    Raises ParseError, naming the file and where possible the table, line and column, when the
    report cannot be used; inconsistencies that leave the figures usable become warnings.
    """
    text, encoding = decode(data, filename=filename)
    layout = scan(split_lines(text))
    if not layout.tables:
        raise ParseError("no table found (tab-separated rows of prefectures and months)", file=filename)
    title, fiscal_year = _title(layout, filename)
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
    return ParsedReport(
        filename=filename,
        title=title,
        fiscal_year=fiscal_year,
        months=tuple(months),
        tables=tuple(tables),
        warnings=tuple(warnings),
        encoding=encoding,
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


def _title(layout: Layout, filename: str) -> tuple[str, int]:
    """The report's title: the first line before the first section that names a fiscal year."""
    for _, text in layout.title_lines:
        fiscal_year = fiscal_year_from_title(text)
        if fiscal_year is not None:
            return text, fiscal_year
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
