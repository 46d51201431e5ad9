"""GraphiQL (/graphql from a browser) in Chromium: served offline, an example query runs."""

from __future__ import annotations

from typing import Any

from tests.support.browser import Network, Service, screenshot
from tests.support.graphiql import run_until


async def test_graphiql_runs_a_query_with_nothing_from_outside(
    context: tuple[Any, Network], service: Service
) -> None:
    browser_context, _ = context
    page = await browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(f"{service.base}/graphql")
    # The default tab holds the welcome query; the examples of docs/queries/ are tabs too.
    tabs = page.locator(".graphiql-tab")
    await tabs.first.wait_for()
    assert await tabs.all_inner_texts() == [
        "Welcome",
        "Dashboard",
        "PrefectureMap",
        "PrefecturePage",
        "Ranking",
        "RegionalChart",
    ]
    await run_until(page, "福岡県")
    result = page.locator(".result-window")
    assert '"fiscalYears"' in await result.inner_text()
    await screenshot(page, "graphiql", full_page=False)
    # An example from the side panel replaces the editor's query, and runs.
    await page.get_by_role("button", name="Show 例 Examples").click()
    await page.locator("[data-example='ranking']").click()
    await run_until(page, '"ranking"')
    assert "fiscalYears" not in await result.inner_text()
    assert errors == []


async def test_graphiql_receives_a_pushed_status(context: tuple[Any, Network], service: Service) -> None:
    """GraphiQL's own subscription support (graphql-ws) over the service's socket."""
    reports = await service.graphql("{ reports { edges { node { id status } } } }")
    seed = reports["reports"]["edges"][-1]["node"]
    assert seed["status"] == "SUCCEEDED"
    browser_context, _ = context
    page = await browser_context.new_page()
    frames: list[str] = []
    page.on("websocket", lambda socket: socket.on("framereceived", lambda frame: frames.append(str(frame))))
    # GraphiQL keeps its tabs in localStorage, shared with the test before: a tab whose last run was
    # the Welcome query sends operationName "Welcome" with the typed text if clicked at once.
    await page.add_init_script("window.localStorage.clear()")
    await page.goto(f"{service.base}/graphql")
    await page.wait_for_function(
        "document.querySelector('.graphiql-query-editor')?.innerText.includes('query')"
    )
    await page.locator(".graphiql-query-editor .monaco-editor").first.click()
    await page.keyboard.press("ControlOrMeta+a")
    await page.keyboard.press("Delete")
    await page.keyboard.insert_text(
        f'subscription PushedStatus {{ reportStatus(id: "{seed["id"]}") {{ id status valuesStored }} }}'
    )
    # GraphiQL re-reads the operation name after a pause; run before that and it sends the tab's
    # old one (Welcome). The tab takes the new name once it has.
    await page.wait_for_function(
        "[...document.querySelectorAll('.graphiql-tab')].some(t => t.innerText.includes('PushedStatus'))"
    )
    await page.locator(".graphiql-execute-button").click()
    await page.wait_for_function(
        "document.querySelector('.result-window')?.innerText.includes('SUCCEEDED')", timeout=30_000
    )
    assert any('"next"' in frame and "SUCCEEDED" in frame for frame in frames), frames
