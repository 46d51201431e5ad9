"""What parsing produces: ``ParsedReport`` and its ``ParsedTable``s, and the one error type."""

from __future__ import annotations

from dataclasses import dataclass, field

from workers.parsing._text import Text


class ParseError(Exception):
    """The report cannot be used; says where (file, table, line, column) and why.

    Parameters:
        reason: what is wrong, e.g. ``'12a' is not a number``; a ``Text`` carries its Japanese too.
        file: the uploaded file's name.
        table: the table's title as printed, when the problem is inside one.
        line: the 1-based line number in the file.
        column: the header label of the offending column.
    """

    def __init__(
        self,
        reason: str | Text,
        *,
        file: str,
        table: str | None = None,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        text = Text.of(reason)
        self.reason = text.en
        self.reason_ja = text.ja
        self.file = file
        self.table = table
        self.line = line
        self.column = column
        super().__init__(self._message())

    def _message(self) -> str:
        where = [f"table '{self.table}'"] if self.table is not None else []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        prefix = f"{self.file}: " + (", ".join(where) + ": " if where else "")
        return prefix + self.reason

    def __str__(self) -> str:
        return self._message()

    @property
    def text(self) -> Text:
        """The reason in both languages."""
        return Text(self.reason, self.reason_ja)

    @property
    def message_ja(self) -> str:
        """The same message in Japanese (表「…」3行目 4月列: …), for the officials who fix the file."""
        where = f"表「{self.table}」" if self.table is not None else ""
        if self.line is not None:
            where += f"{self.line}行目"
        if self.column is not None:
            where += (" " if where else "") + f"{self.column}列"
        return f"{self.file}: " + (f"{where}: " if where else "") + self.reason_ja

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only arguments defeat Exception's default pickling (arq pickles job errors).
        return (_rebuild, (self.text, self.file, self.table, self.line, self.column))


def _rebuild(reason: Text, file: str, table: str | None, line: int | None, column: str | None) -> ParseError:
    return ParseError(reason, file=file, table=table, line=line, column=column)


@dataclass(frozen=True)
class ParsedTable:
    """One table of a report: an indicator's figures for the 47 prefectures.

    Parameters:
        indicator_code: the catalogue code, or ``<section>.extra_<sha1[:8]>`` for an unknown table.
        catalogued: whether ``indicator_code`` comes from the catalogue.
        section: ``onestop`` (ワンストップ相談窓口) or ``productivity`` (生産性向上支援センター).
        number: the numbering as printed, normalised (``2``, ``⑨b``).
        title: the heading as printed, without ``#`` marks.
        name: the catalogue name, or the title without numbering.
        definition: the ◆◆ text after the table (定義), cleaned.
        unit: the catalogue unit, or ``""``.
        breakdowns: breakdown codes of the columns (``total``, ``trainee``, ``seconded``).
        months: calendar months of the columns, in fiscal order.
        prints_cumulative: whether the table has a 累計値 column.
        line: 1-based line of the first header row.
        values: (prefecture code, month, breakdown) → monthly value.
        reported_cumulative: (prefecture code, breakdown) → printed 累計値 through ``months[-1]``.
        totals: (month, breakdown) → printed 合計 row value.
        total_cumulative: breakdown → the 合計 row's printed 累計値.
        links: prefecture code → href of its link, when it is a real one.
    """

    indicator_code: str
    catalogued: bool
    section: str
    number: str
    title: str
    name: str
    definition: str | None
    unit: str
    breakdowns: tuple[str, ...]
    months: tuple[int, ...]
    prints_cumulative: bool
    line: int
    values: dict[tuple[str, int, str], int] = field(default_factory=dict)
    reported_cumulative: dict[tuple[str, str], int] = field(default_factory=dict)
    totals: dict[tuple[int, str], int] = field(default_factory=dict)
    total_cumulative: dict[str, int] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ParsedReport:
    """A whole monthly results report (よろず支援拠点相談等実績), validated.

    Parameters:
        filename: the uploaded file's name.
        title: the report's title heading.
        fiscal_year: the fiscal year (年度) the title names.
        months: every month any table gives, in fiscal order.
        tables: the tables in report order.
        warnings: inconsistencies that leave the figures usable (sums, unknown tables).
        encoding: the text encoding read: ``utf-8``, ``utf-8-sig`` or ``cp932`` (XLSX: ``utf-8``).
        warnings_ja: the warnings in Japanese, in the same order.
    """

    filename: str
    title: str
    fiscal_year: int
    months: tuple[int, ...]
    tables: tuple[ParsedTable, ...]
    warnings: tuple[str, ...]
    encoding: str
    warnings_ja: tuple[str, ...] = ()

    @property
    def value_count(self) -> int:
        """The number of monthly values over all tables."""
        return sum(len(table.values) for table in self.tables)


@dataclass(frozen=True)
class TableContext:
    """Where a table's problems are reported: the file and the table's title (if it has one)."""

    file: str
    table: str | None

    def error(self, reason: str | Text, *, line: int | None = None, column: str | None = None) -> ParseError:
        """A ParseError located in this table."""
        return ParseError(reason, file=self.file, table=self.table, line=line, column=column)
