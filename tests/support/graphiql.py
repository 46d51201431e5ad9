"""Driving GraphiQL in the browser tests."""

from __future__ import annotations

from typing import Any

from playwright.async_api import TimeoutError as PlaywrightTimeout


async def run_until(page: Any, text: str) -> None:
    """Press ▶ once the editor holds a query, until the result shows ``text``.

    Monaco loads after the page, so a click right at the start may find no editor yet.
    """
    await page.wait_for_function(
        "document.querySelector('.graphiql-query-editor')?.innerText.includes('query')"
    )
    for _ in range(3):
        await page.locator(".graphiql-execute-button").click()
        try:
            await page.wait_for_function(
                f"document.querySelector('.result-window')?.innerText.includes({text!r})", timeout=10_000
            )
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(
        f"GraphiQL showed no result with {text}: {await page.locator('.result-window').inner_text()}"
    )
