"""Every rendering in the corpus parses to exactly its figures, or is refused naming the place."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.corpus import Rendering
from tests.support.corpus.renderings import RENDERINGS
from workers.parsing import ParsedReport, ParseError, parse_report


def _parse(rendering: Rendering) -> ParsedReport:
    extra: dict[str, Any] = {}
    if rendering.upload_fiscal_year is not None:
        extra["fiscal_year"] = rendering.upload_fiscal_year
    return parse_report(rendering.data(), filename=rendering.filename, **extra)


def _printed(report: ParsedReport) -> dict[tuple[str, str, int | None, str], int]:
    printed: dict[tuple[str, str, int | None, str], int] = {}
    for table in report.tables:
        for (prefecture, breakdown), value in table.reported_cumulative.items():
            printed[(table.indicator_code, prefecture, None, breakdown)] = value
        for (month, breakdown), value in table.totals.items():
            printed[(table.indicator_code, "合計", month, breakdown)] = value
        for breakdown, value in table.total_cumulative.items():
            printed[(table.indicator_code, "合計", None, breakdown)] = value
    return printed


@pytest.mark.parametrize("rendering", RENDERINGS, ids=[rendering.name for rendering in RENDERINGS])
def test_rendering(rendering: Rendering) -> None:
    if rendering.values is None:
        with pytest.raises(ParseError) as refused:
            _parse(rendering)
        message = str(refused.value)
        assert message.startswith(f"{rendering.filename}: "), message
        for place in rendering.refusal:
            assert place in message, f"{place!r} not in {message!r}"
        return
    report = _parse(rendering)
    got = {(t.indicator_code, p, m, b): v for t in report.tables for (p, m, b), v in t.values.items()}
    assert got == dict(rendering.values)
    assert (report.fiscal_year, report.months) == (rendering.fiscal_year, rendering.months)
    for expected in rendering.warnings:
        assert any(expected in warning for warning in report.warnings), (expected, report.warnings)
    if rendering.printed is not None:
        assert _printed(report) == dict(rendering.printed)
