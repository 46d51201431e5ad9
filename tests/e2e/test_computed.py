"""Computed figures through the API: series of prefectures, regions and the nation, ranks, shares, changes."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from service.db.figures import load_year_figures
from service.domain.figures import FigureKey
from tests.support.reportgen import render_report, seed_values
from tests.support.stack import Stack
from tests.support.uploads import may_figures


async def load_years(stack: Stack) -> None:
    """FY2025 April (seed figures − 10, floored at 0) and FY2026 April and May (seed, seed + JIS code)."""
    last_year = {key: max(value - 10, 0) for key, value in seed_values().items()}
    for indicator, pref, month, breakdown in list(last_year):
        if indicator == "onestop.skill_sharing.trainees" and breakdown == "total":
            last_year[(indicator, pref, month, breakdown)] = sum(
                last_year[(indicator, pref, month, b)] for b in ("trainee", "seconded")
            )
    reports = [
        render_report(fiscal_year=2025, months=[4], values=last_year),
        render_report(fiscal_year=2026, months=[4, 5], values=may_figures()),
    ]
    for number, text in enumerate(reports):
        body = await stack.upload(text.encode(), f"computed-{number}.txt")
        report = await stack.finished(body["data"]["uploadReport"]["id"])
        assert report["status"] == "SUCCEEDED", report["error"]


PAGE = """
{ prefectures {
    code area { code } bureau { code } center { name url }
    series(indicator: "onestop.consultations", fiscalYear: 2026) {
      total points { month value cumulative reportedCumulative cumulativeMatchesReport
                     shareOfNational rank changeFromPreviousMonth changeFromPreviousYear } }
  }
  national(indicator: "onestop.consultations", fiscalYear: 2026) {
    total points { month value cumulative reportedTotal reportedCumulative changeFromPreviousYear } }
  region(code: "kanto") { series(indicator: "onestop.consultations", fiscalYear: 2026) {
    points { month value cumulative changeFromPreviousMonth } } }
}"""


async def test_a_single_query_gives_series_ranks_shares_and_changes(stack: Stack) -> None:
    await load_years(stack)
    body = await stack.graphql(PAGE)
    assert "errors" not in body, body
    prefectures = {p["code"]: p for p in body["data"]["prefectures"]}
    tokyo = prefectures["13"]
    assert tokyo["area"]["code"] == "kanto" and tokyo["bureau"]["code"] == "meti_kanto"
    assert tokyo["center"]["name"] == "東京都よろず支援拠点"
    april, may = tokyo["series"]["points"]
    national_april = 29_824
    national_may = 29_824 + sum(range(1, 48))  # every prefecture added its own JIS number
    # Hand calculation for 東京都 (13): April 570, May 583.
    assert april == {
        "month": 4,
        "value": 570,
        "cumulative": 570,
        "reportedCumulative": None,  # the May report prints 累計値 through May only
        "cumulativeMatchesReport": None,
        "shareOfNational": 570 / national_april,
        "rank": 1 + sum(1 for p in seed_consultations().values() if p > 570),
        "changeFromPreviousMonth": None,
        "changeFromPreviousYear": 10,
    }
    assert may["value"] == 583 and may["cumulative"] == 1153 and may["reportedCumulative"] == 1153
    assert may["cumulativeMatchesReport"] is True
    assert may["changeFromPreviousMonth"] == 13 and may["changeFromPreviousYear"] is None
    assert may["shareOfNational"] == 583 / national_may
    assert tokyo["series"]["total"] == 1153
    # 福岡県 prints the largest April figure (2,360): rank 1.
    assert prefectures["40"]["series"]["points"][0]["rank"] == 1

    national = body["data"]["national"]
    assert [p["value"] for p in national["points"]] == [national_april, national_may]
    assert [p["reportedTotal"] for p in national["points"]] == [national_april, national_may]
    assert national["points"][1]["cumulative"] == national_april + national_may
    assert national["points"][0]["changeFromPreviousYear"] == 47 * 10
    assert national["total"] == national_april + national_may

    kanto_codes = ["08", "09", "10", "11", "12", "13", "14"]
    kanto = body["data"]["region"]["series"]["points"]
    kanto_april = sum(seed_consultations()[c] for c in kanto_codes)
    assert kanto[0] == {
        "month": 4,
        "value": kanto_april,
        "cumulative": kanto_april,
        "changeFromPreviousMonth": None,
    }
    assert kanto[1]["value"] == kanto_april + sum(int(c) for c in kanto_codes)
    assert kanto[1]["changeFromPreviousMonth"] == sum(int(c) for c in kanto_codes)


async def test_ranking_orders_the_47_and_ties_share_a_rank(stack: Stack) -> None:
    await load_years(stack)
    body = await stack.graphql(
        '{ indicator(code: "productivity.plans") { ranking(fiscalYear: 2026, month: 4) {'
        " rank value prefecture { code } } } }"
    )
    ranking = body["data"]["indicator"]["ranking"]
    assert len(ranking) == 47
    assert ranking[0] == {"rank": 1, "value": 6, "prefecture": {"code": "03"}}
    assert {r["rank"] for r in ranking[1:]} == {2}  # 46 prefectures with 0 share rank 2
    cumulative = await stack.graphql(
        '{ indicator(code: "onestop.consultations") { ranking(fiscalYear: 2026, month: 5, cumulative: true) {'
        " rank cumulative prefecture { code } } } }"
    )
    top = cumulative["data"]["indicator"]["ranking"][0]
    assert top == {"rank": 1, "cumulative": 2360 * 2 + 40, "prefecture": {"code": "40"}}


def seed_consultations() -> dict[str, int]:
    return {
        pref: value
        for (indicator, pref, _, breakdown), value in seed_values().items()
        if indicator == "onestop.consultations" and breakdown == "total"
    }


WIDE = """query($indicators: [String!]) {
  prefectures { code area { code } bureau { code }
    s: series(indicator: "onestop.consultations", fiscalYear: 2026) { points { value cumulative rank } } }
  observations(indicators: $indicators, fiscalYear: 2026) {
    value cumulative shareOfNational rank changeFromPreviousMonth changeFromPreviousYear
    indicator { code } prefecture { code area { code } } } }"""


async def test_statements_per_request_stay_flat_as_the_query_widens(stack: Stack) -> None:
    await load_years(stack)
    counts = []
    for indicators in (
        ["onestop.consultations"],
        ["onestop.businesses", "productivity.plans"],
        [i["code"] for i in (await stack.graphql("{ indicators { code } }"))["data"]["indicators"]],
    ):
        with stack.statements() as statements:
            body = await stack.graphql(WIDE, {"indicators": indicators})
        assert "errors" not in body, body
        assert len(body["data"]["observations"]) == 47 * 2 * sum(
            3 if code == "onestop.skill_sharing.trainees" else 1 for code in indicators
        )
        counts.append(len(statements))
    # One indicator shares its batch with the series; wider queries take one batch more, then stay
    # flat (two of them are the response cache's data-version reads).
    assert counts[0] <= counts[1] == counts[2] <= 10, counts


async def test_list_filters_and_month_ranges(stack: Stack) -> None:
    await load_years(stack)
    query = """query($p: [String!], $r: [String!], $from: String, $to: String, $m: [Int!], $y: [Int!]) {
      observations(indicator: "onestop.consultations", fiscalYears: $y, prefectures: $p, regions: $r,
                   fromMonth: $from, toMonth: $to, months: $m) {
        fiscalYear month prefecture { code } value } }"""
    both = await stack.graphql(query, {"p": ["13", "大阪"], "y": [2025, 2026]})
    got = [(o["fiscalYear"], o["month"], o["prefecture"]["code"]) for o in both["data"]["observations"]]
    assert got == [
        (2025, 4, "13"),
        (2025, 4, "27"),
        (2026, 4, "13"),
        (2026, 4, "27"),
        (2026, 5, "13"),
        (2026, 5, "27"),
    ]
    ranged = await stack.graphql(query, {"p": ["13"], "from": "2025-05", "to": "2026-04"})
    assert [(o["fiscalYear"], o["month"]) for o in ranged["data"]["observations"]] == [(2026, 4)]
    regional = await stack.graphql(query, {"r": ["hokkaido", "ogb_okinawa"], "y": [2026], "m": [5]})
    assert [o["prefecture"]["code"] for o in regional["data"]["observations"]] == ["01", "47"]
    bad = await stack.graphql(query, {"p": ["13"], "from": "2026-13", "to": "2026-04"})
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "fromMonth" in bad["errors"][0]["message"]


async def test_fiscal_years_tell_what_exists(stack: Stack) -> None:
    await load_years(stack)
    body = await stack.graphql(
        "{ fiscalYears { fiscalYear months indicators { indicator { code } months } } }"
    )
    years = {y["fiscalYear"]: y for y in body["data"]["fiscalYears"]}
    assert years[2025]["months"] == [4] and years[2026]["months"] == [4, 5]
    assert len(years[2026]["indicators"]) == 12
    assert all(i["months"] == [4, 5] for i in years[2026]["indicators"])


async def test_the_year_before_is_read_only_when_changes_are_asked_for(stack: Stack) -> None:
    await load_years(stack)
    head = 'observations(indicator: "onestop.consultations", fiscalYear: 2026, month: 4, prefecture: "13")'
    direct = f"{{ {head} {{ value cumulative rank changeFromPreviousYear }} }}"
    fragment = "fragment C on Observation { value cumulative rank changeFromPreviousYear }"
    spread = f"{{ {head} {{ ...C }} }} {fragment}"
    inline = f"{{ {head} {{ value cumulative rank ... on Observation {{ changeFromPreviousYear }} }} }}"
    without = f"{{ {head} {{ value cumulative rank }} }}"
    answers = []
    for query in (direct, spread, inline, without):
        body = await stack.graphql(query)
        assert "errors" not in body, body
        answers.append(body["data"]["observations"])
    # Tokyo: 570 in April FY2026, 560 the year before (seed − 10).
    rank = answers[0][0]["rank"]
    expected = {"value": 570, "cumulative": 570, "rank": rank, "changeFromPreviousYear": 10}
    assert answers[:3] == [[expected]] * 3
    assert answers[3] == [{"value": 570, "cumulative": 570, "rank": rank}]
    # Without changes, the year before is not read at all; without printed fields, nor the printed 累計値.
    async with AsyncSession(stack.engine) as session:
        for flag in (True, False):
            key = FigureKey("onestop.consultations", 2026, "total", previous_year=flag, printed=flag)
            figures = (await load_year_figures(session, [key]))[key]
            assert len(figures.current) == 47
            assert len(figures.previous) == (47 if flag else 0)
            assert bool(figures.reported_cumulative) == bool(figures.reported_totals) == flag
