"""One printed figure → its count: digits, zero marks, withheld marks, and the range a figure may take.

Range: the plausible one of ``service.domain.ranges`` (a monthly figure at most ``PLAUSIBLE_MONTHLY``,
a printed 合計 or 累計値 at most ``PLAUSIBLE_PRINTED``). A larger figure is refused naming its cell,
before Python is asked to read it as an int (a 5,000-digit number is refused by its length).
"""

from __future__ import annotations

import re
import unicodedata

from service.domain.ranges import PLAUSIBLE_MONTHLY
from workers.parsing import _reasons as reasons
from workers.parsing._text import Text

_NUMBER = re.compile(r"[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+")
_MINUS = "-−‐‑–—―▲△"
#: Marks for none (該当数字なし) in Japanese official statistics: they read as 0.
ZERO_MARKS = frozenset("-－‐‑–—―−ー")
# Marks for a figure not available or withheld (…, x, ***): no number can stand for them.
_WITHHELD = re.compile(r"[.…‥・]+|[xX×]+|[*＊]+|[-]{2,}|n/?a|NA|不明|非公表|秘匿")
# More digits than any figure in range has, with separators: refused without converting.
_MAX_DIGITS = 15


def parse_number(cell: str, *, limit: int = PLAUSIBLE_MONTHLY) -> int | Text:
    """The count a cell prints (``1,472``, ``１４７２``, ``－`` as 0), or why it is not one."""
    value = read_cell(cell, limit=limit)
    return reasons.empty_cell() if value is None else value


def read_cell(cell: str, *, limit: int = PLAUSIBLE_MONTHLY) -> int | Text | None:
    """A cell's count, None when it is blank, or why it is no count (withheld, negative, too large)."""
    text = unicodedata.normalize("NFKC", cell).strip()
    if not text:
        return None
    if len(text) == 1 and (text in ZERO_MARKS or cell.strip() in ZERO_MARKS):
        return 0
    if _WITHHELD.fullmatch(text):
        return reasons.withheld(cell.strip())
    if text[0] in _MINUS and _NUMBER.fullmatch(text[1:].strip()):
        return reasons.negative(cell)
    if not _NUMBER.fullmatch(text):
        return reasons.not_a_number(cell)
    digits = text.replace(",", "")
    if len(digits) > _MAX_DIGITS:
        return reasons.too_large(f"{digits[:6]}… ({len(digits):,} digits)", limit)
    value = int(digits)
    return value if value <= limit else reasons.too_large(cell.strip(), limit)
