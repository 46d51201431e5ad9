"""The ◆◆ definition (定義) printed under a table, as clean sentences."""

from __future__ import annotations

import re
from collections.abc import Iterable

from service.domain.reference import normalize_label

_PREFIX = re.compile(r"(.*?)[:：]")


def clean_definition(lines: list[str], *, names: Iterable[str]) -> str | None:
    """Join a definition's lines into text, dropping a leading ``<name>:`` that repeats the table name.

    Hard-wrapped lines join with no separator (Japanese text has no spaces between words);
    paragraphs join with nothing after ``。`` and with one space otherwise.
    """
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append("".join(current))
            current = []
    if not paragraphs:
        return None
    # The name may itself be hard-wrapped ("…名寄せ後の事 / 業者数:"), so match it on the joined text.
    prefix = _PREFIX.match(paragraphs[0])
    if prefix and normalize_label(prefix.group(1)) in {normalize_label(name) for name in names}:
        paragraphs[0] = paragraphs[0][prefix.end() :].strip()
        if not paragraphs[0]:
            paragraphs.pop(0)
    text = ""
    for paragraph in paragraphs:
        separator = "" if not text or text.endswith("。") else " "
        text += separator + paragraph
    return text or None
