"""Assembly: read the upload in whichever format, lay it out, read every table, validate, collect warnings."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, replace

from service.domain.fiscal import fiscal_index, fiscal_year_from_title, report_month_from_title
from service.domain.reference import (
    SECTION_TITLES,
    indicators_titled,
    match_indicator,
    near_indicator,
    normalize_label,
)
from workers.parsing import _reasons as reasons
from workers.parsing import _report_reasons as report_reasons
from workers.parsing._checks import check_figures
from workers.parsing._definition import clean_definition
from workers.parsing._detect import read_source
from workers.parsing._headings import Heading
from workers.parsing._layout import Layout, TableBlock, scan
from workers.parsing._model import ParsedReport, ParsedTable, ParseError, TableContext
from workers.parsing._months import latest_month, settle
from workers.parsing._source import Source
from workers.parsing._tables import TableFigures, parse_table
from workers.parsing._text import Text
from workers.parsing._title import report_title


def parse_report(data: bytes, *, filename: str, fiscal_year: int | None = None) -> ParsedReport:
    """Read an uploaded report (よろず支援拠点相談等実績) into validated figures.

    The format is told from the content: the text layout (UTF-8, CP932 or UTF-16), the results
    page as HTML, an .xlsx workbook, or a CSV (wide tables, or one figure a row). Each is read
    into the text layout's lines, so one code path validates them all. ``fiscal_year`` is the
    year given with the upload, for a file that does not name one (a CSV of one table); a file
    that names another is refused.

    Raises ParseError, naming the file and where possible the table, line and column (for a
    workbook, the cell), when the report cannot be used; inconsistencies that leave the figures
    usable become warnings.
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


@dataclass
class _Read:
    """A table's block, heading and figures, before the report's months are settled."""

    block: TableBlock
    heading: Heading
    section: str
    ctx: TableContext
    figures: TableFigures


def _assemble(source: Source, layout: Layout, filename: str, given: int | None) -> ParsedReport:
    """The report from its laid-out lines; every line number it gives is the parser's own."""
    if not layout.tables:
        raise ParseError(report_reasons.no_table(source.kind), file=filename)
    title = report_title(layout, source, filename=filename, given=given)
    read = [_read(block, title.fiscal_year, title.month, filename) for block in layout.tables]
    latest = latest_month([r.figures for r in read], report_month=title.month, filename=filename)
    tables: list[ParsedTable] = []
    warnings: list[Text] = []
    for entry in read:
        figures, settled = settle(entry.figures, latest=latest, report_month=title.month, ctx=entry.ctx)
        table, table_warnings = _table(entry, figures)
        for other in tables:
            if other.indicator_code == table.indicator_code:
                why = report_reasons.given_twice(table.indicator_code, other.title, other.line, table.line)
                raise entry.ctx.error(why, line=table.line)
        tables.append(table)
        warnings += settled + table_warnings
    months = sorted({month for table in tables for month in table.months}, key=fiscal_index)
    warnings += _odd_months(tables)
    if not source.prints_totals:
        warnings = [warning for warning in warnings if not warning.en.endswith(report_reasons.NO_TOTAL_ROW)]
    return ParsedReport(
        filename=filename,
        title=title.text,
        fiscal_year=title.fiscal_year,
        months=tuple(months),
        tables=tuple(replace(table, line=source.file_line(table.line)) for table in tables),
        warnings=tuple(source.cite(warning.en) for warning in warnings),
        encoding=source.encoding,
        warnings_ja=tuple(source.cite_ja(warning.ja) for warning in warnings),
    )


def _odd_months(tables: list[ParsedTable]) -> list[Text]:
    """Warnings for tables whose months differ from most tables' (a mistyped month header)."""
    usual, _ = Counter(table.months for table in tables).most_common(1)[0]
    return [
        report_reasons.odd_months(table.title, table.line, _months(table.months), _months(usual))
        for table in tables
        if table.months != usual
    ]


def _months(months: tuple[int, ...]) -> str:
    return ", ".join(f"{month}月" for month in months)


def _read(block: TableBlock, fiscal_year: int, report_month: int | None, filename: str) -> _Read:
    heading = block.heading
    first_line = block.rows[0][0]
    if heading is None:
        raise ParseError(report_reasons.no_table_title(), file=filename, line=first_line)
    ctx = TableContext(filename, heading.text)
    section = block.section or _section_from_title(heading, ctx, first_line)
    figures = parse_table(block.rows, fiscal_year=fiscal_year, ctx=ctx, report_month=report_month)
    return _Read(block, heading, section, ctx, figures)


def _section_from_title(heading: Heading, ctx: TableContext, line: int) -> str:
    """The section of a table no section heading precedes (a CSV of one table): its title's, if one."""
    specs = indicators_titled(heading.text)
    if len(specs) == 1:
        return specs[0].section
    if len(specs) > 1:
        raise ctx.error(report_reasons.ambiguous_section([spec.code for spec in specs]), line=line)
    raise ctx.error(report_reasons.no_section(), line=line)


def _number(heading: Heading) -> str:
    # A circled number alone (①名寄せ後の事業者数) numbers a table as 1. does.
    if heading.kind == "group" and len(heading.number) == 1:
        return str(ord(heading.number) - 0x2460 + 1)
    return heading.number


def _table(entry: _Read, figures: TableFigures) -> tuple[ParsedTable, list[Text]]:
    block, heading, section, ctx = entry.block, entry.heading, entry.section, entry.ctx
    first_line = block.rows[0][0]
    spec = match_indicator(section, heading.text)
    warnings = list(figures.warnings)
    if figures.header.ignored_labels:
        warnings.append(
            reasons.ignored_columns(heading.text, figures.header.line, figures.header.ignored_labels)
        )
    warnings += check_figures(figures, title=heading.text)
    breakdowns = figures.header.breakdowns
    if spec is None:
        _refuse_near(section, heading, ctx, first_line)
        digest = hashlib.sha1(normalize_label(heading.name).encode("utf-8")).hexdigest()[:8]
        code, name, unit = f"{section}.extra_{digest}", heading.name, ""
        warnings.append(report_reasons.uncatalogued(heading.text, first_line, code))
    else:
        code, name, unit = spec.code, spec.name, spec.unit
        extra = [b for b in breakdowns if b not in spec.breakdowns]
        if extra:
            raise ctx.error(report_reasons.unknown_breakdown(spec.name, extra[0]), line=first_line)
        breakdowns = tuple(b for b in spec.breakdowns if b in breakdowns)
    table = ParsedTable(
        indicator_code=code,
        catalogued=spec is not None,
        section=section,
        number=_number(heading),
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


def _refuse_near(section: str, heading: Heading, ctx: TableContext, line: int) -> None:
    """ParseError for a title that spells a catalogued indicator: only a clearly new one is kept."""
    if fiscal_year_from_title(heading.text) is not None or report_month_from_title(heading.text) is not None:
        raise ctx.error(report_reasons.title_names_no_indicator(heading.text), line=line)
    elsewhere = [spec for spec in indicators_titled(heading.text) if spec.section != section]
    if elsewhere:
        titles = {str(code): name for code, name in SECTION_TITLES.items()}
        why = report_reasons.other_section(heading.text, titles.get(section, section), elsewhere[0].code)
        raise ctx.error(why, line=line)
    near = near_indicator(section, heading.text)
    if near is not None:
        raise ctx.error(
            report_reasons.near_spelling(heading.text, f"{near.number}.{near.name}", near.code), line=line
        )
