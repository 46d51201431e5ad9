"""Closed mode (``PUBLIC_QUERIES=false``) cannot be opened by headers: only the GraphiQL page is public,
and serving it runs nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.support.app import running_app

TOKEN = "closed-door"
QUERY = {"query": "{ reports { totalCount edges { node { filename uploadedBy } } } }"}


@pytest.fixture(scope="module")
async def closed(
    tmp_path_factory: pytest.TempPathFactory, redis_url: str
) -> AsyncIterator[httpx.AsyncClient]:
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('closed') / 'closed.db'}",
        "REDIS_URL": redis_url,
        "API_TOKENS": f"reader:{TOKEN}",
        "PUBLIC_QUERIES": "false",
    }
    async with running_app(env) as running:
        yield running.client


def refused(response: httpx.Response) -> bool:
    """401 with UNAUTHENTICATED and no data."""
    if response.status_code != 401:
        return False
    body = response.json()
    return body["data"] is None and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    "accept",
    [
        "application/json, text/html;q=0.1",
        "text/html",
        "text/html, application/graphql-response+json",
        "*/*",
    ],
)
async def test_a_query_without_a_token_is_refused_whatever_it_accepts(
    closed: httpx.AsyncClient, accept: str
) -> None:
    response = await closed.post("/graphql", json=QUERY, headers={"Accept": accept})
    assert refused(response), response.text


async def test_an_export_without_a_token_is_refused_whatever_it_accepts(closed: httpx.AsyncClient) -> None:
    for accept in ("text/html", "text/html, text/csv", "*/*"):
        for path in ("/export/observations.csv", "/export/observations.json"):
            response = await closed.get(path, params={"fiscal_year": 2026}, headers={"Accept": accept})
            assert refused(response), (path, accept, response.text)


async def test_a_get_query_asking_for_html_runs_nothing(closed: httpx.AsyncClient) -> None:
    response = await closed.get("/graphql", params=QUERY, headers={"Accept": "text/html"})
    assert refused(response), response.text
    head = await closed.head("/graphql", params=QUERY, headers={"Accept": "text/html"})
    assert head.status_code == 401


async def test_the_graphiql_page_stays_public(closed: httpx.AsyncClient) -> None:
    page = await closed.get("/graphql", headers={"Accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert b"graphiql" in page.content.lower()


async def test_a_token_still_opens_everything(closed: httpx.AsyncClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json, text/html;q=0.1"}
    answer = await closed.post("/graphql", json=QUERY, headers=auth)
    assert answer.status_code == 200 and answer.json()["data"]["reports"]["totalCount"] == 0
    export = await closed.get("/export/observations.csv", params={"fiscal_year": 2026}, headers=auth)
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")


async def test_malformed_or_doubled_authorization_opens_nothing(closed: httpx.AsyncClient) -> None:
    for authorization in ("Bearer", "Bearer ", f"Basic {TOKEN}", "Bearer wrong " + TOKEN, "x" * 20_000):
        response = await closed.post("/graphql", json=QUERY, headers={"Authorization": authorization})
        assert refused(response), authorization[:40]
    doubled = [("Authorization", "Bearer wrong"), ("Authorization", f"Bearer {TOKEN}")]
    response = await closed.post("/graphql", json=QUERY, headers=httpx.Headers(doubled))
    assert refused(response), response.text
