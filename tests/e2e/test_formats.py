"""The seed in every format, uploaded through the API, stores the same figures as the text layout."""

from __future__ import annotations

from tests.support.formats import to_html, to_long_csv, to_wide_csv, to_xlsx
from tests.support.paths import SEED
from tests.support.reportgen import seed_values
from tests.support.stack import GOLDEN, Stack, all_figures

EXPECTED = {
    (v["indicator"], v["prefecture"], v["month"], v["breakdown"]): v["value"] for v in GOLDEN["values"]
}


async def test_every_format_stores_the_golden_figures(stack: Stack) -> None:
    text = SEED.read_text(encoding="utf-8")
    renderings = {
        # Deliberately misleading names: the format is detected from the content.
        "report-html.txt": to_html(text, fancy=True),
        "report-sjis.html": to_html(text, encoding="cp932"),
        "report-sheets.xlsx": to_xlsx(text, one_sheet_per_table=True),
        "report-one-sheet.bin": to_xlsx(text, one_sheet_per_table=False, numbers_as_text=True),
        "report-wide.csv": to_wide_csv(text),
        "report-wide-cp932.csv": to_wide_csv(text, encoding="cp932"),
        "report-long.csv": to_long_csv(seed_values(), fiscal_year=2026),
    }
    for name, content in renderings.items():
        body = await stack.upload(content, name)
        assert "errors" not in body, (name, body)
        report = await stack.finished(body["data"]["uploadReport"]["id"])
        assert report["status"] == "SUCCEEDED", (name, report["error"])
        assert report["valuesStored"] == 658, name
        assert report["fiscalYear"] == 2026 and report["months"] == [4], name
        figures = await all_figures(stack)
        assert {key: row["value"] for key, row in figures.items()} == EXPECTED, name
