"""previewReport through HTTP with a real worker: what would be stored, and nothing stored."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import redis.asyncio as aioredis
from arq.constants import health_check_key_suffix
from sqlalchemy import func, select
from sqlmodel import SQLModel

from service.cli import run
from service.db.models import DataVersion
from tests.support.app import running_app
from tests.support.databases import new_database
from tests.support.multipart import multipart
from tests.support.paths import SEED
from tests.support.reportgen import expected, render_report
from tests.support.stack import TOKEN, UPLOAD_LIMIT, Stack, upload_seed
from tests.support.uploads import may_figures, one_table_csv
from workers.parsing import ParseError, parse_report

CHANGE_FIELDS = "indicator { code } prefecture { code } fiscalYear month breakdown oldValue newValue"
PREVIEW = f"""mutation($file: Upload!, $fy: Int) {{ previewReport(file: $file, fiscalYear: $fy) {{
  filename error errorJa title fiscalYear months valueCount warnings warningsJa
  tables {{ indicatorCode catalogued section number title name months line valueCount }}
  changes {{ {CHANGE_FIELDS} }}
  existingReport {{ id status }}
}} }}"""
TOKYO = ("onestop.consultations", "13", 4, "total")
OSAKA = ("onestop.businesses", "27", 4, "total")


async def preview(
    stack: Stack, content: bytes, filename: str, *, token: str | None = TOKEN
) -> dict[str, Any]:
    body = await multipart(stack.client, PREVIEW, content, filename, token=token)
    return body


async def previewed(stack: Stack, content: bytes, filename: str) -> dict[str, Any]:
    body = await preview(stack, content, filename)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["previewReport"]
    return result


async def row_counts(stack: Stack) -> dict[str, int]:
    """Rows of every table, and the data version: what storing anything would change."""
    counts: dict[str, int] = {}
    async with stack.engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            counts[table.name] = (
                await connection.execute(select(func.count()).select_from(table))
            ).scalar_one()
        version = (await connection.execute(select(DataVersion.version))).scalar()  # type: ignore[call-overload]
    counts["data_version.version"] = int(version or 0)
    return counts


def bad_seed() -> tuple[bytes, ParseError]:
    """The seed with 「x」 for Tokyo's April consultations, and the error parsing it locally gives."""
    text = SEED.read_text(encoding="utf-8")
    head, sep, tail = text.partition("## 2.相談実績件数")
    tail = re.sub(r'(<a href="#">東京都</a>\t)[\d,]+', r"\1x", tail, count=1)
    content = (head + sep + tail).encode()
    try:
        parse_report(content, filename="bad.txt")
    except ParseError as error:
        return content, error
    raise AssertionError("the bad seed parsed")


async def test_seed_preview_on_an_empty_database_lists_what_would_be_stored_and_stores_nothing(
    stack: Stack,
) -> None:
    # Once a preview is answered the worker has started (its start-up migration bumps the version).
    await previewed(stack, b"no report", "warm-up.txt")
    before = await row_counts(stack)
    assert before["report"] == 0 and before["observation"] == 0
    result = await previewed(stack, SEED.read_bytes(), "000_5b8a8bf95d37f4c6.txt")
    assert await row_counts(stack) == before

    assert result["error"] is None and result["errorJa"] is None
    assert result["fiscalYear"] == 2026 and result["months"] == [4]
    assert result["title"] == "令和8年度よろず支援拠点相談等実績"
    assert result["filename"] == "000_5b8a8bf95d37f4c6.txt"
    assert result["valueCount"] == 658
    assert len(result["tables"]) == 12
    assert sum(table["valueCount"] for table in result["tables"]) == 658
    golden_codes = {row["indicator"] for row in expected()["values"]}  # type: ignore[attr-defined]
    assert {table["indicatorCode"] for table in result["tables"]} == golden_codes
    assert all(table["catalogued"] and table["months"] == [4] for table in result["tables"])
    assert result["tables"][1]["title"] == "2.相談実績件数"
    assert result["changes"] == [] and result["existingReport"] is None
    assert len(result["warningsJa"]) in (0, len(result["warnings"]))


async def test_preview_of_a_corrected_may_lists_exactly_the_changed_figures(stack: Stack) -> None:
    april = await upload_seed(stack)
    corrected = may_figures()
    corrected[TOKYO] = 575  # was 570
    corrected[OSAKA] = 530  # was 528
    may = render_report(fiscal_year=2026, months=[4, 5], values=corrected).encode()
    before = await row_counts(stack)
    result = await previewed(stack, may, "may.txt")
    assert await row_counts(stack) == before

    assert result["error"] is None and result["months"] == [4, 5]
    assert result["existingReport"] is None
    want = [
        {
            "indicator": {"code": code},
            "prefecture": {"code": pref},
            "fiscalYear": 2026,
            "month": month,
            "breakdown": breakdown,
            "oldValue": old,
            "newValue": new,
        }
        for (code, pref, month, breakdown), old, new in ((OSAKA, 528, 530), (TOKYO, 570, 575))
    ]
    assert result["changes"] == want

    # Stored for real, the report lists the same changes the preview did.
    body = await stack.upload(may, "may.txt")
    stored = await stack.finished(body["data"]["uploadReport"]["id"])
    assert stored["status"] == "SUCCEEDED", stored["error"]
    changes = await stack.graphql(
        f"query($id: ID!) {{ report(id: $id) {{ changes {{ {CHANGE_FIELDS} }} }} }}", {"id": stored["id"]}
    )
    assert sorted(changes["data"]["report"]["changes"], key=str) == sorted(want, key=str)
    # The seed again: already stored, so the preview names the report and changes nothing.
    again = await previewed(stack, SEED.read_bytes(), "seed.txt")
    assert again["existingReport"] == {"id": april["id"], "status": "SUCCEEDED"}
    assert again["changes"] == []


async def test_a_bad_file_previews_as_its_error_in_english_and_japanese(stack: Stack) -> None:
    content, error = bad_seed()
    before = await row_counts(stack)
    result = await previewed(stack, content, "bad.txt")
    assert await row_counts(stack) == before
    assert result["error"] == str(error)
    assert "相談実績件数" in result["error"] and "'x'" in result["error"]
    assert result["errorJa"] == error.message_ja
    assert result["tables"] == [] and result["valueCount"] == 0 and result["fiscalYear"] is None


async def test_preview_needs_a_token_and_keeps_the_upload_limit(stack: Stack) -> None:
    body = await preview(stack, SEED.read_bytes(), "seed.txt", token=None)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    body = await preview(stack, b"x" * (UPLOAD_LIMIT + 1), "big.txt")
    assert body["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"


async def test_without_a_worker_the_preview_answers_service_unavailable_or_timeout(
    redis_url: str, queue_name: str, tmp_path: Path
) -> None:
    database_url, _ = await new_database("sqlite", tmp_path)
    queue = f"{queue_name}:no-worker"
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "QUEUE_NAME": queue,
        "API_TOKENS": f"tester:{TOKEN}",
        "PREVIEW_TIMEOUT_SECONDS": "0.5",
        "SAMPLE_DATA": "false",
    }
    async with running_app(env) as running:
        body = await multipart(running.client, PREVIEW, SEED.read_bytes(), "seed.txt", token=TOKEN)
        assert body["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        assert "no worker is running" in body["errors"][0]["message"]
        # A worker's health check present, but nothing answering: the wait ends in TIMEOUT.
        client = aioredis.from_url(redis_url)
        try:
            await client.set(queue + health_check_key_suffix, b"test", px=60_000)
            body = await multipart(running.client, PREVIEW, SEED.read_bytes(), "seed.txt", token=TOKEN)
            await client.delete(queue + health_check_key_suffix)
        finally:
            await client.aclose()
        assert body["errors"][0]["extensions"]["code"] == "TIMEOUT"
        assert "PREVIEW_TIMEOUT_SECONDS" in body["errors"][0]["message"]


async def test_cli_upload_preview_prints_what_would_be_stored_and_stores_nothing(
    stack: Stack, tmp_path: Path
) -> None:
    await upload_seed(stack)
    corrected = may_figures()
    corrected[("onestop.businesses", "13", 4, "total")] = 441  # was 440
    may = tmp_path / "may-corrected.txt"
    may.write_text(render_report(fiscal_year=2026, months=[4, 5], values=corrected), encoding="utf-8")
    csv = tmp_path / "consultations.csv"
    csv.write_bytes(one_table_csv("onestop.consultations"))
    before = await row_counts(stack)

    out = io.StringIO()
    code = await run(["--token", TOKEN, "upload", str(may), "--preview"], transport=stack.transport, out=out)
    assert code == 0, out.getvalue()
    printed = out.getvalue()
    assert f"{may}: would store FY2026 (令和8年度よろず支援拠点相談等実績) months 4,5" in printed
    assert "table 2.相談実績件数 → onestop.consultations: 94 values, months 4,5" in printed
    assert "onestop.businesses 東京都 FY2026 4月 total: 440 → 441" in printed
    assert printed.rstrip().endswith("nothing was stored")

    out = io.StringIO()
    code = await run(["--token", TOKEN, "upload", str(csv), "--preview"], transport=stack.transport, out=out)
    assert code == 1 and "would FAIL" in out.getvalue() and "年度" in out.getvalue()
    out = io.StringIO()
    args = ["--token", TOKEN, "upload", str(csv), "--preview", "--fiscal-year", "2026"]
    assert await run(args, transport=stack.transport, out=out) == 0, out.getvalue()
    assert "would store FY2026" in out.getvalue() and "47 values in 1 tables" in out.getvalue()
    assert await row_counts(stack) == before
