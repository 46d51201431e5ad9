"""Browser tests' helpers: Debian's Chromium, the service they load, and a network fenced to that service.

The browser may reach only the service: every request elsewhere is aborted and recorded, and a
test fails if any was attempted. Without Chromium or a built frontend the tests skip, unless
``REQUIRE_BROWSER=1`` (set by ``.ci/run``) makes them fail.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.http.pages import STATIC
from tests.support.multipart import multipart
from tests.support.paths import ROOT, SEED
from tests.support.processes import serving

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
TOKEN = "browser-secret"
# The flags Debian's Chromium needs as root on a machine with no network but loopback; the
# resolver rule makes every host name but the service's fail before a connection is tried.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
#: Where ``make screenshots`` asks the tests to save what they saw (unset: no screenshots).
SCREENSHOTS = os.environ.get("SCREENSHOTS")
CASE_STUDIES = (
    "prefecture,title,url,summary,industry,published_on\n"
    "東京都,町工場の新製品開発,https://example.jp/tokyo/1,試作から販路開拓まで,製造業,2026-04-10\n"
    "東京都,商店街の飲食店の再建,https://example.jp/tokyo/2,メニューと価格の見直し,飲食業,2026-04-20\n"
)


def _require_browser() -> None:
    missing = [
        reason
        for reason, ok in (
            (f"{CHROMIUM} (apt-get install chromium chromium-driver)", CHROMIUM.exists()),
            ("the built frontend (make install)", (STATIC / "index.html").is_file()),
        )
        if not ok
    ]
    if not missing:
        return
    message = "browser tests need " + " and ".join(missing)
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class Service:
    """The running service: its address and the figures it was loaded with."""

    base: str
    log: Path

    async def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        async with httpx.AsyncClient(base_url=self.base, timeout=30) as client:
            response = await client.post(
                "/graphql",
                json={"query": query, "variables": variables or {}},
                headers={"Authorization": f"Bearer {TOKEN}"},
            )
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body
        return body["data"]  # type: ignore[no-any-return]


async def _load_seed(service: Service) -> None:
    """The sample report and two case studies for Tokyo, through the public mutations."""
    async with httpx.AsyncClient(base_url=service.base, timeout=30) as client:
        upload = "mutation($file: Upload!) { uploadReport(file: $file) { id } }"
        body = await multipart(client, upload, SEED.read_bytes(), "sample_report.txt", token=TOKEN)
        report_id = body["data"]["uploadReport"]["id"]
        imported = "mutation($file: Upload!) { importCaseStudies(file: $file) { created } }"
        body = await multipart(client, imported, CASE_STUDIES.encode(), "tokyo.csv", token=TOKEN)
        assert body["data"]["importCaseStudies"]["created"] == 2, body
    for _ in range(600):
        report = (await service.graphql("query($id: ID!) { report(id: $id) { status } }", {"id": report_id}))[
            "report"
        ]
        if report["status"] in ("SUCCEEDED", "FAILED"):
            assert report["status"] == "SUCCEEDED", service.log.read_text()[-3000:]
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the seed was not processed:\n{service.log.read_text()[-3000:]}")


@asynccontextmanager
async def running_service(
    name: str, env: dict[str, str], redis_url: str, queue_name: str, workdir: Path
) -> AsyncIterator[Service]:
    """uvicorn and one arq worker on SQLite with ``env``, loaded with the seed and Tokyo's case studies."""
    _require_browser()
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / f'{name}.db'}",
        "REDIS_URL": redis_url,
        "QUEUE_NAME": f"{queue_name}:{name}",
        "API_TOKENS": f"browser:{TOKEN}",
        **env,
    }
    log = workdir / f"{name}.log"
    async with serving(env, log) as base:
        service = Service(base=base, log=log)
        await _load_seed(service)
        yield service


@dataclass
class Network:
    """What the browser tried to reach beyond the service (aborted), for the test to assert on."""

    base: str
    blocked: list[str] = field(default_factory=list)

    def allows(self, url: str) -> bool:
        return re.match(rf"(http|ws)://127\.0\.0\.1:{self.base.rsplit(':', 1)[1]}/", url) is not None


@asynccontextmanager
async def limited_context(browser: Any, service: Service) -> AsyncIterator[tuple[Any, Network]]:
    """A fresh browser context whose requests may go only to the service; asserts none went elsewhere."""
    network = Network(base=service.base)
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    context.set_default_timeout(30_000)

    async def route(request_route: Any) -> None:
        if network.allows(request_route.request.url):
            await request_route.continue_()
        else:
            network.blocked.append(request_route.request.url)
            await request_route.abort()

    async def route_socket(socket: Any) -> None:
        if network.allows(socket.url):
            socket.connect_to_server()
        else:
            network.blocked.append(socket.url)
            await socket.close()

    await context.route("**/*", route)
    await context.route_web_socket(re.compile(".*"), route_socket)
    yield context, network
    await context.close()
    assert network.blocked == [], f"the page tried to reach beyond the service: {network.blocked}"


async def screenshot(page: Any, name: str, *, full_page: bool = True) -> None:
    """Save ``docs/screenshots/<name>.png`` when ``make screenshots`` runs the tests."""
    if SCREENSHOTS:
        await page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=full_page)


def expected(indicator: str, prefecture: str, month: int = 4) -> int:
    """The seed's figure, from the golden file the parser tests use."""
    golden = json.loads((ROOT / "tests" / "data" / "seed-expected.json").read_text(encoding="utf-8"))
    for row in golden["values"]:
        if (row["indicator"], row["prefecture"], row["month"], row["breakdown"]) == (
            indicator,
            prefecture,
            month,
            "total",
        ):
            return int(row["value"])
    raise KeyError((indicator, prefecture, month))
