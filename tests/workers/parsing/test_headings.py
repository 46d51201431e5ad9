"""Heading lines: sections, ⑨ groups, numbered and lettered titles, plain text."""

from __future__ import annotations

import pytest

from workers.parsing._headings import classify


@pytest.mark.parametrize(
    ("text", "section"),
    [
        ("(1)ワンストップ相談窓口", "onestop"),
        ("（１）ワンストップ相談窓口", "onestop"),
        ("(2) 生産性向上支援センター", "productivity"),
        ("生産性向上支援センター", "productivity"),
        ("【生産性向上支援センター】", "productivity"),
        ("■ (2) 生産性向上支援センター", "productivity"),
    ],
)
def test_section_headers(text: str, section: str) -> None:
    heading = classify(text, line=1, group=None)
    assert (heading.kind, heading.section) == ("section", section)


@pytest.mark.parametrize(
    ("text", "kind", "number", "name"),
    [
        ("1.名寄せ後の事業者数", "numbered", "1", "名寄せ後の事業者数"),
        ("2. フェーズ2相談実績件数", "numbered", "2", "フェーズ2相談実績件数"),
        ("１２．相談実績件数", "numbered", "12", "相談実績件数"),
        (
            "⑨よろず支援拠点の支援スキル・ノウハウを共有した人数",
            "group",
            "⑨",
            "よろず支援拠点の支援スキル・ノウハウを共有した人数",
        ),
        (
            "a 同席して支援を行った他の支援機関職員数",
            "lettered",
            "⑨a",
            "同席して支援を行った他の支援機関職員数",
        ),
        ("ｂ　トレーニーの受け入れ人数", "lettered", "⑨b", "トレーニーの受け入れ人数"),
        ("(c) COが講師", "lettered", "⑨c", "COが講師"),
        ("⑨b トレーニー", "lettered", "⑨b", "トレーニー"),
        ("COが他の支援機関の研修講師", "plain", "", "COが他の支援機関の研修講師"),
        ("1事業者に対して1日に数次相談対応した場合", "plain", "", "1事業者に対して1日に数次相談対応した場合"),
        ("1.5倍の件数", "plain", "", "1.5倍の件数"),
    ],
)
def test_titles(text: str, kind: str, number: str, name: str) -> None:
    heading = classify(text, line=7, group="⑨")
    assert (heading.kind, heading.number, heading.name, heading.text, heading.line) == (
        kind,
        number,
        name,
        text,
        7,
    )


def test_a_letter_outside_a_group_is_numbered_by_itself() -> None:
    assert classify("a 同席して支援", line=1, group=None).number == "a"


def test_a_section_title_inside_words_is_no_section() -> None:
    assert classify("ワンストップ相談窓口の実績", line=1, group=None).kind == "plain"


@pytest.mark.parametrize(
    "text",
    ["1)名寄せ後の事業者数", "１）名寄せ後の事業者数", "(1)名寄せ後の事業者数", "（１） 名寄せ後の事業者数"],
)
def test_numbering_styles(text: str) -> None:
    heading = classify(text, line=1, group=None)
    assert (heading.kind, heading.number, heading.name) == ("numbered", "1", "名寄せ後の事業者数")


@pytest.mark.parametrize(
    ("text", "section", "kind", "title"),
    [
        ("(1)ワンストップ相談窓口 2.相談実績件数", "onestop", "numbered", "2.相談実績件数"),
        (
            "【生産性向上支援センター】：1.名寄せ後の事業者数",
            "productivity",
            "numbered",
            "1.名寄せ後の事業者数",
        ),
        ("ワンストップ相談窓口 相談実績件数", "onestop", "plain", "相談実績件数"),
    ],
)
def test_section_and_title_on_one_line(text: str, section: str, kind: str, title: str) -> None:
    heading = classify(text, line=1, group=None)
    assert (heading.section, heading.kind, heading.text) == (section, kind, title)


def test_a_news_line_naming_a_section_is_no_title() -> None:
    heading = classify("ワンストップ相談窓口の開設時間が変わりました", line=1, group=None)
    assert (heading.kind, heading.section) == ("plain", None)
