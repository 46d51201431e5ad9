"""The results page saved as HTML → the text layout's lines: headings marked ``#``, tables tab-separated."""

from __future__ import annotations

import html
import re
import warnings

from bs4 import BeautifulSoup, Tag, UnusualUsageWarning
from bs4.element import NavigableString, PageElement, PreformattedString

from service.domain.reference import SECTION_TITLES, normalize_label
from workers.parsing import _file_reasons as file_reasons
from workers.parsing import _report_reasons as report_reasons
from workers.parsing._decode import decode
from workers.parsing._headings import section_of, table_opening
from workers.parsing._model import ParseError
from workers.parsing._source import Place, Source

_BOM = b"\xef\xbb\xbf"
# What a page (or a fragment of one) starts with; the text layout starts with its title instead.
_START = re.compile(
    rb"\s*<(?:!doctype\s+html|html|head|body|meta|title|!--|\?xml|h[1-6]|table|div|p|section|main|article)\b",
    re.IGNORECASE,
)
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_UTF8 = re.compile(r"utf-?8")
_SHIFT_JIS = re.compile(r"shift[_-]jis|x-sjis|sjis|ms_kanji|csshiftjis|windows-31j|cp932|ms932")
# Only HTML's own white space collapses; a no-break space (&nbsp;) reads as a plain space.
_SPACE = re.compile(r"[ \t\n\r\f\xa0]+")
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_SKIPPED = frozenset({"head", "script", "style", "template", "noscript", "svg", "math", "select", "iframe"})
# Elements that start and end a paragraph; a data table's cells are read apart (see _table).
_BLOCK = re.compile(
    r"address|article|aside|blockquote|body|caption|center|d[dlt]|details|dialog|div|fieldset|figcaption"
    r"|figure|footer|form|header|hr|html|li|main|nav|ol|p|pre|section|summary|table|tbody|t[dhr]|tfoot"
    r"|thead|ul"
)
#: The widest table row read, as for a worksheet.
MAX_COLUMNS = 200
#: Tables inside tables: a results page lays its tables out at most a few deep.
MAX_TABLE_DEPTH = 5
#: Elements inside elements: a results page is a few dozen deep; beyond this is an attack, not a page.
MAX_DEPTH = 200
_TABLE_TAG = re.compile(r"<(/?)table\b", re.IGNORECASE)


def looks_like_html(data: bytes) -> bool:
    """Whether ``data`` starts like an HTML page rather than the text layout's title line."""
    head = data[len(_BOM) :] if data.startswith(_BOM) else data
    return _START.match(head[:1024]) is not None


def read_html(data: bytes, *, filename: str) -> Source:
    """The page's lines: headings, paragraphs (a ``<br>`` breaks a line), and each table's rows."""
    text, encoding = _decode(data, filename)
    _refuse_nested_tables(text, filename)
    # bs4 warns when markup looks like a file name or XML; the content decides what it is here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnusualUsageWarning)
        soup = BeautifulSoup(text, "html.parser")
    _refuse_deep(soup, filename)
    writer = _Writer()
    _walk(soup, writer, filename)
    writer.paragraph(writer.line)
    _section_from_page_title(soup, writer)
    return Source("HTML", writer.lines, encoding, writer.places)


def _section_from_page_title(soup: BeautifulSoup, writer: _Writer) -> None:
    """A page whose ``<title>`` names one section (ワンストップ相談窓口｜…) and whose body names
    none: that section heads its first table, as a sheet named after a section does in a workbook.

    A body naming any section decides for itself; a title naming both sections decides nothing.
    """
    title = soup.find("title")
    if not isinstance(title, Tag):
        return
    named = [code for code, name in SECTION_TITLES.items() if name in normalize_label(_text(title))]
    if len(named) != 1 or any(section_of(line.lstrip("#")) for line in writer.lines if line):
        return
    start, _ = table_opening(writer.lines)
    if start < len(writer.lines):
        writer.lines.insert(start, f"# {SECTION_TITLES[named[0]]}")
        writer.places.insert(start, writer.places[start])


def _refuse_nested_tables(text: str, filename: str) -> None:
    """ParseError for tables nested deeper than a page needs, found by one scan of the text.

    Checked before the page is parsed: finding each table's innermost tables is quadratic in
    their depth, and a few hundred kilobytes of nested tables would hold a worker for minutes.
    """
    depth = deepest = 0
    for tag in _TABLE_TAG.finditer(text):
        depth = max(depth - 1, 0) if tag.group(1) else depth + 1
        deepest = max(deepest, depth)
        if deepest > MAX_TABLE_DEPTH:
            line = text.count("\n", 0, tag.start()) + 1
            raise ParseError(report_reasons.tables_nested(deepest, MAX_TABLE_DEPTH), file=filename, line=line)


def _refuse_deep(root: Tag, filename: str) -> None:
    """ParseError for elements nested deeper than ``MAX_DEPTH`` (one pass over the tree)."""
    stack: list[tuple[Tag, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ParseError(report_reasons.elements_nested(MAX_DEPTH), file=filename, line=node.sourceline)
        stack.extend((child, depth + 1) for child in node.contents if isinstance(child, Tag))


def _decode(data: bytes, filename: str) -> tuple[str, str]:
    """The page's text: by its BOM, else its ``<meta charset>``, else as UTF-8 or CP932 text."""
    declared = None if data.startswith(_BOM) else _CHARSET.search(data[:4096])
    if declared is None:
        return decode(data, filename=filename)
    charset = declared.group(1).decode("ascii").lower()
    codec = "utf-8" if _UTF8.fullmatch(charset) else "cp932" if _SHIFT_JIS.fullmatch(charset) else None
    if codec is None:
        raise ParseError(file_reasons.page_charset(charset), file=filename)
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ParseError(
            file_reasons.bad_page_bytes(charset, error.start), file=filename, line=line
        ) from None


class _Writer:
    """Collects lines: inline text runs on until a block or ``<br>`` ends the line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.places: list[Place] = []
        self.line = 1
        self._text: list[str] = []
        self._start = 1

    def text(self, text: str, line: int) -> None:
        if not self._text:
            self._start = line
        self._text.append(text)
        self.line = line

    def emit(self, text: str, line: int) -> None:
        self.lines.append(text)
        self.places.append(Place(line))
        self.line = line

    def flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self._text)).strip()
        self._text = []
        if text:
            self.emit(text, self._start)

    def paragraph(self, line: int) -> None:
        """End the line and the paragraph: a blank line, as between paragraphs of the text layout."""
        self.flush()
        if self.lines and self.lines[-1]:
            self.emit("", line)


def _walk(root: Tag, writer: _Writer, filename: str) -> None:
    """Visit the tree in document order without recursion (pages nest deeply)."""
    stack: list[tuple[PageElement, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if isinstance(node, Tag):
            name = node.name.lower()
            line = node.sourceline or writer.line
            if leaving:
                writer.paragraph(line)
            elif name in _SKIPPED:
                continue
            elif name == "br":
                writer.flush()
            elif name in _HEADINGS:
                writer.paragraph(line)
                writer.emit("#" * _HEADINGS[name] + " " + _text(node), line)
                writer.paragraph(line)
            elif name == "table" and node.find("table") is None:
                writer.paragraph(line)
                _table(node, writer, filename)
                writer.paragraph(line)
            else:
                if _BLOCK.fullmatch(name):
                    writer.paragraph(line)
                    stack.append((node, True))
                stack.extend((child, False) for child in reversed(node.contents))
        elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
            parent = node.parent
            writer.text(str(node), (parent.sourceline if parent else None) or writer.line)


def _text(node: Tag) -> str:
    return _SPACE.sub(" ", node.get_text()).strip()


def _table(table: Tag, writer: _Writer, filename: str) -> None:
    """A table's rows, with spanned cells laid out as the empty cells the text layout has there."""
    caption = table.find("caption")
    if isinstance(caption, Tag) and _text(caption):
        writer.emit(_text(caption), caption.sourceline or writer.line)
        writer.paragraph(writer.line)
    rows = [row for row in table.find_all("tr") if isinstance(row, Tag)]
    spanned: dict[int, int] = {}  # column → rows a rowspan above still covers
    for row in rows:
        line = row.sourceline or writer.line
        cells: list[str] = []
        for cell in row.find_all(["td", "th"], recursive=False):
            if not isinstance(cell, Tag):
                continue
            _fill_spanned(cells, spanned, trailing=False)
            # Past the widest row read is enough to refuse it; colspan="0" is one column.
            columns = max(_span(cell, "colspan", MAX_COLUMNS + 1), 1)
            rows_down = _span(cell, "rowspan", len(rows)) or len(rows)
            for column in range(len(cells), len(cells) + columns):
                if rows_down > 1:
                    spanned[column] = rows_down - 1
            cells += [_first_cell(cell) if not cells else _text(cell)] + [""] * (columns - 1)
            if len(cells) > MAX_COLUMNS:
                raise ParseError(file_reasons.row_too_wide(MAX_COLUMNS), file=filename, line=line)
        _fill_spanned(cells, spanned, trailing=True)
        if cells:
            writer.emit("\t".join(cells), line)


def _fill_spanned(cells: list[str], spanned: dict[int, int], *, trailing: bool) -> None:
    """Empty cells for the next columns a rowspan from above covers (with ``trailing``, all of them)."""
    end = max(spanned, default=-1) + 1 if trailing else 0
    while len(cells) in spanned or len(cells) < end:
        column = len(cells)
        if column in spanned:
            spanned[column] -= 1
            if not spanned[column]:
                del spanned[column]
        cells.append("")


def _span(cell: Tag, attribute: str, limit: int) -> int:
    value = cell.get(attribute)
    digits = re.match(r"\s*([0-9]+)", value if isinstance(value, str) else "")
    return min(int(digits.group(1)), limit) if digits else 1


def _first_cell(cell: Tag) -> str:
    """A row label as the text layout writes it: escaped, in its ``<a href>`` when the link is real."""
    label = html.escape(_text(cell), quote=False)
    anchor = cell.find("a", href=True)
    href = anchor.get("href") if isinstance(anchor, Tag) else None
    if isinstance(href, str) and href.strip() not in ("", "#"):
        return f'<a href="{html.escape(href.strip())}">{label}</a>'
    return label
