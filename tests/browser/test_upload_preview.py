"""The upload form's preview (確認): what a file would store before it is stored, and a bad file's
error in Japanese. Runs last (file order): it adds a report to the service the others share."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.support.browser import TOKEN, Network, Service, screenshot
from tests.support.paths import SEED
from workers.parsing import ParseError, parse_report


async def _form(context: tuple[Any, Network], service: Service, path: Path) -> Any:
    browser_context, _ = context
    page = await browser_context.new_page()
    await page.goto(f"{service.base}/")
    await page.fill("input[name=token]", TOKEN)
    await page.set_input_files("input[name=file]", str(path))
    await page.get_by_role("button", name="確認").click()
    await page.locator(".upload-preview").wait_for()
    return page


async def _report_count(service: Service) -> int:
    return int((await service.graphql("{ reports { totalCount } }"))["reports"]["totalCount"])


async def test_the_seed_is_previewed_then_stored_once_confirmed(
    context: tuple[Any, Network], service: Service, tmp_path: Path
) -> None:
    # The seed's figures in Shift_JIS: other bytes than the stored seed, so a new report.
    seed = tmp_path / "r08-04-sjis.txt"
    seed.write_bytes(SEED.read_text(encoding="utf-8").encode("cp932"))
    before = await _report_count(service)
    page = await _form(context, service, seed)
    preview = page.locator(".upload-preview")
    assert await preview.get_attribute("data-outcome") == "ok"
    summary = await preview.locator(".preview-summary").inner_text()
    assert "令和8年度よろず支援拠点相談等実績" in summary and "FY2026 4月" in summary
    assert "12表・658件" in summary
    assert await preview.locator(".preview-tables li").count() == 12
    await preview.locator("summary").click()  # the tables recognised, folded away until asked for
    assert await preview.locator("[data-indicator='onestop.consultations']").inner_text() == (
        "2.相談実績件数 → onestop.consultations 47件"
    )
    await screenshot(page, "upload-preview")
    assert await _report_count(service) == before  # previewed, not stored

    await page.get_by_role("button", name="アップロード").click()
    await page.wait_for_selector(".upload-state [data-status='SUCCEEDED']", timeout=60_000)
    assert await page.locator(".upload-preview").count() == 0
    assert await _report_count(service) == before + 1
    await page.wait_for_selector(".reports tbody tr:first-child >> text=r08-04-sjis.txt")


async def test_a_bad_file_previews_as_its_japanese_error(
    context: tuple[Any, Network], service: Service, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(
        re.sub(r"(東京都</a>\t)[\d,]+", r"\1x", SEED.read_text(encoding="utf-8"), count=1).encode()
    )
    try:
        parse_report(bad.read_bytes(), filename=bad.name)
        raise AssertionError("the bad file parsed")
    except ParseError as error:
        expected = error
    before = await _report_count(service)
    page = await _form(context, service, bad)
    preview = page.locator(".upload-preview")
    assert await preview.get_attribute("data-outcome") == "error"
    shown = preview.locator(".preview-error")
    assert await shown.inner_text() == expected.message_ja
    assert await shown.get_attribute("title") == str(expected)
    await screenshot(page, "upload-preview-error")
    assert await page.get_by_role("button", name="アップロード").is_disabled()
    assert await _report_count(service) == before
