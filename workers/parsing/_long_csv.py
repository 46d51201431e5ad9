"""Long (tidy) CSV files, one figure a row → the wide tables they make, in the text layout's lines."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from service.domain.fiscal import fiscal_index, fiscal_year_from_title
from service.domain.reference import (
    BREAKDOWN_LABELS,
    SECTION_TITLES,
    IndicatorSpec,
    Prefecture,
    find_prefecture,
    indicator_catalogue,
    indicators_titled,
    normalize_label,
    prefecture,
    prefectures,
)
from workers.parsing import _file_reasons as file_reasons
from workers.parsing import _reasons as reasons
from workers.parsing import _report_reasons as report_reasons
from workers.parsing._cells import parse_number
from workers.parsing._csv import LONG_COLUMNS, long_column, records
from workers.parsing._model import ParseError
from workers.parsing._source import Place, Source
from workers.parsing._text import Text

_SECTION_NUMBERS = {"onestop": "(1)", "productivity": "(2)"}
# The group headings of lettered tables (⑨a–⑨c), which the catalogue does not hold.
_GROUP_NAMES = {"⑨": "よろず支援拠点の支援スキル・ノウハウを共有した人数"}
# The first label of each breakdown code (合計, not 計).
_LABELS = {code: label for label, code in reversed(BREAKDOWN_LABELS.items())}


@dataclass
class _Table:
    """One indicator's figures in a long CSV, and the line each first appears on."""

    spec: IndicatorSpec
    line: int
    values: dict[tuple[str, int, str], tuple[int, int]] = field(default_factory=dict)
    row_lines: dict[str, int] = field(default_factory=dict)
    group_lines: dict[tuple[int, str], int] = field(default_factory=dict)


def read_long(text: str, encoding: str, *, filename: str) -> Source:
    """The figures of a long CSV as the wide tables they make (no 合計 row, no 累計値)."""
    reader = _LongReader(filename)
    for line, fields in records(text, filename=filename):
        if any(f.strip() for f in fields):
            reader.read(line, fields)
    if reader.fiscal_year is None:
        raise ParseError(file_reasons.long_without_figures(), file=filename)
    lines: list[str] = []
    places: list[Place] = []
    for spec in indicator_catalogue():
        table = reader.tables.get(spec.code)
        if table is not None:
            for text_line, line in _check(table, filename).lines():
                lines.append(text_line)
                places.append(Place(line))
    title = f"{filename} (long CSV)"
    return Source("long CSV", lines, encoding, places, title=(title, reader.fiscal_year), prints_totals=False)


class _LongReader:
    """Reads the records of a long CSV one by one, each checked where it stands.

    Columns beyond the six named are ignored (a unit, a note); their order is free.
    """

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.columns: dict[str, int] | None = None
        self.width = 0
        self.fiscal_year: int | None = None
        self.fiscal_year_line = 0
        self.tables: dict[str, _Table] = {}
        self.catalogue = {spec.code: spec for spec in indicator_catalogue()}

    def read(self, line: int, fields: list[str]) -> None:
        if self.columns is None:
            self.columns, self.width = self._header(line, fields), len(fields)
            return
        if len(fields) < self.width:
            raise ParseError(
                file_reasons.long_row_width(len(fields), self.width),
                file=self.filename,
                line=line,
            )
        cell = {name: fields[index].strip() for name, index in self.columns.items()}
        spec, key, value = self._figure(line, cell)
        table = self.tables.setdefault(spec.code, _Table(spec, line))
        if key in table.values:
            (code, month, breakdown), first = key, table.values[key][1]
            where = f"{prefecture(code).name}, {month}月, {breakdown}"
            raise self._error(
                file_reasons.long_second_value(where, first, line),
                line,
                None,
                _title(spec),
            )
        table.values[key] = (value, line)
        table.row_lines.setdefault(key[0], line)
        table.group_lines.setdefault(key[1:], line)

    def _figure(self, line: int, cell: dict[str, str]) -> tuple[IndicatorSpec, tuple[str, int, str], int]:
        """A record's indicator, its key (prefecture code, month, breakdown) and its value."""
        spec = self.catalogue.get(cell["indicator"]) or _by_name(cell["indicator"])
        if spec is None:
            raise self._error(file_reasons.unknown_indicator(cell["indicator"]), line, "indicator")
        title = _title(spec)
        pref = find_prefecture(cell["prefecture"]) if cell["prefecture"] else None
        if pref is None:
            raise self._error(reasons.unknown_prefecture(cell["prefecture"]), line, "prefecture", title)
        self._check_year(cell["fiscal_year"], line, title)
        month = _month(cell["month"])
        if month is None:
            raise self._error(file_reasons.not_a_month(cell["month"]), line, "month", title)
        breakdown = _breakdown(spec, cell["breakdown"])
        if breakdown is None:
            raise self._error(
                report_reasons.unknown_breakdown(spec.code, cell["breakdown"]), line, "breakdown", title
            )
        value = parse_number(cell["value"])
        if isinstance(value, Text):
            raise self._error(value, line, "value", title)
        return spec, (pref.code, month, breakdown), value

    def _header(self, line: int, fields: list[str]) -> dict[str, int]:
        names = [long_column(f) for f in fields]
        for name in LONG_COLUMNS:
            if names.count(name) > 1:
                raise ParseError(
                    file_reasons.long_header_twice(name), file=self.filename, line=line, column=name
                )
        return {name: names.index(name) for name in LONG_COLUMNS}

    def _check_year(self, text: str, line: int, title: str) -> None:
        year = _fiscal_year(text)
        if year is None:
            raise self._error(file_reasons.not_a_fiscal_year(text), line, "fiscal_year", title)
        if self.fiscal_year is None:
            self.fiscal_year, self.fiscal_year_line = year, line
        elif year != self.fiscal_year:
            raise self._error(
                file_reasons.long_year_differs(year, self.fiscal_year, self.fiscal_year_line),
                line,
                "fiscal_year",
                title,
            )

    def _error(
        self, reason: str | Text, line: int, column: str | None, table: str | None = None
    ) -> ParseError:
        return ParseError(reason, file=self.filename, table=table, line=line, column=column)


@dataclass
class _Checked:
    """A long CSV's indicator, complete: every prefecture for every month and breakdown it gives."""

    table: _Table
    months: list[int]
    breakdowns: list[str]

    def lines(self) -> Iterator[tuple[str, int]]:
        """The table as the text layout prints it, each line with the CSV line it comes from."""
        spec, line = self.table.spec, self.table.line
        yield f"## {_SECTION_NUMBERS[spec.section]}{SECTION_TITLES[spec.section]}", line
        if not _is_numbered(spec):
            # A lettered table (⑨b) is titled "b …" under its group heading, as the page prints it.
            yield f"### {spec.number[0]}{_GROUP_NAMES.get(spec.number[0], spec.name)}", line
        yield f"#### {_title(spec)}", line
        width = len(self.breakdowns)
        if width == 1:
            yield "\t" + "\t".join(f"{m}月" for m in self.months), line
        else:
            yield "\t" + "\t".join(f"{m}月" + "\t" * (width - 1) for m in self.months), line
            yield "\t" + "\t".join(_LABELS[b] for _ in self.months for b in self.breakdowns), line
        for pref in sorted(prefectures(), key=lambda p: p.report_order):
            values = [self.table.values[(pref.code, m, b)][0] for m in self.months for b in self.breakdowns]
            yield pref.name + "\t" + "\t".join(str(v) for v in values), self.table.row_lines[pref.code]
        yield "", line


def _check(table: _Table, filename: str) -> _Checked:
    spec = table.spec
    months = sorted({m for _, m, _ in table.values}, key=fiscal_index)
    breakdowns = [b for b in spec.breakdowns if any(k[2] == b for k in table.values)]
    for month in months:
        for breakdown in breakdowns:
            missing = [p for p in prefectures() if (p.code, month, breakdown) not in table.values]
            if missing:
                line = table.group_lines.get((month, breakdown), table.line)
                raise ParseError(
                    file_reasons.long_missing(spec.code, month, breakdown, _names(missing)),
                    file=filename,
                    table=_title(spec),
                    line=line,
                    column="prefecture" if (month, breakdown) in table.group_lines else "breakdown",
                )
    return _Checked(table, months, breakdowns)


def _names(missing: list[Prefecture]) -> str:
    if len(missing) == len(prefectures()):
        return "any prefecture"
    return ", ".join(p.name for p in missing)


def _by_name(text: str) -> IndicatorSpec | None:
    """The indicator a Japanese 指標 cell names (2.相談実績件数), when only one section has it."""
    specs = indicators_titled(text)
    return specs[0] if len(specs) == 1 else None


def _title(spec: IndicatorSpec) -> str:
    """The title the results page prints: ``2.相談実績件数``, or ``b トレーニーの…`` under ⑨."""
    if _is_numbered(spec):
        return f"{spec.number}.{spec.name}"
    return f"{spec.number[1:]} {spec.name}"


def _is_numbered(spec: IndicatorSpec) -> bool:
    # "⑨".isdigit() holds too: only ASCII digits number a table on its own.
    return spec.number.isascii() and spec.number.isdigit()


def _fiscal_year(text: str) -> int | None:
    folded = unicodedata.normalize("NFKC", text).strip()
    if folded.isdigit() and len(folded) == 4:
        return int(folded)
    return fiscal_year_from_title(folded) if "年度" in folded else None


def _month(text: str) -> int | None:
    folded = unicodedata.normalize("NFKC", text).strip().removesuffix("月")
    if folded.isdigit() and 1 <= int(folded) <= 12:
        return int(folded)
    return None


def _breakdown(spec: IndicatorSpec, text: str) -> str | None:
    """The breakdown code a cell names (``trainee`` or トレーニー); empty means ``total``."""
    code = text.lower() or "total"
    code = BREAKDOWN_LABELS.get(normalize_label(text), code)
    return code if code in spec.breakdowns else None
