"""HTML results pages: headings, colspan/rowspan, th or td, nested tags, &nbsp;, links, encodings, errors."""

from __future__ import annotations

import re

import pytest

from service.domain.reference import prefectures
from tests.support.formats import to_html
from tests.support.reportgen import render_report, seed_values
from tests.support.sample import figures, parse, sample_text
from workers.parsing import ParsedReport, ParseError

PREFECTURES = sorted(prefectures(), key=lambda p: p.report_order)
TRAINEES = "onestop.skill_sharing.trainees"
CONSULTATIONS = "onestop.consultations"


def _text(links: dict[str, str] | None = None) -> str:
    values = {k: v for k, v in seed_values().items() if k[0] in (CONSULTATIONS, TRAINEES)}
    return render_report(fiscal_year=2026, months=[4], values=values, links=links)


def _page(body: str, *, head: str = '<meta charset="utf-8">') -> str:
    return f"<!DOCTYPE html>\n<html>\n<head>{head}</head>\n<body>\n{body}\n</body>\n</html>\n"


def _rows(value: str = "{n}") -> str:
    """A <tr> per prefecture: the label in <th>, one value cell (``{n}`` is the report order)."""
    return "\n".join(
        f"<tr><th>{p.name}</th><td>{value.format(n=p.report_order)}</td></tr>" for p in PREFECTURES
    )


def _consultations(rows: str, *, title: str = "<h3>2.相談実績件数</h3>") -> str:
    return (
        "<h1>令和8年度よろず支援拠点相談等実績</h1>\n<h2>(1)ワンストップ相談窓口</h2>\n"
        f"{title}\n<table>\n<tr><th></th><th>4月</th></tr>\n{rows}\n</table>\n"
    )


def test_the_breakdown_header_spans_its_columns() -> None:
    text = _text()
    page = to_html(text)
    assert '<th colspan="3">4月</th>' in page.decode()
    assert figures(parse(page, "r.html")) == figures(parse(text.encode()))


def test_td_headers_nested_tags_and_nbsp() -> None:
    text = _text()
    page = to_html(text, header_tag="td", fancy=True).decode()
    assert "<td>&nbsp;<strong>2,360</strong>&nbsp;</td>" in page and "<th>" not in page
    assert figures(parse(page.encode(), "r.html")) == figures(parse(text.encode()))


def test_real_links_are_kept_and_hash_links_ignored() -> None:
    links = {"01": "https://hokkaido.example/case?a=1&b=2", "13": "#", "40": "/fukuoka/"}
    report = parse(to_html(_text(links), fancy=True), "r.html")
    expected = {"01": "https://hokkaido.example/case?a=1&b=2", "40": "/fukuoka/"}
    assert [t.links for t in report.tables] == [expected, expected]


def test_a_corner_spanning_two_header_rows() -> None:
    rows = "\n".join(
        f"<tr><td><a href='#'>{p.name}</a></td><td>1</td><td>0</td><td>1</td></tr>" for p in PREFECTURES
    )
    body = (
        "<h1>令和8年度よろず支援拠点相談等実績</h1><h2>(1)ワンストップ相談窓口</h2>"
        "<h3>⑨よろず支援拠点の支援スキル・ノウハウを共有した人数</h3>"
        "<p><strong>b トレーニーの受け入れ人数や出向の受け入れ人数</strong></p>"
        '<table><tr><th rowspan="2">都道府県</th><th colspan="3">4月</th></tr>'
        f"<tr><th>トレーニー</th><th>出向者</th><th>合計</th></tr>{rows}</table>"
    )
    (table,) = parse(_page(body).encode(), "r.html").tables
    assert (table.indicator_code, table.breakdowns) == (TRAINEES, ("trainee", "seconded", "total"))
    assert table.values[("13", 4, "seconded")] == 0 and table.values[("13", 4, "total")] == 1


def test_titles_in_a_caption_or_a_paragraph_and_a_layout_table() -> None:
    caption = _consultations(_rows(), title="").replace("<table>", "<table><caption>2.相談実績件数</caption>")
    paragraph = _consultations(_rows(), title="<p><span>2.</span><b>相談実績件数</b></p>")
    layout = f"<table><tr><td>{_consultations(_rows())}</td><td>広告</td></tr></table>"
    for body in (caption, paragraph, layout):
        (table,) = parse(_page(body).encode(), "r.html").tables
        assert (table.title, table.indicator_code) == ("2.相談実績件数", CONSULTATIONS)
        assert table.values[("47", 4, "total")] == 47


def test_definitions_keep_their_paragraphs() -> None:
    definition = "<p>◆◆相談実績件数:対象期間に対応した<br>相談の延べ件数。</p>\n<p>1事業者に…を計上。</p>"
    body = _consultations(_rows()) + "<p>都道府県名をクリックすると…</p>" + definition
    (table,) = parse(_page(body).encode(), "r.html").tables
    assert table.definition == "対象期間に対応した相談の延べ件数。1事業者に…を計上。"


def test_scripts_styles_and_comments_are_not_read() -> None:
    noise = "<script>var t = '北海道\t1';</script><style>p{}</style><!-- 3.旧表 -->"
    report = parse(_page(noise + _consultations(_rows())).encode(), "r.html")
    assert [t.indicator_code for t in report.tables] == [CONSULTATIONS]


def test_a_minified_page_and_a_fragment() -> None:
    page = to_html(_text()).replace(b"\n", b"")
    assert parse(page, "r.html").value_count == 47 * 4
    fragment = _consultations(_rows()).encode()
    assert fragment.startswith(b"<h1>")
    assert parse(fragment, "r.html").value_count == 47


def test_deeply_nested_markup_is_refused_without_recursion() -> None:
    # Issue 16: nesting no results page needs is refused, rather than read (it was read before).
    deep = "<div>" * 50_000 + _consultations(_rows()) + "</div>" * 50_000
    with pytest.raises(ParseError, match="too deeply nested: elements more than 200 deep"):
        parse(_page(deep).encode(), "r.html")
    assert parse(_page("<div>" * 150 + _consultations(_rows())).encode(), "r.html").value_count == 47


def test_tables_nested_deeper_than_a_page_needs_are_refused_before_parsing() -> None:
    nested = "<table><tr><td>" * 14_000 + "x"
    with pytest.raises(ParseError, match="tables inside tables 6 deep") as error:
        parse(_page(nested).encode(), "r.html")
    assert "表の中の表が6段" in error.value.message_ja


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (to_html(_text(), encoding="cp932"), "cp932"),
        (_page(_consultations(_rows()), head="<meta charset='Shift_JIS'>").encode("cp932"), "cp932"),
        (b"\xef\xbb\xbf" + _page(_consultations(_rows()), head="").encode(), "utf-8-sig"),
        (_page(_consultations(_rows()), head="").encode("cp932"), "cp932"),
        (_page(_consultations(_rows()), head="").encode(), "utf-8"),
    ],
)
def test_encodings(data: bytes, encoding: str) -> None:
    report: ParsedReport = parse(data, "r.html")
    assert report.encoding == encoding
    assert report.tables[0].values[("01", 4, "total")] in (1, 784)


def test_a_charset_other_than_utf8_or_shift_jis() -> None:
    page = _page(_consultations(_rows()), head='<meta charset="euc-jp">').encode("euc-jp")
    with pytest.raises(ParseError, match="charset 'euc-jp' is not UTF-8 or Shift_JIS"):
        parse(page, "r.html")


def test_bytes_that_are_not_the_declared_charset() -> None:
    page = _page(_consultations(_rows()), head="<meta charset='utf-8'>").encode("cp932")
    with pytest.raises(ParseError, match="not valid utf-8") as error:
        parse(page, "r.html")
    assert error.value.line == 5  # the <h1>, the first non-ASCII text


def test_a_bad_value_names_the_table_line_and_column() -> None:
    body = _consultations(_rows().replace("<td>13</td>", "<td><b>1 3</b></td>"))
    page = _page(body)
    with pytest.raises(ParseError) as error:
        parse(page.encode(), "r.html")
    line = page.split("\n").index("<tr><th>東京都</th><td><b>1 3</b></td></tr>") + 1
    assert (
        str(error.value)
        == f"r.html: table '2.相談実績件数', line {line}, column '4月': '1 3' is not a number"
    )


@pytest.mark.parametrize(
    ("body", "reason", "located"),
    [
        (_consultations(_rows()).replace("<th>長野県</th>", "<th>長野</th><td>1</td>"), "has 2 values", True),
        (re.sub("<tr><th>福井県</th>.*?</tr>", "", _consultations(_rows())), "missing rows for 福井県", True),
        (_consultations(_rows()).replace("<th>4月</th>", "<th>謎</th>"), "unknown header label", True),
        (_consultations(_rows()).replace("<h3>2.相談実績件数</h3>", ""), "the table has no title", True),
        (_consultations(_rows()).replace("令和8年度", ""), "no fiscal year", True),
        ("<h1>令和8年度よろず支援拠点相談等実績</h1><p>準備中</p>", "no table found in the HTML", False),
    ],
)
def test_broken_pages(body: str, reason: str, located: bool) -> None:
    with pytest.raises(ParseError, match=reason) as error:
        parse(_page(body).encode(), "r.html")
    assert str(error.value).startswith("r.html: ")
    assert (error.value.line is not None) == located


def test_a_row_too_wide() -> None:
    body = _consultations(_rows()).replace("<th>4月</th>", '<th colspan="500">4月</th>')
    with pytest.raises(ParseError, match="wider than 200 columns") as error:
        parse(_page(body).encode(), "r.html")
    assert (
        error.value.line == _page(body).split("\n").index('<tr><th></th><th colspan="500">4月</th></tr>') + 1
    )


def test_the_title_heading_wins_over_links_to_other_years() -> None:
    nav = "<ul><li><a href='/r7/'>令和7年度実績</a></li><li><a href='/r6/'>令和6年度実績</a></li></ul>"
    report = parse(_page(nav + _consultations(_rows())).encode(), "r.html")
    assert (report.title, report.fiscal_year) == ("令和8年度よろず支援拠点相談等実績", 2026)


def _onestop_page(page_title: str) -> bytes:
    """The seed's ワンストップ tables as a page whose body names no section, under ``page_title``."""
    text = sample_text()
    lines = [line for line in text[: text.index("(2)生産性向上支援センター")].split("\n")]
    page = to_html("\n".join(line for line in lines if "ワンストップ相談窓口" not in line)).decode()
    return page.replace("<title>よろず支援拠点 相談等実績</title>", f"<title>{page_title}</title>").encode()


def test_the_section_given_only_by_the_page_title() -> None:
    report = parse(_onestop_page("ワンストップ相談窓口｜よろず支援拠点"), "onestop.html")
    got = {(t.indicator_code, *key): v for t in report.tables for key, v in t.values.items()}
    assert got == {key: v for key, v in seed_values().items() if key[0].startswith("onestop.")}


@pytest.mark.parametrize(
    ("page_title", "reason"),
    [
        ("ワンストップ相談窓口・生産性向上支援センター", "not under a section heading"),
        ("生産性向上支援センター", "an indicator of another section"),
    ],
)
def test_a_page_title_naming_both_sections_or_the_wrong_one_is_refused(page_title: str, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        parse(_onestop_page(page_title), "onestop.html")
