"""The dashboard with PUBLIC_QUERIES=false: the pages load, the token opens the figures, uploads are polled.

A browser WebSocket cannot carry the bearer token, so the server refuses the status subscription
and the page follows the upload by asking for the report instead.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import TOKEN, Service, expected, limited_context, running_service
from tests.support.reportgen import render_report
from tests.support.uploads import may_figures


@pytest.fixture(scope="module")
async def closed_service(
    redis_url: str, queue_name: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Service]:
    workdir = tmp_path_factory.mktemp("closed")
    async with running_service(
        "closed", {"PUBLIC_QUERIES": "false"}, redis_url, queue_name, workdir
    ) as running:
        yield running


async def test_the_token_opens_the_figures_and_uploads_are_polled(
    browser: Any, closed_service: Service, tmp_path: Path
) -> None:
    report = tmp_path / "r08-05.txt"
    report.write_bytes(render_report(fiscal_year=2026, months=[4, 5], values=may_figures()).encode("cp932"))
    async with limited_context(browser, closed_service) as (context, _):
        page = await context.new_page()
        await page.goto(f"{closed_service.base}/")
        await page.wait_for_selector(".error >> text=Bearer")
        assert await page.locator(".tile").count() == 0
        await page.fill("input[name=token]", TOKEN)
        april = expected("onestop.consultations", "13")
        await page.wait_for_selector(f".tile[data-code='13'][data-value='{april}']")
        await page.set_input_files("input[name=file]", str(report))
        await page.get_by_role("button", name="確認").click()  # the preview first, then the upload
        await page.get_by_role("button", name="アップロード").click()
        await page.wait_for_selector(".upload-state [data-status='SUCCEEDED']", timeout=60_000)
        await page.wait_for_selector(f".tile[data-code='13'][data-value='{april + 13}']")
