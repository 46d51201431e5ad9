"""Edits of a report's text layout into the layouts offices make: numbering, marks, columns, rows, templates.

Each function takes the text ``render_report`` (or the sample) prints and returns it laid out
another way that means the same figures (or, for the refusals, that no one can read for sure).
The ``render_*`` modules turn the results into text, HTML and CSV renderings.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from service.domain.fiscal import FISCAL_MONTHS, fiscal_index
from service.domain.reference import find_prefecture, find_region, normalize_label, prefecture
from tests.support.formats import Table, label
from tests.support.reportgen import Figures, render_report, seed_values
from tests.support.sample import sample_text

Rows = list[list[str]]
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
#: The seed's figures (April).
SEED = seed_values()


def seed() -> str:
    """The sample report's text (April, twelve tables)."""
    return sample_text()


def grown(months: tuple[int, ...]) -> Figures:
    """The seed's figures for several months: month n of the fiscal year gives n times April's.

    Scaling keeps every breakdown total the sum of its parts, as the report prints it.
    """
    return {(c, p, m, b): v * fiscal_index(m) for (c, p, _, b), v in seed_values().items() for m in months}


def report(
    months: tuple[int, ...], *, printed: tuple[int, ...] | None = None, title: str | None = None
) -> str:
    """A report of ``grown(months)``, printing the columns of ``printed`` months (zeros beyond)."""
    columns = printed or months
    values = grown(months) | {
        (c, p, m, b): 0 for (c, p, _, b) in seed_values() for m in columns if m not in months
    }
    return render_report(fiscal_year=2026, months=columns, values=values, title=title)


def extra_code(section: str, name: str) -> str:
    """The code an uncatalogued table's figures are stored under."""
    return f"{section}.extra_{hashlib.sha1(normalize_label(name).encode()).hexdigest()[:8]}"


# Tables


def _is_row(line: str) -> bool:
    return "\t" in line


def map_tables(text: str, edit: Callable[[Rows, Rows], tuple[Rows, Rows]]) -> str:
    """``text`` with every table's (header rows, body rows) replaced by ``edit``'s."""
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        if not _is_row(lines[index]):
            out.append(lines[index])
            index += 1
            continue
        end = index
        while end < len(lines) and _is_row(lines[end]):
            end += 1
        rows = [line.split("\t") for line in lines[index:end]]
        count = Table(rows).header_rows()
        header, body = edit(rows[:count], rows[count:])
        out += ["\t".join(row) for row in header + body]
        index = end
    return "\n".join(out)


def month_columns(header: Rows) -> dict[int, int]:
    """Column index → month, from the header's top row (a month label spans the empty cells after it)."""
    found: dict[int, int] = {}
    current: int | None = None
    for index, cell in enumerate(header[0]):
        if index == 0:
            continue
        match = re.fullmatch(r"([0-9]{1,2})月", cell)
        if cell:
            current = int(match.group(1)) if match else None
        if current is not None:
            found[index] = current
    return found


def zero_marks(mark: str) -> Callable[[Rows, Rows], tuple[Rows, Rows]]:
    """Every ``0`` in the tables' bodies printed as ``mark`` (－, ‐, —, ―)."""

    def edit(header: Rows, body: Rows) -> tuple[Rows, Rows]:
        return header, [[row[0], *(mark if cell == "0" else cell for cell in row[1:])] for row in body]

    return edit


def blank_months(months: tuple[int, ...], mark: str) -> Callable[[Rows, Rows], tuple[Rows, Rows]]:
    """The cells of ``months`` printed as ``mark`` (blank, －, 0): a template's future months."""

    def edit(header: Rows, body: Rows) -> tuple[Rows, Rows]:
        columns = {i for i, m in month_columns(header).items() if m in months}
        return header, [[mark if i in columns else c for i, c in enumerate(row)] for row in body]

    return edit


def insert_column(
    position: int, labels: tuple[str, ...], cell: Callable[[str], str]
) -> Callable[[Rows, Rows], tuple[Rows, Rows]]:
    """A column at ``position`` (negative: from the end), headed ``labels`` (one per header row).

    ``cell(row label)`` prints its body cells.
    """

    def edit(header: Rows, body: Rows) -> tuple[Rows, Rows]:
        def put(row: list[str], value: str) -> list[str]:
            at = position if position >= 0 else len(row) + 1 + position
            return [*row[:at], value, *row[at:]]

        top = [put(row, labels[min(i, len(labels) - 1)] if i == 0 else "") for i, row in enumerate(header)]
        return top, [put(row, cell(label(row[0]))) for row in body]

    return edit


def prefecture_code(name: str) -> str:
    """A row's JIS code, or nothing for the 合計 row."""
    found = find_prefecture(name) if name and name != "合計" else None
    return found.code if found else ""


def subtotals(
    *, wrong: bool = False, label_text: str | None = None
) -> Callable[[Rows, Rows], tuple[Rows, Rows]]:
    """A ``…ブロック計`` (or ``label_text``) row after each area's prefectures (one off with ``wrong``)."""

    def edit(header: Rows, body: Rows) -> tuple[Rows, Rows]:
        out: Rows = []
        group: Rows = []
        first = True
        for index, row in enumerate(body):
            out.append(row)
            found = find_prefecture(label(row[0])) if label(row[0]) else None
            if found is None:
                continue
            group.append(row)
            following = body[index + 1] if index + 1 < len(body) else None
            after = find_prefecture(label(following[0])) if following and label(following[0]) else None
            if after is None or after.area != found.area:
                region = find_region(found.area)
                sums = [_sum([r[i] for r in group]) for i in range(1, len(row))]
                if wrong and first:
                    sums[0] = None if sums[0] is None else sums[0] + 1
                first = False
                name = (region.name if region else found.area).removesuffix("地方")
                out.append(
                    [label_text or f"{name}ブロック計", *("" if s is None else f"{s:,}" for s in sums)]
                )
                group = []
        return header, out

    return edit


def _sum(cells: list[str]) -> int | None:
    """The sum of cells as printed (blank and zero marks as 0); None when one is no count (98.7%)."""
    total = 0
    for cell in cells:
        text = cell.replace(",", "").strip()
        if text.isdigit():
            total += int(text)
        elif text not in ("", "0", "－", "-", "‐", "—", "―"):
            return None
    return total


# Headings


def numbering(style: str) -> Callable[[str], str]:
    """Numbered titles (### 2.相談実績件数) numbered in ``style``: ``{n}`` the digit, ``{N}`` full-width."""

    def edit(text: str) -> str:
        def one(match: re.Match[str]) -> str:
            n = int(match.group(2))
            number = style.format(n=n, N=chr(0xFF10 + n), c=_CIRCLED[n - 1])
            return f"{match.group(1)}{number}{match.group(3)}"

        return re.sub(r"^(#+ )([0-9])\.(.*)$", one, text, flags=re.MULTILINE)

    return edit


def lettering(style: str) -> Callable[[str], str]:
    """The ⑨ family's letters (a 同席…) in ``style``: ``{a}`` the letter, ``{A}`` full-width."""

    def edit(text: str) -> str:
        def one(match: re.Match[str]) -> str:
            letter = match.group(1)
            mark = style.format(a=letter, A=chr(ord(letter) - ord("a") + 0xFF41))
            return f"{mark}{match.group(2)}"

        return re.sub(r"^([abc]) (\S.*)$", one, text, flags=re.MULTILINE)

    return edit


def section_in_title(separator: str) -> Callable[[str], str]:
    """Each section heading joined to the numbered title after it: (1)ワンストップ相談窓口 1.名寄せ…"""

    def edit(text: str) -> str:
        pattern = r"^(?:## )?(\(\d\)(?:ワンストップ相談窓口|生産性向上支援センター))\n\n### (\d\..*)$"
        return re.sub(pattern, lambda m: f"### {m.group(1)}{separator}{m.group(2)}", text, flags=re.MULTILINE)

    return edit


def retitled(old: str, new: str) -> Callable[[str], str]:
    """A table's title line printed ``new`` instead of ``old``."""

    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


def cell_line(text: str, row: str, table: int = 0) -> int:
    """The 1-based line of ``row``'s row in the ``table``-th table of ``text``."""
    seen = -1
    previous = False
    for number, line in enumerate(text.split("\n"), start=1):
        if _is_row(line) and not previous:
            seen += 1
        previous = _is_row(line)
        if seen == table and _is_row(line) and label(line.split("\t")[0]) == row:
            return number
    raise ValueError(f"no row {row} in table {table}")


def set_cell(text: str, line: int, column: int, value: str) -> str:
    """``text`` with the ``column``-th cell of ``line`` set to ``value``."""
    lines = text.split("\n")
    cells = lines[line - 1].split("\t")
    cells[column] = value
    lines[line - 1] = "\t".join(cells)
    return "\n".join(lines)


def only(values: Figures, months: tuple[int, ...]) -> Figures:
    """The figures of ``months``."""
    return {key: value for key, value in values.items() if key[2] in months}


def fiscal_months(first: int, last: int) -> tuple[int, ...]:
    """The months from ``first`` to ``last`` in fiscal order."""
    return FISCAL_MONTHS[fiscal_index(first) - 1 : fiscal_index(last)]


def name_of(code: str) -> str:
    """A prefecture's printed name."""
    return prefecture(code).name


def column_of(text: str, label_text: str, table: int) -> int:
    """The cell index of the header label ``label_text`` in the ``table``-th table of ``text``."""
    seen = -1
    previous = False
    for line in text.split("\n"):
        if _is_row(line) and not previous:
            seen += 1
            if seen == table:
                cells = line.split("\t")
                if label_text in cells:
                    return cells.index(label_text)
        previous = _is_row(line)
    raise ValueError(f"no column {label_text} in table {table}")
