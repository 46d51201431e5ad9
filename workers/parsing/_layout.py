"""Text lines → blocks: the report title, and each table with its heading, section and definition."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from service.domain.reference import find_prefecture, normalize_label
from workers.parsing._header import is_column_label
from workers.parsing._headings import NOTE_PREFIX, Heading, classify, is_remark

#: Labels of the national total row (合計); an empty first cell also marks it (⑨b table).
TOTAL_LABELS = frozenset({"合計", "計", "全国", "全国計", "全国合計", "総計", "総合計"})

_TAG = re.compile(r"<[^>]*>")
_MARKER = re.compile(r"(?:\s*(?:[※＊*]+\s*[0-9０-９]*|[(（]\s*(?:注|※)?\s*[0-9０-９]+\s*[)）]))+$")
_MARKS = re.compile(r"^#+")
# Markdown emphasis around a whole heading (**1.名寄せ後の事業者数**) is not part of its text.
_EMPHASIS = re.compile(r"^(\*\*|__)(.+)\1$")

Mode = Literal["heading", "table", "note", "definition"]


@dataclass
class TableBlock:
    """One table as laid out: its rows (line number, raw text) and what surrounds it."""

    section: str | None
    heading: Heading | None
    rows: list[tuple[int, str]]
    #: Definition lines (◆◆ removed from the first), ``""`` where a blank line separated paragraphs.
    definition: list[str] = field(default_factory=list)


@dataclass
class Layout:
    """The blocks of a report: title candidates (lines before the first section) and tables."""

    title_lines: list[tuple[int, str]] = field(default_factory=list)
    tables: list[TableBlock] = field(default_factory=list)


def cell_text(cell: str) -> str:
    """A cell's visible text: tags dropped, HTML entities unescaped, stripped."""
    return html.unescape(_TAG.sub("", cell)).strip()


def row_label(cell: str) -> str:
    """A row label's name without a footnote marker after it (東京都※1, 東京都*, 東京都（注2）)."""
    return _MARKER.sub("", cell_text(cell)).strip()


@lru_cache(maxsize=4096)
def _is_row_label(text: str) -> bool:
    key = normalize_label(row_label(text))
    return key in TOTAL_LABELS or (not key.isdigit() and find_prefecture(key) is not None)


def _starts_table(line: str) -> bool:
    """Whether a line opens a table: tab-separated, under an empty corner, a row label or months.

    A stray tab in prose (after a note, inside a definition) does not make a table.
    """
    cells = line.split("\t")
    if len(cells) < 2:
        return False
    first = cell_text(cells[0])
    return not first or _is_row_label(first) or any(is_column_label(cell) for cell in cells[1:])


def _continues_table(line: str) -> bool:
    """Whether a line inside a table is one of its rows, even one that lost its tabs."""
    if "\t" in line:
        return True
    words = cell_text(line).split()
    return bool(words) and _is_row_label(words[0])


class _Scanner:
    """Walks the lines once, tracking the open section, ⑨ group, title candidate and definition."""

    def __init__(self) -> None:
        self.layout = Layout()
        self.mode: Mode = "heading"
        self.section: str | None = None
        self.group: str | None = None
        self.pending: Heading | None = None
        self.last_table: TableBlock | None = None
        # A marked heading (numbered, section, '#'…) since the last table: a ◆◆ after it
        # defines the next table, not the last one.
        self.marked_since_table = False
        self.definition: list[str] | None = None
        self.orphan_definition: list[str] = []
        self.note_open = False
        self.started = False

    def feed(self, number: int, raw: str) -> None:
        stripped = raw.strip()
        if not stripped:
            self.note_open = False
            if self.mode == "definition" and self.definition is not None:
                self.definition.append("")
            return
        line = raw.rstrip()
        if _continues_table(line) if self.mode == "table" else _starts_table(line):
            self._row(number, raw)
            return
        if self.mode == "table":
            self.mode = "note"
        marked = _MARKS.match(stripped) is not None
        text = _EMPHASIS.sub(r"\2", _MARKS.sub("", stripped).strip()).strip()
        if not text:
            return
        marker = text.find("◆◆")
        if marker >= 0 or text.startswith("◆"):
            self._start_definition(text[marker + 2 :] if marker >= 0 else text.lstrip("◆"))
            return
        if text.startswith(NOTE_PREFIX) or (self.mode == "note" and self.note_open):
            self.mode, self.note_open = "note", True
            return
        heading = classify(text, line=number, group=self.group)
        if not self.started and heading.section is None:
            self.layout.title_lines.append((number, text))
        # In a definition only a marked heading ends it; plain lines continue the text.
        if (
            heading.kind == "plain"
            and not marked
            and self.mode == "definition"
            and self.definition is not None
        ):
            self.definition.append(text)
            return
        if heading.kind == "plain" and not marked and is_remark(text):
            return
        self._heading(heading, marked=marked)

    def _row(self, number: int, raw: str) -> None:
        if self.mode != "table":
            self.started = True
            block = TableBlock(self.section, self.pending, [], self.orphan_definition)
            self.layout.tables.append(block)
            self.last_table, self.pending, self.orphan_definition = block, None, []
            self.marked_since_table, self.definition, self.mode = False, None, "table"
        assert self.last_table is not None
        self.last_table.rows.append((number, raw))

    def _start_definition(self, first: str) -> None:
        if self.last_table is not None and not self.marked_since_table:
            target = self.last_table.definition
        else:
            target = self.orphan_definition
        if target:
            target.append("")
        target.append(first.strip())
        self.definition, self.mode, self.note_open = target, "definition", False

    def _heading(self, heading: Heading, *, marked: bool) -> None:
        self.mode, self.definition = "heading", None
        if heading.kind == "section":
            self.started = True
            if heading.section != self.section:
                self.group = None
            self.section, self.pending = heading.section, None
        elif heading.kind == "group":
            self.group, self.pending = heading.number, heading
        else:
            if heading.section is not None:
                # A title that names its section too ("ワンストップ相談窓口 2.相談実績件数").
                self.started = True
                if heading.section != self.section:
                    self.group = None
                self.section = heading.section
            if heading.kind == "numbered":
                self.group = None
            self.pending = heading
        if heading.kind != "plain" or marked:
            self.marked_since_table = True


def scan(lines: list[str]) -> Layout:
    """The blocks of a report's lines (line numbers are 1-based)."""
    scanner = _Scanner()
    for number, raw in enumerate(lines, start=1):
        scanner.feed(number, raw)
    return scanner.layout
