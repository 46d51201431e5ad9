"""Closed queries (PUBLIC_QUERIES=false), request ids, CORS and the cost limit, through the ASGI app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.support.app import running_app


@pytest.fixture
async def closed_client(tmp_path: Path, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'closed.db'}",
        "REDIS_URL": redis_url,
        "API_TOKENS": "reader:let-me-in",
        "PUBLIC_QUERIES": "false",
        "CORS_ORIGINS": "https://dashboard.example, https://other.example",
        "MAX_QUERY_COST": "1000",
    }
    async with running_app(env) as running:
        yield running.client


async def test_closed_queries_need_a_token(closed_client: httpx.AsyncClient) -> None:
    query = {"query": "{ indicators { code } }"}
    refused = await closed_client.post("/graphql", json=query)
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (
        await closed_client.get("/export/observations.csv", params={"fiscal_year": 2026})
    ).status_code == 401
    allowed = await closed_client.post("/graphql", json=query, headers={"Authorization": "Bearer let-me-in"})
    assert allowed.status_code == 200 and len(allowed.json()["data"]["indicators"]) == 12
    playground = await closed_client.get("/graphql", headers={"Accept": "text/html"})
    assert playground.status_code == 200
    assert (await closed_client.get("/healthz")).status_code == 200


async def test_every_response_carries_a_request_id(closed_client: httpx.AsyncClient) -> None:
    response = await closed_client.get("/healthz", headers={"X-Request-Id": "abc123"})
    assert response.headers["x-request-id"] == "abc123"
    assert len((await closed_client.get("/healthz")).headers["x-request-id"]) == 16


async def test_cors_allows_only_the_configured_origins(closed_client: httpx.AsyncClient) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
    allowed = await closed_client.options(
        "/graphql", headers={"Origin": "https://dashboard.example", **preflight}
    )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://dashboard.example"
    refused = await closed_client.options("/graphql", headers={"Origin": "https://evil.example", **preflight})
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers


async def test_the_cost_limit_is_a_setting(closed_client: httpx.AsyncClient) -> None:
    token = {"Authorization": "Bearer let-me-in"}
    cheap = {"query": "{ prefectures { code name } }"}  # 1 + 47 × 2
    assert "errors" not in (await closed_client.post("/graphql", json=cheap, headers=token)).json()
    dear = {"query": "{ regions { prefectures { code name } } }"}  # 1 + 17 × (1 + 47 × 2)
    body = (await closed_client.post("/graphql", json=dear, headers=token)).json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "MAX_QUERY_COST" in body["errors"][0]["message"] and "1,000" in body["errors"][0]["message"]
