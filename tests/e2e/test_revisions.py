"""Revisions through the API: a May report correcting April, April arriving late, asOf, deletion."""

from __future__ import annotations

from typing import Any

from tests.support.reportgen import render_report, seed_values
from tests.support.stack import TOKEN, Stack, upload_seed
from tests.support.uploads import may_figures

TOKYO = ("onestop.consultations", "13", 4, "total")
OSAKA = ("onestop.businesses", "27", 4, "total")
FIGURE = """query($i: String!, $p: String!, $asOf: DateTime, $asOfReport: ID) {
  observations(indicator: $i, fiscalYear: 2026, prefecture: $p, month: 4,
               asOf: $asOf, asOfReport: $asOfReport) {
    value revisions { value replacedAt report { id } } } }"""


async def upload(stack: Stack, text: str, name: str) -> dict[str, Any]:
    body = await stack.upload(text.encode(), name)
    report = await stack.finished(body["data"]["uploadReport"]["id"])
    assert report["status"] == "SUCCEEDED", report["error"]
    return report


async def figure(stack: Stack, key: tuple[str, str, int, str], **variables: Any) -> dict[str, Any]:
    body = await stack.graphql(FIGURE, {"i": key[0], "p": key[1], **variables})
    assert "errors" not in body, body
    (observation,) = body["data"]["observations"]
    result: dict[str, Any] = observation
    return result


async def test_corrections_late_reports_as_of_and_deletion(stack: Stack) -> None:
    april = await upload_seed(stack)
    corrected = may_figures()
    corrected[TOKYO] = 575  # was 570
    corrected[OSAKA] = 530  # was 528
    may = await upload(stack, render_report(fiscal_year=2026, months=[4, 5], values=corrected), "may.txt")

    tokyo = await figure(stack, TOKYO)
    assert tokyo["value"] == 575
    assert [(r["value"], r["report"]["id"]) for r in tokyo["revisions"]] == [(570, april["id"])]
    assert (await figure(stack, ("onestop.consultations", "01", 4, "total")))["revisions"] == []

    changes = await stack.graphql(
        "query($id: ID!) { report(id: $id) { changes { indicator { code } prefecture { code } "
        "fiscalYear month breakdown oldValue newValue } } }",
        {"id": may["id"]},
    )
    assert changes["data"]["report"]["changes"] == [
        {
            "indicator": {"code": "onestop.businesses"},
            "prefecture": {"code": "27"},
            "fiscalYear": 2026,
            "month": 4,
            "breakdown": "total",
            "oldValue": 528,
            "newValue": 530,
        },
        {
            "indicator": {"code": "onestop.consultations"},
            "prefecture": {"code": "13"},
            "fiscalYear": 2026,
            "month": 4,
            "breakdown": "total",
            "oldValue": 570,
            "newValue": 575,
        },
    ]

    # An April report arriving after May changes nothing current, and lists no changes.
    late = dict(seed_values())
    late[TOKYO] = 999
    late_april = await upload(
        stack, render_report(fiscal_year=2026, months=[4], values=late), "late-april.txt"
    )
    assert (await figure(stack, TOKYO))["value"] == 575
    late_changes = await stack.graphql(
        "query($id: ID!) { report(id: $id) { changes { newValue } } }", {"id": late_april["id"]}
    )
    assert late_changes["data"]["report"]["changes"] == []

    # As known when April was stored, and when May was.
    assert (await figure(stack, TOKYO, asOfReport=april["id"]))["value"] == 570
    assert (await figure(stack, TOKYO, asOf=may["processedAt"]))["value"] == 575

    # Deleting May restores what the April reports say: the later upload of the same month wins.
    deleted = await stack.graphql(
        "mutation($id: ID!) { deleteReport(id: $id) }", {"id": may["id"]}, token=TOKEN
    )
    assert deleted["data"]["deleteReport"] is True
    assert (await figure(stack, TOKYO))["value"] == 999
    assert (await figure(stack, OSAKA))["value"] == 528
    may_left = await stack.graphql(
        '{ observations(indicator: "onestop.consultations", fiscalYear: 2026, month: 5) { value } }'
    )
    assert may_left["data"]["observations"] == []
    again = await stack.graphql(
        "mutation($id: ID!) { deleteReport(id: $id) }", {"id": may["id"]}, token=TOKEN
    )
    assert again["data"]["deleteReport"] is False
    refused = await stack.graphql("mutation($id: ID!) { deleteReport(id: $id) }", {"id": april["id"]})
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
