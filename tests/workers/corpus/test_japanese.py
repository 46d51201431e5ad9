"""Every refusal and warning of the corpus has its own Japanese text, naming the same place."""

from __future__ import annotations

import pytest

from tests.support.corpus import Rendering
from tests.support.corpus.renderings import RENDERINGS
from workers.parsing import ParseError, parse_report

# The renderings whose parse says something: a refusal, or warnings.
TALKING = [r for r in RENDERINGS if r.values is None or r.warnings]


def _parse(rendering: Rendering) -> object:
    return parse_report(
        rendering.data(), filename=rendering.filename, fiscal_year=rendering.upload_fiscal_year
    )


@pytest.mark.parametrize("rendering", TALKING, ids=[r.name for r in TALKING])
def test_japanese_beside_english(rendering: Rendering) -> None:
    try:
        report = _parse(rendering)
    except ParseError as error:
        assert error.reason_ja != error.reason, error.reason
        assert error.message_ja.startswith(f"{rendering.filename}: ")
        if error.table is not None:
            assert f"表「{error.table}」" in error.message_ja
        if error.line is not None:
            assert f"{error.line}行目" in error.message_ja
        return
    warnings, japanese = report.warnings, report.warnings_ja  # type: ignore[attr-defined]
    assert len(japanese) == len(warnings)
    for english, ja in zip(warnings, japanese, strict=True):
        assert ja != english
