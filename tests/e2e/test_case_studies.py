"""Case studies (支援事例) through the API: import, add, update by URL, pages, filters, report links."""

from __future__ import annotations

import json

from tests.support.reportgen import render_report, seed_values
from tests.support.stack import TOKEN, Stack, import_file
from tests.support.uploads import tokyo_csv


async def test_import_pages_and_updates_by_url(stack: Stack) -> None:
    body = await import_file(stack, tokyo_csv(7), "tokyo.csv")
    assert body["data"]["importCaseStudies"]["created"] == 7
    again = await import_file(stack, tokyo_csv(7, title="改訂"), "tokyo-again.csv")
    assert again["data"]["importCaseStudies"] == {
        "created": 0,
        "updated": 7,
        "caseStudies": body["data"]["importCaseStudies"]["caseStudies"],
    }
    query = """query($after: String) { prefecture(code: "13") { caseStudies(first: 5, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { title publishedOn industry prefecture { code } } } } } }"""
    first = (await stack.graphql(query))["data"]["prefecture"]["caseStudies"]
    assert first["totalCount"] == 7
    assert [e["node"]["title"] for e in first["edges"]] == ["改訂7", "改訂6", "改訂5", "改訂4", "改訂3"]
    assert first["pageInfo"]["hasNextPage"] is True
    rest = (await stack.graphql(query, {"after": first["pageInfo"]["endCursor"]}))["data"]["prefecture"][
        "caseStudies"
    ]
    assert [e["node"]["title"] for e in rest["edges"]] == ["改訂2", "改訂1"]
    assert rest["pageInfo"] == {"hasNextPage": False, "endCursor": rest["pageInfo"]["endCursor"]}


async def test_a_bad_file_stores_nothing_and_names_the_lines(stack: Stack) -> None:
    content = (
        "prefecture,title,url,published_on\n"
        "大阪府,良い事例,https://example.jp/osaka/1,2026-05-01\n"
        "大阪都,悪い県名,https://example.jp/osaka/2,\n"
        "大阪府,,https://example.jp/osaka/3,\n"
        "大阪府,悪い日付,https://example.jp/osaka/4,2026-13-01\n"
        "大阪府,悪いURL,ftp://example.jp/osaka/5,\n"
    ).encode()
    body = await import_file(stack, content, "osaka.csv")
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    for fragment in ("osaka.csv line 3", "大阪都", "line 4: 'title' is missing", "line 5", "line 6"):
        assert fragment in error["message"], fragment
    osaka = await stack.graphql('{ caseStudies(prefecture: "27") { totalCount } }')
    assert osaka["data"]["caseStudies"]["totalCount"] == 0


async def test_add_case_study_needs_a_token_and_filters_by_region(stack: Stack) -> None:
    mutation = """mutation($input: CaseStudyInput!) {
      addCaseStudy(input: $input) { id title prefecture { code } } }"""
    entry = {
        "prefecture": "北海道",
        "title": "道の事例",
        "url": "https://example.jp/hokkaido/1",
        "industry": "観光業",
    }
    refused = await stack.graphql(mutation, {"input": entry})
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    added = await stack.graphql(mutation, {"input": entry}, token=TOKEN)
    assert added["data"]["addCaseStudy"]["prefecture"] == {"code": "01"}
    body = await stack.graphql(
        '{ caseStudies(region: "hokkaido", industry: "観光業") { totalCount edges { node { title } } } }'
    )
    assert body["data"]["caseStudies"]["totalCount"] == 1
    json_file = json.dumps(
        [{"prefecture": "01", "title": "JSONの事例", "url": "https://example.jp/hokkaido/2"}]
    )
    imported = await import_file(stack, json_file.encode(), "hokkaido.json")
    assert imported["data"]["importCaseStudies"]["created"] == 1
    region = await stack.graphql('{ caseStudies(region: "meti_hokkaido") { totalCount } }')
    assert region["data"]["caseStudies"]["totalCount"] == 2


async def test_case_study_urls_come_from_the_latest_report_with_a_real_link(stack: Stack) -> None:
    links = {"01": "https://yorozu-hokkaido.go.jp/case/", "13": "#"}
    text = render_report(fiscal_year=2023, months=[4], values=seed_values(), links=links)
    body = await stack.upload(text.encode(), "links.txt")
    report = await stack.finished(body["data"]["uploadReport"]["id"])
    assert report["status"] == "SUCCEEDED", report["error"]
    urls = await stack.graphql(
        '{ a: prefecture(code: "01") { caseStudyUrl } b: prefecture(code: "13") { caseStudyUrl } }'
    )
    assert urls["data"] == {
        "a": {"caseStudyUrl": "https://yorozu-hokkaido.go.jp/case/"},
        "b": {"caseStudyUrl": None},
    }


async def test_case_studies_of_every_prefecture_cost_one_statement(stack: Stack) -> None:
    await import_file(stack, tokyo_csv(3), "tokyo.csv")
    with stack.statements() as statements:
        body = await stack.graphql(
            "{ prefectures { code caseStudies(first: 5) { totalCount edges { node { title } } } } }"
        )
    assert "errors" not in body, body
    assert sum(p["caseStudies"]["totalCount"] for p in body["data"]["prefectures"]) >= 3
    # One for the case studies; the response cache reads the data version after computing, and
    # before too when the version is not pushed to it (SQLite, or the push channel not yet live).
    queries = [s for s in statements if "data_version" not in s]
    assert len(queries) == 1 and "FROM case_study" in queries[0], statements
    assert len(statements) - len(queries) in (1, 2), statements
