"""Upload → queue → real worker → GraphQL, on SQLite and on PostgreSQL, checked figure by figure."""

from __future__ import annotations

from tests.support.paths import SEED
from tests.support.stack import GOLDEN, TOKEN, UPLOAD_LIMIT, Stack, all_figures, upload_seed
from tests.support.waiting import eventually


async def test_seed_upload_stores_every_golden_value(stack: Stack) -> None:
    body = await stack.upload(SEED.read_bytes(), "000_5b8a8bf95d37f4c6.txt")
    uploaded = body["data"]["uploadReport"]
    assert uploaded["status"] in ("QUEUED", "PROCESSING", "SUCCEEDED")
    assert uploaded["size"] == len(SEED.read_bytes())
    report = await stack.finished(uploaded["id"])
    assert report["status"] == "SUCCEEDED", report["error"]
    assert report["fiscalYear"] == 2026
    assert report["months"] == [4]
    assert report["valuesStored"] == 658
    assert report["uploadedBy"] == "tester"
    assert report["title"] == "令和8年度よろず支援拠点相談等実績"

    figures = await all_figures(stack)
    expected = {
        (v["indicator"], v["prefecture"], v["month"], v["breakdown"]): v["value"] for v in GOLDEN["values"]
    }
    assert len(expected) == 658
    assert {key: row["value"] for key, row in figures.items()} == expected
    for row in figures.values():
        assert row["fiscalYear"] == 2026 and row["yearMonth"] == "2026-04"
        assert row["cumulative"] == row["value"]  # April: the year to date is the month
    printed = {
        (c["indicator"], c["prefecture"], c["through_month"]): c["value"]
        for c in GOLDEN["reported_cumulative"]
    }
    assert len(printed) == 329
    got = {
        (ind, pref, month): row["reportedCumulative"]
        for (ind, pref, month, _), row in figures.items()
        if row["reportedCumulative"] is not None
    }
    assert got == printed


async def test_same_bytes_again_return_the_existing_report(stack: Stack) -> None:
    first = await upload_seed(stack)
    again = (await stack.upload(SEED.read_bytes(), "renamed.txt"))["data"]["uploadReport"]
    assert again["id"] == first["id"]
    assert again["filename"] == "000_5b8a8bf95d37f4c6.txt"
    assert again["status"] == "SUCCEEDED"  # no second job: it was never queued again
    listed = (await stack.graphql("{ reports { totalCount edges { node { id } } } }"))["data"]
    assert [e["node"]["id"] for e in listed["reports"]["edges"]].count(first["id"]) == 1


async def test_upload_without_a_valid_token_is_refused_and_records_nothing(stack: Stack) -> None:
    before = (await stack.graphql("{ reports { totalCount } }"))["data"]["reports"]["totalCount"]
    for token in (None, "wrong-token"):
        body = await stack.upload(b"any bytes at all " + str(token).encode(), token=token)
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    after = (await stack.graphql("{ reports { totalCount } }"))["data"]["reports"]["totalCount"]
    assert after == before


async def test_a_failing_report_leaves_the_stored_figures_unchanged(stack: Stack) -> None:
    await upload_seed(stack)
    before = await all_figures(stack)
    # Break a cell in the very last table: everything before it parses, nothing may be stored.
    text = SEED.read_text(encoding="utf-8")
    cell = "大分県\t11\n"
    at = text.rindex(cell)
    broken = text[:at] + "大分県\t1x1\n" + text[at + len(cell) :]
    body = await stack.upload(broken.encode(), "broken.txt")
    report = await stack.finished(body["data"]["uploadReport"]["id"])
    assert report["status"] == "FAILED"
    assert "broken.txt" in report["error"] and "1x1" in report["error"]
    assert "広報活動" in report["error"]  # the table's title
    assert report["valuesStored"] == 0
    assert await all_figures(stack) == before


async def test_worker_keeps_serving_after_bad_files(stack: Stack) -> None:
    failures = {
        "empty.txt": b"",
        "binary.bin": bytes(range(256)) * 4,
        "notes.txt": "令和8年度よろず支援拠点相談等実績\n\nただの文章です。\n".encode(),
    }
    for name, content in failures.items():
        body = await stack.upload(content, name)
        report = await stack.finished(body["data"]["uploadReport"]["id"])
        assert report["status"] == "FAILED", name
        assert name in report["error"]
    seed = await upload_seed(stack)
    assert seed["status"] == "SUCCEEDED"


async def test_queries_reject_unknown_names_with_a_code(stack: Stack) -> None:
    body = await stack.graphql('{ observations(indicator: "nope", fiscalYear: 2026) { value } }')
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "onestop.consultations" in body["errors"][0]["message"]
    body = await stack.graphql('{ prefecture(name: "東京府") { code } }')
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_filters_by_prefecture_region_and_month(stack: Stack) -> None:
    await upload_seed(stack)
    query = """query($p: String, $r: String, $m: Int) {
      observations(indicator: "onestop.consultations", fiscalYear: 2026,
                   prefecture: $p, region: $r, month: $m) {
        prefecture { code name area { code } bureau { code } } value } }"""
    tokyo = (await stack.graphql(query, {"p": "東京"}))["data"]["observations"]
    assert [(o["prefecture"]["code"], o["value"]) for o in tokyo] == [("13", 570)]
    kanto = (await stack.graphql(query, {"r": "meti_kanto"}))["data"]["observations"]
    assert {o["prefecture"]["code"] for o in kanto} == {
        "08",
        "09",
        "10",
        "11",
        "12",
        "13",
        "14",
        "15",
        "19",
        "20",
        "22",
    }
    assert (await stack.graphql(query, {"m": 5}))["data"]["observations"] == []


async def test_upload_token_is_checked_before_reading_the_file(stack: Stack) -> None:
    body = await stack.upload(SEED.read_bytes(), token=TOKEN + "x")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_indicators_carry_the_report_s_definitions(stack: Stack) -> None:
    await upload_seed(stack)
    body = await stack.graphql('{ indicator(code: "onestop.referrals_out") { number name unit definition } }')
    indicator = body["data"]["indicator"]
    assert indicator["number"] == "4"
    assert indicator["unit"] == "事業者"
    assert indicator["definition"].startswith("対象期間の相談対応で他の支援機関へ紹介した事業者の件数。")
    assert "5月2日以降の紹介は集計しない。" in indicator["definition"]


async def test_an_upload_over_the_limit_is_refused_and_records_nothing(stack: Stack) -> None:
    before = (await stack.graphql("{ reports { totalCount } }"))["data"]["reports"]["totalCount"]
    # Just over the file limit: passes the body check (which allows for multipart framing)
    # and is refused while the file is read.
    body = await stack.upload(b"x" * (UPLOAD_LIMIT + 1), "big.txt")
    assert body["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert body["errors"][0]["message"] == "the file is larger than the upload limit of 200,000 bytes"
    # Far over it: refused as the body streams in, before any parsing.
    response = await stack.client.post(
        "/graphql",
        content=b"-" * (UPLOAD_LIMIT * 3),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "multipart/form-data; boundary=-"},
    )
    assert response.status_code == 413
    assert response.json()["errors"][0] == {
        "message": "the file is larger than the upload limit of 200,000 bytes",
        "extensions": {"code": "LIMIT_EXCEEDED"},
    }
    after = (await stack.graphql("{ reports { totalCount } }"))["data"]["reports"]["totalCount"]
    assert after == before


async def test_health_and_readiness(stack: Stack) -> None:
    assert (await stack.client.get("/healthz")).json() == {"status": "ok"}

    async def ready() -> dict[str, str] | None:
        response = await stack.client.get("/readyz")
        body: dict[str, str] = response.json()
        return body if response.status_code == 200 else None

    assert await eventually(ready, 30) == {"status": "ok", "database": "ok", "redis": "ok", "worker": "ok"}
