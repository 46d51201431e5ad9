"""Later reports through the public API: a second month, warnings, tables no indicator matches."""

from __future__ import annotations

from typing import Any

from tests.support.reportgen import render_report, seed_values
from tests.support.stack import Stack, upload_seed
from tests.support.uploads import may_figures

MAY_QUERY = """query($p: String!) {
  observations(indicator: "onestop.consultations", fiscalYear: 2026, prefecture: $p) {
    month yearMonth value cumulative reportedCumulative } }"""


async def test_a_may_report_adds_may_and_keeps_the_year_to_date(stack: Stack) -> None:
    await upload_seed(stack)
    text = render_report(fiscal_year=2026, months=[4, 5], values=may_figures())
    body = await stack.upload(text.encode("cp932"), "r08-05.txt")
    report = await stack.finished(body["data"]["uploadReport"]["id"])
    assert report["status"] == "SUCCEEDED", report["error"]
    assert report["months"] == [4, 5]
    assert report["valuesStored"] == 658 * 2
    assert report["warnings"] == []
    tokyo = (await stack.graphql(MAY_QUERY, {"p": "13"}))["data"]["observations"]
    # Hand calculation: April 570 (seed); May 570 + 13 = 583; cumulative 1,153, as printed.
    assert tokyo == [
        {"month": 4, "yearMonth": "2026-04", "value": 570, "cumulative": 570, "reportedCumulative": 570},
        {"month": 5, "yearMonth": "2026-05", "value": 583, "cumulative": 1153, "reportedCumulative": 1153},
    ]
    may_only = await stack.graphql(
        '{ observations(indicator: "onestop.skill_sharing.trainees", fiscalYear: 2026, month: 5,'
        ' prefecture: "山口県") { breakdown value cumulative } }'
    )
    assert {o["breakdown"]: (o["value"], o["cumulative"]) for o in may_only["data"]["observations"]} == {
        "trainee": (1 + 35, 1 + 1 + 35),
        "seconded": (0, 0),
        "total": (1 + 35, 1 + 1 + 35),
    }


async def test_inconsistent_totals_are_stored_with_warnings(stack: Stack) -> None:
    text = render_report(fiscal_year=2025, months=[4], values=seed_values())
    wrong_total = text.replace("合計\t18,437\t18,437", "合計\t18,438\t18,437", 1)
    wrong_total = wrong_total.replace("北海道\t784\t784", "北海道\t784\t785", 1)
    assert wrong_total.count("18,438") == 1 and "\t785\n" in wrong_total
    body = await stack.upload(wrong_total.encode(), "r07-04.txt")
    report = await stack.finished(body["data"]["uploadReport"]["id"])
    assert report["status"] == "SUCCEEDED"
    assert report["fiscalYear"] == 2025
    assert report["warnings"] == [
        "table '1.名寄せ後の事業者数', row 合計 (line 8), 4月: printed 18,438 but the 47 rows sum to 18,437",
        "table '1.名寄せ後の事業者数', row 合計 (line 8), 累計値: "
        "printed 18,437 but the months 4月 sum to 18,438",
        "table '2.相談実績件数', row 合計 (line 66), 累計値: printed 29,824 but the 47 rows sum to 29,825",
        "table '2.相談実績件数', row 北海道 (line 67), 累計値: printed 785 but the months 4月 sum to 784",
    ]
    hokkaido = await stack.graphql(
        '{ observations(indicator: "onestop.businesses", fiscalYear: 2025, prefecture: "01") { value } }'
    )
    assert hokkaido["data"]["observations"] == [{"value": 489}]


async def test_a_table_no_indicator_matches_is_stored_under_a_generated_code(stack: Stack) -> None:
    text = render_report(fiscal_year=2024, months=[4], values=seed_values())
    extra = ["(2)生産性向上支援センター", "", "9.新しい取組の事業者数", "", "\t4月", "合計\t47"]
    extra += [f"{name}\t1" for name in _prefecture_names()]
    extra += ["", "◆◆新しい取組の事業者数：試行中の指標。", ""]
    body = await stack.upload((text + "\n" + "\n".join(extra) + "\n").encode(), "r06-04.txt")
    report = await stack.finished(body["data"]["uploadReport"]["id"])
    assert report["status"] == "SUCCEEDED", report["error"]
    assert len(report["warnings"]) == 1 and "9.新しい取組の事業者数" in report["warnings"][0]
    code = report["warnings"][0].split("'")[-2]
    assert code.startswith("productivity.extra_")
    indicator: dict[str, Any] = (
        await stack.graphql(
            "query($c: String!) { indicator(code: $c) { code catalogued name section definition } }",
            {"c": code},
        )
    )["data"]["indicator"]
    assert indicator == {
        "code": code,
        "catalogued": False,
        "name": "新しい取組の事業者数",
        "section": "PRODUCTIVITY",
        "definition": "試行中の指標。",
    }
    values = await stack.graphql(
        "query($c: String!) { observations(indicator: $c, fiscalYear: 2024) { value } }", {"c": code}
    )
    assert [o["value"] for o in values["data"]["observations"]] == [1] * 47


def _prefecture_names() -> list[str]:
    from service.domain.reference import prefectures

    return [p.name for p in prefectures()]
