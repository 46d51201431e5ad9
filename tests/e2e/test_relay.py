"""Relay identity and paging through the API: global ids, node/nodes, connections, prefecture lookup."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from service.graphql.schema import schema
from tests.support.paths import SEED
from tests.support.stack import TOKEN, Stack, import_file

#: Every Node type's identifying fields, so a refetched object can be compared with the original.
FIELDS = {
    "Prefecture": "code name",
    "Region": "code kind",
    "Indicator": "code name",
    "Report": "number filename status",
    "CaseStudy": "url title",
    "Observation": "value month fiscalYear breakdown indicator { code } prefecture { code }",
}
NODE = "__typename id " + " ".join(f"... on {name} {{ {fields} }}" for name, fields in FIELDS.items())


def own(type_name: str) -> str:
    return f"__typename id {FIELDS[type_name]}"


ONE_OF_EACH = f"""{{
  prefecture(code: "13") {{
    {own("Prefecture")} area {{ {own("Region")} }}
    caseStudies(first: 1) {{ edges {{ node {{ {own("CaseStudy")} }} }} }}
  }}
  indicator(code: "onestop.skill_sharing.trainees") {{ {own("Indicator")} }}
  reports(first: 1) {{ edges {{ node {{ {own("Report")} }} }} }}
  observations(indicator: "onestop.skill_sharing.trainees", fiscalYear: 2026, prefecture: "13") {{
    {own("Observation")}
  }}
}}"""
REFETCH = f"query($id: ID!) {{ node(id: $id) {{ {NODE} }} }}"
OSAKA_CASES = "\n".join(
    ["prefecture,title,url,published_on"]
    + [f"大阪府,事例{n},https://example.jp/osaka/{n},2026-05-{n:02d}" for n in range(1, 8)]
)
PAGE = """query($first: Int, $after: String, $last: Int, $before: String) {
  caseStudies(prefecture: "27", first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { title } }
  }
}"""


def global_id(type_name: str, key: str) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


@pytest.fixture(scope="module")
async def loaded(stack: Stack) -> Stack:
    """The seed report and Tokyo's and Osaka's case studies."""
    body = await stack.upload(SEED.read_bytes(), "seed.txt")
    assert (await stack.finished(body["data"]["uploadReport"]["id"]))["status"] == "SUCCEEDED"
    tokyo = "prefecture,title,url\n東京都,事例,https://example.jp/tokyo/relay\n"
    assert "errors" not in await import_file(stack, tokyo.encode(), "tokyo.csv")
    assert "errors" not in await import_file(stack, OSAKA_CASES.encode(), "osaka.csv")
    return stack


def objects(answer: Any) -> list[dict[str, Any]]:
    """Every object in an answer that has a ``__typename``, nested ones included."""
    found: list[dict[str, Any]] = []
    if isinstance(answer, dict):
        if "__typename" in answer:
            found.append(answer)
        for value in answer.values():
            found += objects(value)
    elif isinstance(answer, list):
        for value in answer:
            found += objects(value)
    return found


def flat(node: dict[str, Any]) -> dict[str, Any]:
    """An object without the objects nested in it (refetching selects only its own fields)."""
    return {
        k: v for k, v in node.items() if not isinstance(v, dict | list) or k in ("indicator", "prefecture")
    }


async def test_node_refetches_every_type(loaded: Stack) -> None:
    body = await loaded.graphql(ONE_OF_EACH)
    assert "errors" not in body, body
    found = objects(body["data"])
    node_types = {t.name for t in schema._schema.get_possible_types(schema._schema.get_type("Node"))}  # type: ignore[arg-type]
    assert {o["__typename"] for o in found} == node_types
    # The ⑨b table has three breakdowns: their observations must not share an id.
    assert len({o["id"] for o in found}) == len({(o["__typename"], str(flat(o))) for o in found})
    for observation in (o for o in found if o["__typename"] == "Observation"):
        assert base64.b64decode(observation["id"]).decode() == (
            f"Observation:onestop.skill_sharing.trainees:13:{observation['breakdown']}:2026:{observation['month']}"
        )
    for original in found:
        refetched = (await loaded.graphql(REFETCH, {"id": original["id"]}))["data"]["node"]
        assert refetched is not None, original
        assert {k: refetched[k] for k in flat(original)} == flat(original)

    ids = [o["id"] for o in found]
    many = await loaded.graphql(
        "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }",
        {"ids": [*ids, global_id("Prefecture", "48")]},
    )
    assert [n and n["id"] for n in many["data"]["nodes"]] == [*ids, None]


@pytest.mark.parametrize(
    "key",
    [
        "Prefecture:48",
        "Prefecture:東京都",
        "Region:nowhere",
        "Indicator:onestop.nothing",
        "Report:99999",
        "Report:99999999999999",
        "CaseStudy:x",
        "Observation:onestop.consultations:13:total:1999:4",
        "Observation:onestop.consultations:13:trainee:2026:4",
        "Observation:onestop.consultations:13:total:2026:13",
        "Observation:onestop.consultations:13:total:2026:04",  # not the id the observation has
        "Observation:onestop.consultations:13:total:02026:4",
        "Report:01",
        "Observation:onestop.consultations:13",
        "Figure:1",
    ],
)
async def test_an_id_naming_nothing_is_null(loaded: Stack, key: str) -> None:
    assert await loaded.graphql(REFETCH, {"id": global_id(*key.split(":", 1))}) == {"data": {"node": None}}


@pytest.mark.parametrize("bad", ["13", "not base64!", base64.b64encode(b"no colon").decode(), "////"])
async def test_a_malformed_id_is_bad_user_input(loaded: Stack, bad: str) -> None:
    body = await loaded.graphql(REFETCH, {"id": bad})
    assert body["data"] == {"node": None}
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "invalid id" in body["errors"][0]["message"]


async def test_a_report_is_named_by_its_id_or_its_number(loaded: Stack) -> None:
    listed = (await loaded.graphql("{ reports(first: 1) { edges { node { id number } } } }"))["data"]
    report = listed["reports"]["edges"][0]["node"]
    assert report["id"] == global_id("Report", str(report["number"]))
    for named in (report["id"], str(report["number"])):
        found = await loaded.graphql("query($id: ID!) { report(id: $id) { number } }", {"id": named})
        assert found == {"data": {"report": {"number": report["number"]}}}
    query = "query($id: ID!) { report(id: $id) { number } }"
    wrong = await loaded.graphql(query, {"id": global_id("Prefecture", "13")})
    assert wrong["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_pages_forward_and_backward_with_complete_page_info(loaded: Stack) -> None:
    titles = [f"事例{n}" for n in range(7, 0, -1)]  # newest publication first
    first = (await loaded.graphql(PAGE, {"first": 3}))["data"]["caseStudies"]
    assert first["totalCount"] == 7
    assert [e["node"]["title"] for e in first["edges"]] == titles[:3]
    info = first["pageInfo"]
    assert (info["hasNextPage"], info["hasPreviousPage"]) == (True, False)
    assert (info["startCursor"], info["endCursor"]) == (
        first["edges"][0]["cursor"],
        first["edges"][-1]["cursor"],
    )

    second = (await loaded.graphql(PAGE, {"first": 3, "after": info["endCursor"]}))["data"]["caseStudies"]
    assert [e["node"]["title"] for e in second["edges"]] == titles[3:6]
    assert (second["pageInfo"]["hasNextPage"], second["pageInfo"]["hasPreviousPage"]) == (True, True)

    last = (await loaded.graphql(PAGE, {"last": 2}))["data"]["caseStudies"]
    assert [e["node"]["title"] for e in last["edges"]] == titles[5:]
    assert (last["pageInfo"]["hasNextPage"], last["pageInfo"]["hasPreviousPage"]) == (False, True)

    back = (await loaded.graphql(PAGE, {"last": 2, "before": second["pageInfo"]["startCursor"]}))["data"]
    assert [e["node"]["title"] for e in back["caseStudies"]["edges"]] == titles[1:3]
    between = {"after": first["edges"][0]["cursor"], "before": last["edges"][0]["cursor"]}
    inside = (await loaded.graphql(PAGE, between))["data"]["caseStudies"]
    assert [e["node"]["title"] for e in inside["edges"]] == titles[1:5]

    empty = (await loaded.graphql(PAGE, {"first": 0}))["data"]["caseStudies"]
    assert empty["edges"] == [] and empty["pageInfo"]["startCursor"] is None
    assert empty["pageInfo"]["hasNextPage"] is True


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"first": 101}, "first must be between 0 and 100"),
        ({"last": -1}, "last must be between 0 and 100"),
        ({"after": "bm90IG91cnM="}, "invalid cursor"),
        ({"before": "%%%"}, "invalid cursor"),
    ],
)
async def test_page_arguments_out_of_bounds_are_bad_user_input(
    loaded: Stack, variables: dict[str, Any], message: str
) -> None:
    body = await loaded.graphql(PAGE, variables)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert message in body["errors"][0]["message"]


async def test_reports_are_a_connection(loaded: Stack) -> None:
    for n in range(2):  # two more reports, which fail: they are reports all the same
        body = await loaded.upload(f"not a report {n}".encode(), f"junk{n}.txt", token=TOKEN)
        await loaded.finished(body["data"]["uploadReport"]["id"])
    query = """query($first: Int, $after: String, $last: Int, $before: String) {
      reports(first: $first, after: $after, last: $last, before: $before) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { number } }
      }
    }"""
    everything = (await loaded.graphql(query))["data"]["reports"]
    numbers = [e["node"]["number"] for e in everything["edges"]]
    assert numbers == sorted(numbers, reverse=True) and len(numbers) == everything["totalCount"] >= 3
    page = (await loaded.graphql(query, {"first": 2}))["data"]["reports"]
    assert [e["node"]["number"] for e in page["edges"]] == numbers[:2]
    rest = (await loaded.graphql(query, {"first": 2, "after": page["pageInfo"]["endCursor"]}))["data"]
    assert [e["node"]["number"] for e in rest["reports"]["edges"]] == numbers[2:4]
    assert rest["reports"]["pageInfo"]["hasPreviousPage"] is True
    oldest = (await loaded.graphql(query, {"last": 1}))["data"]["reports"]
    assert [e["node"]["number"] for e in oldest["edges"]] == numbers[-1:]
    failed = await loaded.graphql("{ reports(status: FAILED) { totalCount edges { node { status } } } }")
    assert {e["node"]["status"] for e in failed["data"]["reports"]["edges"]} == {"FAILED"}


@pytest.mark.parametrize("arguments", ["", 'code: "13", name: "東京都"', 'code: "13", name: "大阪府"'])
async def test_prefecture_needs_exactly_one_of_code_and_name(loaded: Stack, arguments: str) -> None:
    body = await loaded.graphql("{ prefecture%s { code } }" % (f"({arguments})" if arguments else ""))
    assert body["data"] == {"prefecture": None}
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "exactly one of code and name" in body["errors"][0]["message"]


async def test_prefecture_filters_take_estat_area_codes(loaded: Stack) -> None:
    tokyo = await loaded.graphql('{ prefecture(code: "13000") { code estatCode } }')
    assert tokyo == {"data": {"prefecture": {"code": "13", "estatCode": "13000"}}}
    query = """query($prefecture: String) { observations(indicator: "onestop.consultations", fiscalYear: 2026,
      prefecture: $prefecture) { prefecture { code } value } }"""
    by_jis = (await loaded.graphql(query, {"prefecture": "13"}))["data"]["observations"]
    by_estat = (await loaded.graphql(query, {"prefecture": "13000"}))["data"]["observations"]
    assert by_estat == by_jis and by_jis
    nation = (await loaded.graphql(query, {"prefecture": "00000"}))["data"]["observations"]
    assert nation == (await loaded.graphql(query))["data"]["observations"]
    assert len({o["prefecture"]["code"] for o in nation}) == 47
    refused = await loaded.graphql('{ prefecture(code: "00000") { code } }')
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "national" in refused["errors"][0]["message"]
    cases = await loaded.graphql('{ caseStudies(prefecture: "27000") { totalCount } }')
    assert cases == {"data": {"caseStudies": {"totalCount": 7}}}


async def test_nodes_takes_at_most_a_page_of_ids(loaded: Stack) -> None:
    ids = [global_id("Prefecture", f"{n % 47 + 1:02d}") for n in range(101)]
    body = await loaded.graphql("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "MAX_PAGE_SIZE" in body["errors"][0]["message"]
    many = await loaded.graphql("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids[:100]})
    assert [n["id"] for n in many["data"]["nodes"]] == ids[:100]
