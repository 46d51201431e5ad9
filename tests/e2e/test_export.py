"""Spreadsheet export: CSV with a BOM (or CP932), JSON, the same filters as observations."""

from __future__ import annotations

import csv
import io

from tests.support.stack import Stack, upload_seed


async def test_csv_opens_in_excel_with_japanese_text(stack: Stack) -> None:
    await upload_seed(stack)
    response = await stack.client.get(
        "/export/observations.csv", params={"indicator": "onestop.consultations", "fiscal_year": "2026"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 47
    tokyo = next(r for r in rows if r["prefecture_code"] == "13")
    assert tokyo["prefecture"] == "東京都" and tokyo["indicator_name"] == "相談実績件数"
    assert (tokyo["value"], tokyo["cumulative"], tokyo["reported_cumulative"]) == ("570", "570", "570")
    assert (tokyo["area"], tokyo["bureau"], tokyo["year_month"]) == ("kanto", "meti_kanto", "2026-04")


async def test_cp932_json_and_filters(stack: Stack) -> None:
    await upload_seed(stack)
    legacy = await stack.client.get(
        "/export/observations.csv",
        params={
            "indicator": "onestop.consultations",
            "fiscal_year": "2026",
            "region": "kinki",
            "encoding": "cp932",
        },
    )
    text = legacy.content.decode("cp932")
    assert not text.startswith("\ufeff") and "大阪府" in text
    assert len(list(csv.DictReader(io.StringIO(text)))) == 7
    as_json = await stack.client.get(
        "/export/observations.json",
        params={
            "indicator": "onestop.skill_sharing.trainees",
            "from": "2026-04",
            "to": "2026-04",
            "prefecture": "山口",
        },
    )
    assert sorted((r["breakdown"], r["value"]) for r in as_json.json()) == [
        ("seconded", 0),
        ("total", 1),
        ("trainee", 1),
    ]
    every = await stack.client.get("/export/observations.json", params={"fiscal_year": "2026"})
    assert len(every.json()) == 658
    bad = await stack.client.get(
        "/export/observations.csv", params={"indicator": "nope", "fiscal_year": "2026"}
    )
    assert bad.status_code == 400 and "onestop.consultations" in bad.json()["errors"][0]["message"]
