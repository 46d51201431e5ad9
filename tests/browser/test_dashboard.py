"""The dashboard (/) in Chromium: the seed on the map, the indicator switch, a prefecture's panel."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.support.browser import TOKEN, Network, Service, expected, screenshot
from tests.support.multipart import multipart

PREFECTURES = ("13", "40", "01")  # 東京都, 福岡県, 北海道


async def open_dashboard(
    context: tuple[Any, Network], service: Service, viewport: dict[str, int] | None = None
) -> Any:
    browser_context, _ = context
    page = await browser_context.new_page()
    if viewport:
        await page.set_viewport_size(viewport)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(f"{service.base}/")
    await page.wait_for_selector(".tile[data-code='47']")
    assert errors == []
    return page


async def tile(page: Any, code: str) -> tuple[int, str]:
    """The value a tile is drawn with, and the text it shows."""
    element = page.locator(f".tile[data-code='{code}']")
    return int(await element.get_attribute("data-value")), await element.locator(".tile-value").inner_text()


async def test_the_map_shows_the_seed(context: tuple[Any, Network], service: Service) -> None:
    page = await open_dashboard(context, service)
    assert await page.locator(".tile").count() == 47
    for code in PREFECTURES:
        value = expected("onestop.consultations", code)
        assert await tile(page, code) == (value, f"{value:,}")
    # Hover shows the name and the value; the ranking lists the same figures, largest first.
    fukuoka = expected("onestop.consultations", "40")
    assert f"福岡県 Fukuoka: {fukuoka:,}" in (
        await page.locator(".tile[data-code='40']").get_attribute("title")
    )
    first = page.locator(".ranking li").first
    assert await first.get_attribute("data-code") == "40" and f"{fukuoka:,}" in await first.inner_text()
    assert await page.locator(".legend li").count() == 5
    await page.wait_for_timeout(300)  # the chart has drawn
    await screenshot(page, "dashboard")


async def test_switching_the_indicator_changes_the_map(
    context: tuple[Any, Network], service: Service
) -> None:
    page = await open_dashboard(context, service)
    await page.select_option("select[name=indicator]", "onestop.businesses")
    for code in PREFECTURES:
        value = expected("onestop.businesses", code)
        await page.wait_for_selector(f".tile[data-code='{code}'][data-value='{value}']")
        assert await tile(page, code) == (value, f"{value:,}")
    assert expected("onestop.businesses", "13") != expected("onestop.consultations", "13")
    # The regional chart switches between the 8 areas and the METI bureaus.
    await page.get_by_role("button", name="経済産業局").click()
    assert await page.get_by_role("button", name="経済産業局").get_attribute("aria-pressed") == "true"


async def test_a_prefecture_panel_links_the_center_and_its_case_studies(
    context: tuple[Any, Network], service: Service
) -> None:
    center = (await service.graphql('{ prefecture(code: "13") { center { name url } } }'))["prefecture"][
        "center"
    ]
    assert center["url"]
    page = await open_dashboard(context, service)
    await page.click(".tile[data-code='13']")
    panel = page.locator(".prefecture-panel")
    await panel.locator("h2").wait_for()
    assert "東京都" in await panel.locator("h2").inner_text()
    link = panel.locator("a.center-link")
    assert await link.inner_text() == center["name"] and await link.get_attribute("href") == center["url"]
    consultations = panel.locator("tr[data-indicator='onestop.consultations']")
    assert f"{expected('onestop.consultations', '13'):,}" in await consultations.inner_text()
    assert await panel.locator("tr[data-indicator]").count() == 12
    studies = panel.locator(".case-studies a")
    assert await studies.all_inner_texts() == ["商店街の飲食店の再建", "町工場の新製品開発"]
    assert await studies.first.get_attribute("href") == "https://example.jp/tokyo/2"
    await screenshot(page, "prefecture-panel", full_page=False)


PHONE = {"width": 390, "height": 844}


def means(shown: str, value: int) -> bool:
    """Whether a phone's tile text stands for ``value``: exact below 1,000, else two significant
    digits with K or M (at most 5% off)."""
    if value < 1000:
        return shown == str(value)
    scale = {"K": 1_000, "M": 1_000_000}.get(shown[-1:])
    return scale is not None and abs(float(shown[:-1]) * scale - value) <= 0.05 * value


async def test_the_dashboard_fits_a_phone(context: tuple[Any, Network], service: Service) -> None:
    page = await open_dashboard(context, service, viewport=PHONE)
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
    await screenshot(page, "dashboard-phone")


async def test_the_map_numbers_stay_readable_on_a_phone(
    context: tuple[Any, Network], service: Service
) -> None:
    page = await open_dashboard(context, service, viewport=PHONE)
    # Every tile's shown number: its computed font size, whether it fits the tile, what it says.
    shown = await page.evaluate(
        """[...document.querySelectorAll('.tile')].map((tile) => {
          const visible = [...tile.children].filter((span) => getComputedStyle(span).display !== 'none');
          return {
            code: tile.dataset.code,
            value: Number(tile.dataset.value),
            texts: visible.map((span) => span.innerText),
            fonts: visible.map((span) => parseFloat(getComputedStyle(span).fontSize)),
            fits: visible.every((span) => span.getBoundingClientRect().width <= tile.clientWidth),
          };
        })"""
    )
    assert len(shown) == 47
    for tile_shown in shown:
        assert len(tile_shown["texts"]) == 1 and means(tile_shown["texts"][0], tile_shown["value"]), (
            tile_shown
        )
        assert min(tile_shown["fonts"]) >= 11, tile_shown
        assert tile_shown["fits"], tile_shown
    tokyo = next(t for t in shown if t["code"] == "13")
    assert tokyo["value"] == expected("onestop.consultations", "13")
    # On a wide screen the same tiles show the name and the full number, as large or larger.
    await page.set_viewport_size({"width": 1280, "height": 900})
    assert await tile(page, "13") == (tokyo["value"], f"{tokyo['value']:,}")
    font = await page.locator(".tile[data-code='13'] .tile-value").evaluate(
        "(span) => parseFloat(getComputedStyle(span).fontSize)"
    )
    assert font >= 11


async def test_the_reports_table_scrolls_sideways_on_a_phone(
    context: tuple[Any, Network], service: Service
) -> None:
    upload = "mutation($file: Upload!) { uploadReport(file: $file) { id number } }"
    async with httpx.AsyncClient(base_url=service.base, timeout=30) as client:
        body = await multipart(client, upload, b"no tables in here (phone test)", "phone.txt", token=TOKEN)
    report = body["data"]["uploadReport"]
    for _ in range(600):
        status = await service.graphql("query($id: ID!) { report(id: $id) { status } }", {"id": report["id"]})
        if status["report"]["status"] == "FAILED":
            break
        await asyncio.sleep(0.1)
    try:
        await reports_on_a_phone(context, service, report["number"])
    finally:  # test_upload counts the reports: leave the service as it was
        await service.graphql("mutation($id: ID!) { deleteReport(id: $id) }", {"id": report["id"]})


async def reports_on_a_phone(context: tuple[Any, Network], service: Service, number: int) -> None:
    page = await open_dashboard(context, service, viewport=PHONE)
    row = page.locator(f"tr[data-report='{number}']")
    error = row.locator("td").last.locator(".error")
    await error.wait_for()
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    scroll = page.locator(".reports .scroll")
    widths = await scroll.evaluate("(box) => ({ scroll: box.scrollWidth, client: box.clientWidth })")
    assert widths["scroll"] > widths["client"], "the table should scroll sideways, not squeeze"
    # Scrolled to the right, the error column is on screen, a readable width, its text whole.
    await scroll.evaluate("(box) => { box.scrollLeft = box.scrollWidth; }")
    cell = await row.locator("td").last.bounding_box()
    assert cell is not None and cell["width"] >= 150 and cell["x"] >= 0 and cell["x"] + cell["width"] <= 390
    assert "phone.txt" in await row.inner_text()
    assert await error.evaluate("(p) => p.scrollWidth <= p.clientWidth && p.innerText.length > 20")
    await screenshot(page, "reports-phone", full_page=False)
