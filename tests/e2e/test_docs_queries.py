"""The example queries in docs/queries run against the seed (and a second month) with the right answers."""

from __future__ import annotations

from typing import Any

from tests.support.paths import ROOT
from tests.support.reportgen import render_report
from tests.support.stack import Stack, import_file, upload_seed
from tests.support.uploads import may_figures, tokyo_csv

DOCS = ROOT / "docs" / "queries"


async def run(stack: Stack, name: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = await stack.graphql((DOCS / f"{name}.graphql").read_text(encoding="utf-8"), variables)
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def consultations(month: int = 4) -> dict[str, int]:
    return {
        pref: value
        for (indicator, pref, m, breakdown), value in may_figures().items()
        if indicator == "onestop.consultations" and breakdown == "total" and m == month
    }


async def test_every_example_query_runs(stack: Stack) -> None:
    await upload_seed(stack)
    may = render_report(fiscal_year=2026, months=[4, 5], values=may_figures())
    body = await stack.upload(may.encode(), "may.txt")
    assert (await stack.finished(body["data"]["uploadReport"]["id"]))["status"] == "SUCCEEDED"
    await import_file(stack, tokyo_csv(6), "tokyo.csv")

    assert sorted(p.stem for p in DOCS.glob("*.graphql")) == [
        "dashboard",
        "prefecture_map",
        "prefecture_page",
        "ranking",
        "regional_chart",
    ]
    april = consultations(4)
    national = sum(april.values())

    dashboard = (await run(stack, "dashboard"))["observations"]
    assert len(dashboard) == 658 * 2
    tokyo = {
        o["month"]: o
        for o in dashboard
        if o["prefecture"]["code"] == "13" and o["indicator"]["code"] == "onestop.consultations"
    }
    assert (tokyo[5]["value"], tokyo[5]["cumulative"]) == (583, 570 + 583)

    mapped = await run(stack, "prefecture_map")
    rows = {o["prefecture"]["code"]: o for o in mapped["observations"]}
    assert len(rows) == 47
    assert rows["13"]["value"] == 570 and rows["13"]["shareOfNational"] == 570 / national
    assert rows["40"]["rank"] == 1 and rows["40"]["prefecture"]["bureau"]["code"] == "meti_kyushu"
    assert [p["reportedTotal"] for p in mapped["national"]["points"]] == [
        national,
        national + sum(range(1, 48)),
    ]

    chart = await run(stack, "regional_chart")
    areas = {r["code"]: r["series"] for r in chart["regions"]}
    assert len(areas) == 8
    hokkaido = areas["hokkaido"]["points"]
    assert [(p["yearMonth"], p["value"], p["cumulative"]) for p in hokkaido] == [
        ("2026-04", 784, 784),
        ("2026-05", 785, 1569),
    ]
    assert sum(a["total"] for a in areas.values()) == national * 2 + sum(range(1, 48))

    page = (await run(stack, "prefecture_page"))["prefecture"]
    assert page["center"]["name"] == "東京都よろず支援拠点"
    assert page["consultations"]["total"] == 570 + 583
    assert [p["changeFromPreviousMonth"] for p in page["consultations"]["points"]] == [None, 13]
    assert page["caseStudies"]["totalCount"] == 6 and len(page["caseStudies"]["edges"]) == 5

    ranked = (await run(stack, "ranking", {"month": 5, "cumulative": True}))["indicator"]["ranking"]
    assert ranked[0]["prefecture"]["code"] == "40" and ranked[0]["cumulative"] == 2360 * 2 + 40
    assert [r["rank"] for r in ranked] == sorted(r["rank"] for r in ranked)
