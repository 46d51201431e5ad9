"""The browser pages through the ASGI app: served from the build, open with PUBLIC_QUERIES=false."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from service.http import pages
from tests.support.app import running_app

HTML = {"Accept": "text/html,application/xhtml+xml"}


@pytest.fixture
async def closed_client(tmp_path: Path, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'pages.db'}",
        "REDIS_URL": redis_url,
        "API_TOKENS": "reader:let-me-in",
        "PUBLIC_QUERIES": "false",
    }
    async with running_app(env) as running:
        yield running.client


def assets(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/static/[^"]+)"', html)


async def test_pages_and_assets_load_without_a_token(closed_client: httpx.AsyncClient) -> None:
    assert (pages.STATIC / "index.html").is_file(), "run `make install` to build the frontend"
    for path, entry in (("/", "dashboard"), ("/graphql", "graphiql")):
        page = await closed_client.get(path, headers=HTML)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert page.headers["cache-control"] == "no-cache"
        scripts = assets(page.text)
        assert any(f"/static/assets/{entry}-" in src for src in scripts), scripts
        for src in scripts:
            asset = await closed_client.get(src)
            assert asset.status_code == 200, src
        # Nothing is fetched from elsewhere: every script and style is ours.
        assert not re.search(r'(?:src|href)="(?:https?:)?//', page.text)
    # The data itself still needs the token.
    assert (
        await closed_client.post("/graphql", json={"query": "{ fiscalYears { fiscalYear } }"})
    ).status_code == 401


async def test_without_a_build_the_pages_say_how_to_make_one(
    closed_client: httpx.AsyncClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "STATIC", tmp_path / "not-built")
    for path in ("/", "/graphql"):
        page = await closed_client.get(path, headers=HTML)
        assert page.status_code == 503 and "make install" in page.text
