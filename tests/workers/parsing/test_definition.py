"""Definitions (◆◆ text) as clean sentences: prefixes, hard wraps and paragraphs."""

from __future__ import annotations

import pytest

from tests.support.sample import parse, sample_text
from workers.parsing._definition import clean_definition

SAMPLE_DEFINITIONS = {
    "onestop.consultations": (
        "対象期間に対応した相談の延べ件数。1事業者に対して1日に数次相談対応した場合、それぞれを計上。"
    ),
    "onestop.referrals_out": (
        "対象期間の相談対応で他の支援機関へ紹介した事業者の件数。"
        "1事業者を複数の支援機関に紹介しても、事業者数は1件となる。"
        "※最初の紹介が5月1日の場合、5月の事業者数を1件として集計し、5月2日以降の紹介は集計しない。"
    ),
    "onestop.skill_sharing.accompanying_staff": "対象期間の相談内容で、他の支援機関の同席者数の合計。",
    "onestop.skill_sharing.trainees": "対象期間のトレーニー、及び、出向者の受け入れ人数の合計",
    "onestop.skill_sharing.seminar_attendees": "「セミナー等」の受講者数は5名以上であることを条件とする",
    "productivity.plans": (
        "対象期間に作成された「生産性向上取組計画書」の数をカウントする。"
        "1事業者が複数個の計画を策定している場合、それぞれ計上する。"
    ),
    "productivity.businesses": (
        "対象期間に相談があった事業者を1事業者1件として集計。初回相談日があった月にカウントを行う。"
    ),
}


@pytest.mark.parametrize("code", sorted(SAMPLE_DEFINITIONS))
def test_sample_definitions(code: str) -> None:
    tables = {t.indicator_code: t for t in parse(sample_text().encode()).tables}
    assert tables[code].definition == SAMPLE_DEFINITIONS[code]


def test_every_sample_table_has_a_definition_without_markers() -> None:
    for table in parse(sample_text().encode()).tables:
        assert table.definition
        assert "◆" not in table.definition and "都道府県名" not in table.definition
        assert not table.definition.startswith(table.name)


def test_a_wrapped_name_prefix_is_dropped() -> None:
    lines = ["他の支援機関へ紹介した名寄せ後の事  ", "業者数:", "", "対象期間の件数。"]
    assert clean_definition(lines, names=["他の支援機関へ紹介した名寄せ後の事業者数"]) == "対象期間の件数。"


def test_a_prefix_that_is_not_the_name_is_kept() -> None:
    assert clean_definition(["注意：対象期間の件数。"], names=["相談実績件数"]) == "注意：対象期間の件数。"


def test_paragraphs_join_with_a_space_unless_a_sentence_ended() -> None:
    lines = ["相談実績件数：延べ件数", "", "1日に数次", "相談した場合。", "", "※注記"]
    assert clean_definition(lines, names=["相談実績件数"]) == "延べ件数 1日に数次相談した場合。※注記"


def test_nothing_to_say_is_none() -> None:
    assert clean_definition([], names=["x"]) is None
    assert clean_definition(["", "  "], names=["x"]) is None
    assert clean_definition(["相談実績件数：", ""], names=["相談実績件数"]) is None
