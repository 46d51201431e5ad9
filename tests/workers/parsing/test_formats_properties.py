"""Properties: figures round-trip through every format; damaged HTML and XLSX fail only with ParseError."""

from __future__ import annotations

import random
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.domain.fiscal import FISCAL_MONTHS
from service.domain.reference import indicator_catalogue
from tests.support.formats import to_html, to_long_csv, to_wide_csv, to_xlsx
from tests.support.reportgen import random_figures, render_report
from tests.support.sample import check_parses_or_refuses, sample_text
from workers.parsing import parse_report

ROUND_TRIP = settings(
    max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
FUZZ = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
PREFIXES = [
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"<!DOCTYPE html>",
    b"<html><body><h1>\xe4\xbb\xa4\xe5\x92\x8c8\xe5\xb9\xb4\xe5\xba\xa6</h1><table><tr><th>",
    b"\xef\xbb\xbf<html><head><meta charset='shift_jis'>",
    b"<table><tr><td colspan='",
]


@cache
def _samples() -> dict[str, bytes]:
    return {
        "html": to_html(sample_text()),
        "xlsx": to_xlsx(sample_text(), one_sheet_per_table=True),
    }


@FUZZ
@given(st.sampled_from(PREFIXES), st.binary(max_size=2000))
def test_random_bytes_after_a_zip_or_html_start_raise_only_parse_errors(prefix: bytes, tail: bytes) -> None:
    check_parses_or_refuses(prefix + tail, "fuzzed")


@FUZZ
@given(
    st.sampled_from(["html", "xlsx"]),
    st.lists(st.tuples(st.floats(0, 1), st.binary(max_size=4), st.integers(0, 8)), min_size=1, max_size=4),
)
def test_damaged_pages_and_workbooks_raise_only_parse_errors(
    kind: str, edits: list[tuple[float, bytes, int]]
) -> None:
    data = bytearray(_samples()[kind])
    for where, insert, delete in edits:
        position = int(where * len(data))
        data[position : position + delete] = insert
    check_parses_or_refuses(bytes(data), "fuzzed")


@st.composite
def reports(draw: st.DrawFn) -> dict[str, object]:
    """A report's figures: a few indicators, months, and values that add up as the page prints them."""
    specs = draw(
        st.lists(st.sampled_from(indicator_catalogue()), min_size=1, max_size=4, unique_by=lambda s: s.code)
    )
    months = draw(st.lists(st.sampled_from(FISCAL_MONTHS), min_size=1, max_size=3, unique=True))
    rng = random.Random(draw(st.integers(0, 2**32)))
    scale = draw(st.sampled_from([1, 1000, 500_000]))  # a monthly figure is at most 1,000,000
    values: dict[tuple[str, str, int, str], int] = {}
    for spec in specs:
        values |= random_figures(spec, months, rng, scale=scale)
    return {"fiscal_year": draw(st.integers(2019, 2045)), "months": months, "values": values}


@ROUND_TRIP
@given(reports(), st.sampled_from(["html", "xlsx", "xlsx per table", "wide csv", "long csv"]))
def test_any_figures_round_trip_through_every_format(report: dict[str, object], kind: str) -> None:
    text = render_report(**report)  # type: ignore[arg-type]
    values = report["values"]
    assert isinstance(values, dict)
    data = {
        "html": lambda: to_html(text, fancy=True),
        "xlsx": lambda: to_xlsx(text, one_sheet_per_table=False),
        "xlsx per table": lambda: to_xlsx(text, one_sheet_per_table=True, numbers_as_text=True),
        "wide csv": lambda: to_wide_csv(text, encoding="cp932"),
        "long csv": lambda: to_long_csv(values, fiscal_year=report["fiscal_year"]),  # type: ignore[arg-type]
    }[kind]()
    parsed = parse_report(data, filename="generated")
    assert parsed.fiscal_year == report["fiscal_year"] and parsed.warnings == ()
    got = {(t.indicator_code, *key): value for t in parsed.tables for key, value in t.values.items()}
    assert got == values
    if kind != "long csv":
        text_report = parse_report(text.encode(), filename="generated")
        assert [t.totals for t in parsed.tables] == [t.totals for t in text_report.tables]
        assert [t.reported_cumulative for t in parsed.tables] == [
            t.reported_cumulative for t in text_report.tables
        ]
