"""Reference data: 47 prefectures, both kinds of region, the catalogue and its title matching."""

from __future__ import annotations

import pytest

from service.domain import reference


def test_prefectures_and_regions_are_complete() -> None:
    prefectures = reference.prefectures()
    assert [p.code for p in prefectures] == [f"{n:02d}" for n in range(1, 48)]
    assert sorted(p.report_order for p in prefectures) == list(range(1, 48))
    areas = [r for r in reference.regions() if r.kind == "area"]
    bureaus = [r for r in reference.regions() if r.kind == "bureau"]
    assert len(areas) == 8 and len(bureaus) == 9
    for kind in (areas, bureaus):
        members = [p.code for region in kind for p in reference.region_prefectures(region)]
        assert sorted(members) == [p.code for p in prefectures]


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("13", "13"),
        ("1", "01"),
        ("東京都", "13"),
        ("東京", "13"),
        ("Tokyo", "13"),
        ("北海道", "01"),
        ("京都", "26"),
        ("京都府", "26"),
        ("ｏｓａｋａ", "27"),
        ("大 阪", "27"),
    ],
)
def test_find_prefecture(given: str, code: str) -> None:
    found = reference.find_prefecture(given)
    assert found is not None and found.code == code


def test_unknown_prefecture_is_none() -> None:
    assert reference.find_prefecture("東京府") is None


@pytest.mark.parametrize(
    ("section", "title", "code"),
    [
        ("onestop", "1.名寄せ後の事業者数", "onestop.businesses"),
        ("productivity", "1.名寄せ後の事業者数", "productivity.businesses"),
        ("onestop", "2. フェーズ2相談実績件数", "onestop.phase2_consultations"),
        ("onestop", "２．相談実績件数", "onestop.consultations"),
        (
            "onestop",
            "6.他の支援機関と連携（同席）して支援した名寄せ後の事業者数",
            "onestop.joint_support",
        ),
        (
            "onestop",
            "b トレーニーの受け入れ人数や出向の受け入れ人数",
            "onestop.skill_sharing.trainees",
        ),
        ("productivity", "2.「生産性向上取組計画書」策定数", "productivity.plans"),
    ],
)
def test_match_indicator(section: str, title: str, code: str) -> None:
    spec = reference.match_indicator(section, title)
    assert spec is not None and spec.code == code


def test_unmatched_title_is_none() -> None:
    assert reference.match_indicator("onestop", "7.新しい指標") is None
    assert reference.match_indicator("productivity", "2.相談実績件数") is None


def test_near_spellings_of_catalogued_titles() -> None:
    from service.domain.reference import near_indicator

    assert near_indicator("onestop", "2.相談実積件数").code == "onestop.consultations"  # type: ignore[union-attr]
    assert near_indicator("onestop", "相談実績件数（延べ）").code == "onestop.consultations"  # type: ignore[union-attr]
    assert near_indicator("productivity", "9.新しい取組の事業者数") is None
