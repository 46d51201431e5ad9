"""Properties: rendered random figures parse back exactly; mangled reports fail only with ParseError."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.domain.fiscal import FISCAL_MONTHS, fiscal_index
from service.domain.reference import indicator_catalogue, prefectures
from tests.support.reportgen import random_figures, render_report
from tests.support.sample import SAMPLE, check_parses_or_refuses
from workers.parsing import parse_report

CATALOGUE = indicator_catalogue()
CODES = [p.code for p in prefectures()]
PROPERTY = settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
FUZZ = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
# Characters that matter to the layout, so mutations reach the parser's checks, not just decoding.
ALPHABET = '\t\n \u3000#◆合計月累値0123456789,-<>a"=⑨()（）１トレーニー北海道県'


@st.composite
def figures(draw: st.DrawFn) -> dict[str, object]:
    specs = draw(st.lists(st.sampled_from(CATALOGUE), min_size=1, max_size=5, unique_by=lambda s: s.code))
    months = draw(
        st.one_of(
            st.integers(1, 12).map(lambda n: list(FISCAL_MONTHS[:n])),
            st.lists(st.sampled_from(FISCAL_MONTHS), min_size=1, max_size=4, unique=True),
        )
    )
    rng = random.Random(draw(st.integers(0, 2**32)))
    values: dict[tuple[str, str, int, str], int] = {}
    for spec in specs:
        # a monthly figure is at most 1,000,000
        values |= random_figures(spec, months, rng, scale=rng.choice([1, 10, 1000, 500_000]))
    links = draw(st.dictionaries(st.sampled_from(CODES), st.sampled_from(["https://a.jp/?x=1&y=2", "/y'z"])))
    return {
        "fiscal_year": draw(st.integers(2019, 2045)),
        "months": months,
        "values": values,
        "cumulative": draw(st.booleans()),
        "links": links or None,
        "era": draw(st.sampled_from(["reiwa", "heisei", "western"])),
    }


@PROPERTY
@given(figures(), st.sampled_from(["utf-8", "utf-8-sig", "cp932"]), st.booleans())
def test_rendered_figures_parse_back_exactly(
    given_figures: dict[str, object], encoding: str, crlf: bool
) -> None:
    text = render_report(**given_figures)  # type: ignore[arg-type]
    if crlf:
        text = text.replace("\n", "\r\n")
    report = parse_report(text.encode(encoding), filename="generated.txt")
    values = given_figures["values"]
    assert isinstance(values, dict)
    months = sorted(set(given_figures["months"]), key=fiscal_index)  # type: ignore[call-overload]
    assert (report.fiscal_year, report.months, report.warnings) == (
        given_figures["fiscal_year"],
        tuple(months),
        (),
    )
    assert report.encoding == encoding
    assert [t.indicator_code for t in report.tables] == [
        s.code for s in CATALOGUE if any(k[0] == s.code for k in values)
    ]
    for table in report.tables:
        mine = {(p, m, b): v for (c, p, m, b), v in values.items() if c == table.indicator_code}
        assert table.values == mine
        assert table.totals == {(m, b): sum(mine[(p, m, b)] for p in CODES) for (_, m, b) in mine}
        if table.prints_cumulative:
            assert table.reported_cumulative == {
                (p, b): sum(mine[(p, m, b)] for m in months) for (p, _, b) in mine
            }
        else:
            assert table.reported_cumulative == {}
            assert table.total_cumulative == {}
        assert table.links == {p: h for p, h in (given_figures["links"] or {}).items()}  # type: ignore[attr-defined]
    assert report.value_count == len(values)


SAMPLE_BYTES = SAMPLE.read_bytes()
SAMPLE_LINES = SAMPLE.read_text(encoding="utf-8").split("\n")


@FUZZ
@given(
    st.lists(
        st.tuples(st.integers(0, len(SAMPLE_BYTES)), st.binary(max_size=4), st.integers(0, 6)), max_size=4
    )
)
def test_byte_mutations_raise_only_parse_errors(edits: list[tuple[int, bytes, int]]) -> None:
    data = bytearray(SAMPLE_BYTES)
    for position, insert, delete in edits:
        data[position : position + delete] = insert
    check_parses_or_refuses(bytes(data), "mutated.txt")


@FUZZ
@given(st.integers(0, len(SAMPLE_BYTES)))
def test_truncations_raise_only_parse_errors(length: int) -> None:
    check_parses_or_refuses(SAMPLE_BYTES[:length], "mutated.txt")


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(SAMPLE_LINES) - 1),
            st.integers(0, 200),
            st.text(ALPHABET, max_size=3),
            st.sampled_from(["replace", "insert", "delete_line", "copy_line"]),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_text_mutations_raise_only_parse_errors(edits: list[tuple[int, int, str, str]]) -> None:
    lines = list(SAMPLE_LINES)
    for index, column, text, action in edits:
        index %= len(lines)
        line = lines[index]
        column = min(column, len(line))
        if action == "replace":
            lines[index] = line[:column] + text + line[column + len(text) :]
        elif action == "insert":
            lines[index] = line[:column] + text + line[column:]
        elif action == "delete_line":
            del lines[index]
        else:
            lines.insert(column % len(lines), line)
        if not lines:
            lines = [""]
    check_parses_or_refuses("\n".join(lines).encode(), "mutated.txt")


def test_render_report_refuses_what_it_cannot_print() -> None:
    with pytest.raises(ValueError, match="not catalogued"):
        render_report(fiscal_year=2026, months=[4], values={("onestop.nothing", "01", 4, "total"): 1})
    with pytest.raises(ValueError, match="months"):
        render_report(fiscal_year=2026, months=[4], values={("onestop.consultations", "01", 5, "total"): 1})
    with pytest.raises(ValueError, match="no value for"):
        render_report(fiscal_year=2026, months=[4], values={("onestop.consultations", "01", 4, "total"): 1})
