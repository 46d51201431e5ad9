"""Computations over figures (service.domain.figures): cumulative, 順位, share of national, changes."""

from __future__ import annotations

import pytest

from service.domain.figures import FigureKey, Months, Point, YearFigures


def year(**by_month: int) -> Months:
    """Twelve months in fiscal order from calendar-month keywords: ``year(m4=100, m3=80)``."""
    order = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)
    return [by_month.get(f"m{month}") for month in order]


@pytest.fixture
def figures() -> YearFigures:
    """FY2026 April and May for three prefectures; FY2025 (the year before) for 東京 only."""
    loaded = YearFigures.empty(FigureKey("onestop.consultations", 2026, "total"))
    loaded.current.update(
        {
            "13": year(m4=100, m5=150),
            "27": year(m4=50, m5=150),
            "01": year(m4=100, m5=20),
        }
    )
    loaded.previous["13"] = year(m4=90, m3=80)
    loaded.reported_cumulative[("13", 5)] = 250
    loaded.reported_cumulative[("27", 5)] = 201
    loaded.reported_totals[4] = 250
    loaded.reported_total_cumulative[5] = 570
    return loaded


def test_a_prefecture_series_has_cumulative_share_rank_and_changes(figures: YearFigures) -> None:
    assert figures.prefecture_series("13") == [
        # April's previous month is March of FY2025 (80); its previous year is April 2025 (90).
        Point(4, 100, 100, None, 20, 10, "13", 100 / 250, 1),
        # May 2025 is absent: no change from the previous year.
        Point(5, 150, 250, 250, 50, None, "13", 150 / 320, 1),
    ]


def test_without_the_year_before_april_has_no_changes(figures: YearFigures) -> None:
    april, may = figures.prefecture_series("27")
    assert (april.change_from_previous_month, april.change_from_previous_year) == (None, None)
    assert (may.change_from_previous_month, may.change_from_previous_year) == (100, None)


def test_ties_share_the_first_rank_and_the_next_rank_skips(figures: YearFigures) -> None:
    # Competition ranking (1 = largest): 100, 100, 50 rank 1, 1, 3.
    ranks = {code: figures.prefecture_series(code)[0].rank for code in ("13", "27", "01")}
    assert ranks == {"13": 1, "01": 1, "27": 3}
    may = {code: figures.prefecture_series(code)[1].rank for code in ("13", "27", "01")}
    assert may == {"13": 1, "27": 1, "01": 3}


def test_the_ranking_orders_ties_by_code_and_ranks_by_cumulative_when_asked(figures: YearFigures) -> None:
    by_value = figures.ranking(4, cumulative=False)
    assert [(p.prefecture_code, p.rank) for p in by_value] == [("01", 1), ("13", 1), ("27", 3)]
    by_cumulative = figures.ranking(5, cumulative=True)
    assert [(p.prefecture_code, p.cumulative, p.rank) for p in by_cumulative] == [
        ("13", 250, 1),
        ("27", 200, 2),
        ("01", 120, 3),
    ]


def test_equal_cumulatives_share_a_rank_and_a_month_without_a_figure_is_not_ranked() -> None:
    loaded = YearFigures.empty(FigureKey("x", 2026, "total"))
    loaded.current.update(
        {
            "01": year(m4=5, m5=5),
            "02": year(m4=2, m5=8),
            "03": year(m4=20, m5=1),
            "04": year(m5=3),
            "05": year(m4=100),
        }
    )
    assert [(p.prefecture_code, p.cumulative, p.rank) for p in loaded.ranking(5, cumulative=True)] == [
        ("03", 21, 1),
        ("01", 10, 2),
        ("02", 10, 2),
        ("04", 3, 4),
    ]


def test_the_national_sum_carries_the_printed_total_and_changes_across_the_year_boundary(
    figures: YearFigures,
) -> None:
    assert figures.aggregate_series(None) == [
        # The year before holds only 東京: its March (80) and April (90) are the nation's then.
        Point(4, 250, 250, None, 170, 160, reported_total=250),
        Point(5, 320, 570, 570, 70, None, reported_total=None),
    ]
    assert figures.aggregate_series(None)[1].cumulative_matches_report is True


def test_a_regional_sum_has_no_printed_figures(figures: YearFigures) -> None:
    assert figures.aggregate_series(["27", "01"]) == [
        Point(4, 150, 150, None, None, None),
        Point(5, 170, 320, None, 20, None),
    ]


def test_a_missing_month_breaks_the_change_and_not_the_cumulative() -> None:
    loaded = YearFigures.empty(FigureKey("x", 2026, "total"))
    loaded.current["13"] = year(m4=10, m6=30, m7=25)
    points = loaded.prefecture_series("13")
    assert [(p.month, p.cumulative, p.change_from_previous_month) for p in points] == [
        (4, 10, None),
        (6, 40, None),
        (7, 65, -5),
    ]
    assert loaded.months() == [4, 6, 7]


def test_the_printed_cumulative_is_compared_with_the_computed_one(figures: YearFigures) -> None:
    assert figures.prefecture_series("27")[1].cumulative_matches_report is False
    assert figures.prefecture_series("13")[1].cumulative_matches_report is True
    assert figures.prefecture_series("13")[0].cumulative_matches_report is None


def test_a_share_of_a_zero_national_sum_is_null() -> None:
    loaded = YearFigures.empty(FigureKey("x", 2026, "total"))
    loaded.current.update({"13": year(m4=0), "27": year(m4=0)})
    assert [p.share_of_national for p in loaded.prefecture_series("13")] == [None]
    assert loaded.prefecture_series("47") == []


def test_prefecture_points_are_whole_points(figures: YearFigures) -> None:
    # Built from a tuple of every field (no NamedTuple __new__): each must be a complete Point.
    for point in figures.prefecture_series("13"):
        assert type(point) is Point and len(point) == len(Point._fields)
        assert point == Point(**point._asdict()) and point.reported_total is None


@pytest.mark.parametrize("seed", range(20))
def test_prefecture_points_change_as_sums_do(seed: int) -> None:
    # The prefecture series writes the cumulative and changes out in its loop; the sums use
    # _changes: the same months must give the same figures either way.
    import random

    chance = random.Random(seed)

    def months() -> Months:
        return [chance.choice([None, 0, chance.randint(1, 500)]) for _ in range(12)]

    loaded = YearFigures.empty(FigureKey("onestop.consultations", 2026, "total"))
    loaded.current["13"] = months()
    if seed % 2:
        loaded.previous["13"] = months()
    prefecture = [p[:6] for p in loaded.prefecture_series("13")]
    summed = [p[:6] for p in loaded.aggregate_series(["13"])]
    assert prefecture == summed
