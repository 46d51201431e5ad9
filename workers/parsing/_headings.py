"""What a non-table line of a report is: a section header, a group heading, a numbered title."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Literal

from service.domain.reference import SECTION_TITLES, match_indicator, normalize_label

HeadingKind = Literal["section", "group", "numbered", "lettered", "plain"]

#: The line under each table, 都道府県名をクリックすると… (a note, never a title or definition).
NOTE_PREFIX = "都道府県名をクリック"
# Remarks such as ※注 or (単位：件) between a title and its table are never titles themselves.
_REMARK = re.compile(r"※|[(（]?単位\s*[:：]")

# Around a section title only numbering and brackets: (1)…, （２）…, 【…】, ■…
_SECTION_DECORATION = re.compile(r"[\W\d_]*")
# "1.", "１．", "2. ", "1)", "１）", "(1)", "（１）" — but not "1.5倍" nor "1事業者…" (a definition line).
_NUMBERED = re.compile(
    r"(?:[(（]\s*([0-9０-９]{1,2})\s*[)）]|([0-9０-９]{1,2})\s*(?:[.．、](?![0-9０-９])|[)）]))\s*(?=\S)"
)
# What may separate a section's title from a table's title on one line.
_JOINER = re.compile(r"[\s:：\-－―・/／|｜】\]）)」』>＞]*")
# "a 同席…", "ｂ　トレーニー…", "c.", "(a)"; a Latin word ("COが…") is not a letter mark.
_LETTERED = re.compile(
    r"(?:[(（]([a-zａ-ｚ])[)）]|([a-zａ-ｚ])(?:[\s.．)）、:：]+|(?=[^\x00-\x7f])))\s*(?=\S)"
)
# ①…⑳: the group heading of lettered tables, e.g. ⑨よろず支援拠点の支援スキル…
_CIRCLED = re.compile(r"([\u2460-\u2473])[\s\-‐・]*(?=\S)")


@dataclass(frozen=True)
class Heading:
    """A heading line: its kind, its normalised numbering, and its text with and without it."""

    kind: HeadingKind
    text: str
    number: str
    name: str
    line: int
    section: str | None = None


def classify(text: str, *, line: int, group: str | None) -> Heading:
    """Read ``text`` (a stripped line without ``#`` marks) as a heading; ``group`` is the open ⑨."""
    key = normalize_label(text)
    for code, title in SECTION_TITLES.items():
        if title in key and _SECTION_DECORATION.fullmatch(key.replace(title, "", 1)):
            return Heading("section", text, "", title, line, section=code)
        combined = _after_section(text, title)
        if combined:
            # Section and title on one line: "(1)ワンストップ相談窓口 2.相談実績件数".
            heading = classify(combined, line=line, group=group)
            # A plain rest must name a catalogued table: a news line may name a section too.
            if heading.kind in ("numbered", "lettered") or match_indicator(code, combined) is not None:
                return replace(heading, section=code)
    numbered = _NUMBERED.match(text)
    if numbered:
        digits = numbered.group(1) or numbered.group(2)
        number = str(int(unicodedata.normalize("NFKC", digits)))
        return Heading("numbered", text, number, text[numbered.end() :].strip(), line)
    circled = _CIRCLED.match(text)
    if circled:
        rest = text[circled.end() :]
        lettered = _LETTERED.match(rest)
        if lettered:
            name = rest[lettered.end() :].strip()
            return Heading("lettered", text, circled.group(1) + _letter(lettered), name, line)
        return Heading("group", text, circled.group(1), rest.strip(), line)
    lettered = _LETTERED.match(text)
    if lettered:
        name = text[lettered.end() :].strip()
        return Heading("lettered", text, (group or "") + _letter(lettered), name, line)
    return Heading("plain", text, "", text, line)


def _after_section(text: str, title: str) -> str:
    """The text after a section title that opens the line (after numbering or brackets), else ""."""
    folded = unicodedata.normalize("NFKC", text)
    position = folded.find(title)
    if position < 0 or not _SECTION_DECORATION.fullmatch(folded[:position].replace(" ", "")):
        return ""
    rest = folded[position + len(title) :]
    return rest[_JOINER.match(rest).end() :].strip()  # type: ignore[union-attr]


def is_remark(text: str) -> bool:
    """Whether a plain line is a remark (※…, 単位：…) rather than a title."""
    return _REMARK.match(text) is not None


def _letter(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match.group(1) or match.group(2)).lower()


#: Headings that open a table: its title, its ⑨ group, its section.
_OPENS_TABLE = frozenset({"numbered", "lettered", "group", "section"})


def section_of(text: str) -> str | None:
    """The section (``onestop``, ``productivity``) a line is the heading of, if it is one."""
    heading = classify(text.strip(), line=0, group=None)
    return heading.section if heading.kind == "section" else None


def table_opening(lines: list[str]) -> tuple[int, str | None]:
    """Where a strip's first title or table starts, and the section it names before its first table."""
    start = None
    for index, line in enumerate(lines):
        if "\t" in line:
            return (index if start is None else start), None
        heading = classify(line.lstrip("#").strip(), line=0, group=None) if line.strip() else None
        if heading is not None and heading.kind in _OPENS_TABLE:
            if heading.kind == "section":
                return index, heading.section
            start = index if start is None else start
    return (start if start is not None else len(lines)), None
