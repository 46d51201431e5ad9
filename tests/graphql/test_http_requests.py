"""Requests refused before any operation runs answer JSON GraphQL errors with codes; batches answer arrays."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.app import Api

REGIONS = {"query": "{ regions { code } }"}


def only_error(response: httpx.Response) -> dict[str, Any]:
    assert response.headers["content-type"].startswith("application/json"), response.text
    body = response.json()
    assert body["data"] is None, body
    [error] = body["errors"]
    return error  # type: ignore[no-any-return]


async def test_a_batch_answers_an_array_in_order(api: Api) -> None:
    response = await api.client.post(
        "/graphql",
        json=[
            REGIONS,
            {
                "query": 'query($y: Int!) { national(indicator: "onestop.consultations", fiscalYear: $y) '
                "{ total } }",
                "variables": {"y": 2026},
            },
            {"query": "{ nope }"},
        ],
    )
    assert response.status_code == 200, response.text
    first, second, third = response.json()
    assert first == (await api.graphql(REGIONS["query"]))
    assert second["data"]["national"]["total"] > 0
    assert third["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_a_batch_beyond_max_batch_size_is_limit_exceeded(api: Api) -> None:
    response = await api.client.post("/graphql", json=[REGIONS] * 4)  # MAX_BATCH_SIZE=3 here
    assert response.status_code == 400
    error = only_error(response)
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED" and "MAX_BATCH_SIZE" in error["message"]


async def test_an_empty_batch_or_one_of_non_objects_is_a_bad_request(api: Api) -> None:
    for body in ([], [1, 2], "query", 7):
        response = await api.client.post("/graphql", json=body)
        assert response.status_code == 400, body
        assert only_error(response)["extensions"]["code"] == "BAD_REQUEST"


async def test_a_mixed_batch_is_never_served_from_the_cache(api: Api) -> None:
    """A query beside a mutation: were the answer kept, the mutation would not run again."""
    batch = [REGIONS, {"query": 'mutation { deleteReport(id: "999") }'}]
    for _ in range(2):
        response = await api.client.post("/graphql", json=batch)
        assert response.headers.get("x-cache") != "hit"


async def test_a_mutation_by_get_is_405_with_a_json_error(api: Api) -> None:
    response = await api.client.get("/graphql", params={"query": 'mutation { deleteReport(id: "1") }'})
    assert response.status_code == 405 and response.headers["allow"] == "POST"
    error = only_error(response)
    assert error["extensions"]["code"] == "BAD_REQUEST" and "POST" in error["message"]


async def test_a_subscription_over_http_is_a_bad_request_pointing_to_the_websocket(api: Api) -> None:
    for request in (
        api.client.post("/graphql", json={"query": 'subscription { reportStatus(id: "1") { status } }'}),
        api.client.get("/graphql", params={"query": 'subscription S { reportStatus(id: "1") { status } }'}),
    ):
        response = await request
        assert response.status_code == 400
        error = only_error(response)
        assert error["extensions"]["code"] == "BAD_REQUEST" and "WebSocket" in error["message"]
    # A query that merely mentions the word is no subscription.
    answer = await api.client.post(
        "/graphql", json={"query": "query subscription { fiscalYears { fiscalYear } }"}
    )
    assert answer.status_code == 200 and "errors" not in answer.json()


async def test_a_body_that_is_not_json_is_a_bad_request(api: Api) -> None:
    response = await api.client.post(
        "/graphql", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert only_error(response)["extensions"]["code"] == "BAD_REQUEST"
