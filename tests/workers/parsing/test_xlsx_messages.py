"""The workbook and PDF readers' reasons: each has its Japanese text, found again from the English."""

from __future__ import annotations

import re

import pytest

from workers.parsing._xlsx_messages import MESSAGES, Refusal, cell_ja, japanese


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_reason_has_its_japanese_text(key: str) -> None:
    fields = {name: f"<{name}>" for name in re.findall(r"\{(\w+)\}", MESSAGES[key][0])}
    if "cell" in fields:
        fields["cell"] = "sheet '表 2' cell C7"
    refusal = Refusal(key, **fields)
    assert japanese(refusal.english) == refusal.japanese
    assert not re.search(r"[{}]", refusal.japanese)
    assert refusal.error("r.xlsx").reason == refusal.english
    if "cell" in fields:
        assert refusal.japanese.startswith("シート「表 2」のセルC7: ")


def test_other_reasons_have_none_here() -> None:
    assert japanese("'12a' is not a number") is None
    assert cell_ja("sheet 'a''b' cell AB12") == "シート「a''b」のセルAB12"
