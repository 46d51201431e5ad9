"""A failing field never takes its siblings down: they answer as they would alone, beside the error."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.app import Api

GOOD = {
    "a": 'a: national(indicator: "onestop.consultations", fiscalYear: 2026) { total points { month value } }',
    "tokyo": 'tokyo: prefecture(code: "13") { code series(indicator: "onestop.consultations", '
    "fiscalYear: 2026) { total } }",
    "regions": "regions: regions { code prefectures { code } }",
    "reports": "reports: reports { totalCount edges { node { status valuesStored } } }",
    "observations": 'observations: observations(indicator: "onestop.businesses", fiscalYear: 2026, '
    'prefectures: ["01", "47"]) { value prefecture { code } }',
}
BAD = {
    # An argument naming nothing, raised by the root resolver.
    "b": 'b: national(indicator: "nope", fiscalYear: 2026) { total }',
    # An alias of a good field, failing.
    "c": 'c: national(indicator: "onestop.consultations", fiscalYear: 2026, breakdown: "nope") { total }',
    # Deep: each of the 47 prefectures' non-null series fails, nulling the whole list; the
    # good sibling series of each prefecture was loading when its neighbour failed.
    "deep": 'deep: prefectures { code ok: series(indicator: "onestop.consultations", fiscalYear: 2026) '
    '{ total } bad: series(indicator: "nope", fiscalYear: 2026) { total } }',
}


async def alone(api: Api) -> dict[str, Any]:
    """Each good field's answer when asked on its own."""
    answers = {}
    for name, field in GOOD.items():
        body = await api.graphql("{ " + field + " }")
        assert "errors" not in body, body
        answers[name] = body["data"][name]
    return answers


@pytest.mark.parametrize(
    "bad",
    [["b"], ["c"], ["deep"], ["b", "c", "deep"]],
    ids=["root", "alias", "nested", "all"],
)
async def test_good_fields_answer_beside_the_bad_ones(api: Api, bad: list[str]) -> None:
    expected = await alone(api)
    assert expected["a"]["total"] > 0 and expected["observations"] and expected["reports"]["totalCount"]
    # Bad fields first and last, so that they fail before and after the good ones start.
    fields = [BAD[name] for name in bad] + list(GOOD.values()) + [BAD[name] for name in reversed(bad)]
    query = "{ " + " ".join(dict.fromkeys(fields)) + " }"
    body = await api.graphql(query)
    for name, answer in expected.items():
        assert body["data"][name] == answer, (name, body.get("errors"))
    assert {name: body["data"][name] for name in bad} == dict.fromkeys(bad)
    errors = body["errors"]
    assert {error["path"][0] for error in errors} == set(bad)
    assert {error["extensions"]["code"] for error in errors} == {"BAD_USER_INPUT"}


async def test_the_same_field_by_two_aliases_one_failing(api: Api) -> None:
    body = await api.graphql(
        '{ x: national(indicator: "onestop.consultations", fiscalYear: 2026) { total } '
        'y: national(indicator: "onestop.consultations", fiscalYear: 1900) { total } '
        'z: national(indicator: "nope", fiscalYear: 2026) { total } }'
    )
    expected = (await alone(api))["a"]["total"]
    assert body["data"]["x"] == {"total": expected}
    assert body["data"]["z"] is None
    assert [error["path"] for error in body["errors"]] == [["z"]]


async def test_text_no_database_can_hold_is_refused_before_any_statement(api: Api) -> None:
    """NUL (PostgreSQL refuses it, and then every later statement of the transaction) and unpaired
    surrogates (they cannot be encoded to send) are the client's: BAD_USER_INPUT, on both databases,
    before anything runs, so no field meets a poisoned transaction."""
    nul = 'nul: caseStudies(industry: "a\\u0000b") { totalCount }'
    body = await api.graphql("{ " + nul + " " + " ".join(GOOD.values()) + " }")
    [error] = body["errors"]
    assert (
        body["data"] is None and error["extensions"]["code"] == "BAD_USER_INPUT" and "NUL" in error["message"]
    )
    # JSON escapes a lone surrogate ("\\ud800"); a client library cannot send it as UTF-8.
    request = {"query": "query($i: String) { s: caseStudies(industry: $i) { totalCount } }"}
    request["variables"] = {"i": "a\ud800b"}
    response = await api.client.post(
        "/graphql", content=json.dumps(request), headers={"content-type": "application/json"}
    )
    body = response.json()
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and "surrogate" in error["message"]
    # The same fields without the bad text answer as usual: the refusal left nothing behind.
    expected = await alone(api)
    body = await api.graphql("{ " + " ".join(GOOD.values()) + " }")
    assert body["data"] == expected
