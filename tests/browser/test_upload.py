"""An upload through the dashboard's form: the preview, then progress and the status live until SUCCEEDED.

Runs after the other browser tests (file order): it adds May to the service they share.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.browser import TOKEN, Network, Service, expected
from tests.support.reportgen import render_report
from tests.support.uploads import may_figures


async def test_an_upload_through_the_form_ends_succeeded(
    context: tuple[Any, Network], service: Service, tmp_path: Path
) -> None:
    report = tmp_path / "r08-05.txt"
    report.write_bytes(render_report(fiscal_year=2026, months=[4, 5], values=may_figures()).encode("cp932"))
    browser_context, _ = context
    page = await browser_context.new_page()
    sockets: list[str] = []
    page.on("websocket", lambda socket: sockets.append(socket.url))
    await page.goto(f"{service.base}/")
    await page.wait_for_selector(".tile[data-code='13']")
    assert await page.locator("input[name=file]").count() == 0  # the form asks for a token first
    await page.fill("input[name=token]", TOKEN)
    await page.set_input_files("input[name=file]", str(report))
    await page.get_by_role("button", name="確認").click()
    summary = page.locator(".upload-preview .preview-summary")
    await summary.wait_for()
    assert "12表・1,316件" in await summary.inner_text() and "4月・5月" in await summary.inner_text()
    await page.get_by_role("button", name="アップロード").click()
    status = page.locator(".upload-state [data-status]")
    await status.first.wait_for()
    seen = [await status.get_attribute("data-status")]
    await page.wait_for_selector(".upload-state [data-status='SUCCEEDED']", timeout=60_000)
    assert seen[0] in ("QUEUED", "PROCESSING", "SUCCEEDED")
    assert await page.locator(".upload-state progress").get_attribute("value") == "1"
    assert sockets == [f"{service.base.replace('http', 'ws')}/graphql"]
    # Every status the page showed came over the socket, in pipeline order: the page did not
    # fall back to polling (which it records as 'poll').
    received = await page.evaluate("window.__statusChannel")
    assert received and {entry["channel"] for entry in received} == {"socket"}, received
    statuses = [entry["status"] for entry in received]
    order = ["QUEUED", "PROCESSING", "SUCCEEDED"]
    assert statuses[-1] == "SUCCEEDED" and statuses == sorted(set(statuses), key=order.index), statuses
    # The list shows both reports; the map moves to May: Tokyo 570 + 13 (see test_later_reports).
    rows = page.locator(".reports tbody tr")
    await page.wait_for_function("document.querySelectorAll('.reports tbody tr').length === 2")
    # The list is asked again once the report is done; until then it may show it PROCESSING.
    await page.wait_for_selector(".reports tbody tr:first-child [data-status='SUCCEEDED']")
    assert "r08-05.txt" in await rows.first.inner_text()
    may = expected("onestop.consultations", "13") + 13
    await page.wait_for_selector(f".tile[data-code='13'][data-value='{may}']")
    assert await page.locator("select[name=month]").input_value() == "5"
    await page.check("input[name=cumulative] >> nth=1")
    await page.wait_for_selector(f".tile[data-code='13'][data-value='{may + may - 13}']")
