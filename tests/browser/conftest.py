"""Browser tests: headless Chromium (Debian's, driven by Playwright) against a real uvicorn and arq worker;
the helpers (the fenced network, the seeded service) are in ``tests.support.browser``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, Network, Service, limited_context, running_service


@pytest.fixture(scope="package")
async def service(
    redis_url: str, queue_name: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Service]:
    """The service as ``make run`` starts it: queries open to all, uploads with the token."""
    workdir = tmp_path_factory.mktemp("browser")
    async with running_service("open", {}, redis_url, queue_name, workdir) as running:
        yield running


@pytest.fixture(scope="package")
async def browser(service: Service) -> AsyncIterator[Any]:
    """Debian's Chromium, headless (Playwright's own browser download is never used)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


@pytest.fixture
async def context(browser: Any, service: Service) -> AsyncIterator[tuple[Any, Network]]:
    """A limited browser context on the open service."""
    async with limited_context(browser, service) as limited:
        yield limited
