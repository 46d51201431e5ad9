"""GraphiQL (/graphql) on a 390px phone: the result pane keeps a usable size beside the editors."""

from __future__ import annotations

from typing import Any

from tests.support.browser import Network, Service, screenshot
from tests.support.graphiql import run_until

PHONE = {"width": 390, "height": 844}


async def test_graphiql_keeps_its_result_pane_usable_on_a_phone(
    context: tuple[Any, Network], service: Service
) -> None:
    browser_context, _ = context
    page = await browser_context.new_page()
    await page.set_viewport_size(PHONE)
    await page.goto(f"{service.base}/graphql")
    await run_until(page, "福岡県")
    sizes = await page.evaluate(
        """() => {
          const box = (selector) => {
            const r = document.querySelector(selector).getBoundingClientRect();
            return { x: r.x, y: r.y, width: r.width, height: r.height };
          };
          return {
            page: document.documentElement.scrollWidth,
            response: box('.graphiql-response'),
            editors: box('.graphiql-editors'),
          };
        }"""
    )
    await screenshot(page, "graphiql-phone", full_page=False)
    response, editors = sizes["response"], sizes["editors"]
    assert sizes["page"] <= 390, sizes
    # The result has most of the width and at least a third of the screen's height, on screen…
    assert response["width"] >= 280 and response["height"] >= 844 / 3, sizes
    assert response["x"] >= 0 and response["x"] + response["width"] <= 390, sizes
    assert response["y"] + response["height"] <= 844 + 1, sizes
    # …and the query editor stays usable above it.
    assert editors["width"] >= 280 and editors["height"] >= 150, sizes
    assert editors["y"] + editors["height"] <= response["y"] + 1, sizes
    # The answer is readable: lines of the result, not a sliver.
    assert "福岡県" in await page.locator(".result-window").inner_text()
