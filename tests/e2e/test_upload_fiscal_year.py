"""uploadReport's fiscalYear (a file naming no year), the same bytes given another year, and the
Japanese messages (errorJa, warningsJa) stored with a report."""

from __future__ import annotations

from typing import Any

from tests.support.multipart import multipart
from tests.support.paths import SEED
from tests.support.stack import TOKEN, Stack
from tests.support.uploads import one_table_csv
from workers.parsing import ParseError, parse_report

UPLOAD = """mutation($file: Upload!, $fy: Int) { uploadReport(file: $file, fiscalYear: $fy) { id status } }"""
REPORT = """query($id: ID!) { report(id: $id) {
  number status fiscalYear givenFiscalYear valuesStored error errorJa warnings warningsJa } }"""


async def upload(stack: Stack, content: bytes, name: str, fiscal_year: int | None) -> dict[str, Any]:
    """uploadReport(file, fiscalYear) as a GraphQL multipart request."""
    return await multipart(stack.client, UPLOAD, content, name, token=TOKEN, variables={"fy": fiscal_year})


async def finished(stack: Stack, report_id: str) -> dict[str, Any]:
    await stack.finished(report_id)
    report: dict[str, Any] = (await stack.graphql(REPORT, {"id": report_id}))["data"]["report"]
    return report


async def test_a_one_table_csv_is_stored_under_the_fiscal_year_given(stack: Stack) -> None:
    content = one_table_csv("onestop.consultations")
    body = await upload(stack, content, "consultations.csv", 2026)
    assert "errors" not in body, body
    report_id = body["data"]["uploadReport"]["id"]
    report = await finished(stack, report_id)
    assert report["status"] == "SUCCEEDED", report["error"]
    assert (report["fiscalYear"], report["givenFiscalYear"], report["valuesStored"]) == (2026, 2026, 47)

    # The same bytes: the same year returns the report; another year (or none) is refused by name.
    again = await upload(stack, content, "again.csv", 2026)
    assert again["data"]["uploadReport"]["id"] == report_id
    for other in (2025, None):
        refused = await upload(stack, content, "again.csv", other)
        assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        # Named by its number, as the CLI and the dashboard show it (report(id:) accepts it too).
        assert f"report {report['number']} " in refused["errors"][0]["message"]
        assert "deleteReport" in refused["errors"][0]["message"]


async def test_without_a_fiscal_year_it_fails_in_english_and_japanese(stack: Stack) -> None:
    content = one_table_csv("onestop.businesses")
    with_error: ParseError | None = None
    try:
        parse_report(content, filename="businesses.csv")
    except ParseError as error:
        with_error = error
    assert with_error is not None
    body = await upload(stack, content, "businesses.csv", None)
    report = await finished(stack, body["data"]["uploadReport"]["id"])
    assert report["status"] == "FAILED"
    assert report["error"] == str(with_error) and "年度" in report["error"]
    assert report["errorJa"] == with_error.message_ja


async def test_a_file_naming_another_year_than_given_fails(stack: Stack) -> None:
    body = await upload(stack, SEED.read_bytes().replace(b"\n", b"\r\n"), "crlf.txt", 2025)
    report = await finished(stack, body["data"]["uploadReport"]["id"])
    assert report["status"] == "FAILED"
    assert "2026" in report["error"] and "2025" in report["error"]


async def test_warnings_are_stored_with_their_japanese_text(stack: Stack) -> None:
    content = SEED.read_text(encoding="utf-8").replace("合計\t18,437\t18,437", "合計\t18,438\t18,438", 1)
    parsed = parse_report(content.encode(), filename="warned.txt")
    assert parsed.warnings
    body = await upload(stack, content.encode(), "warned.txt", None)
    report = await finished(stack, body["data"]["uploadReport"]["id"])
    assert report["status"] == "SUCCEEDED"
    assert report["warnings"] == list(parsed.warnings)
    assert report["warningsJa"] == list(parsed.warnings_ja)


async def test_an_implausible_fiscal_year_is_refused(stack: Stack) -> None:
    body = await upload(stack, b"anything", "x.txt", 26)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "fiscalYear" in body["errors"][0]["message"]
