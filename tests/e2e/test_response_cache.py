"""Repeated queries come from the response cache, and never once the data they show have changed."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from tests.support.paths import ROOT
from tests.support.reportgen import render_report
from tests.support.stack import TOKEN, Stack, import_file, upload_seed
from tests.support.uploads import may_figures, tokyo_csv

DASHBOARD = (ROOT / "docs" / "queries" / "dashboard.graphql").read_text(encoding="utf-8")
TOKYO = '{ prefecture(code: "13") { caseStudies(first: 50) { totalCount } } }'


async def ask(stack: Stack, query: str, variables: dict[str, Any] | None = None) -> tuple[str, bytes]:
    response = await stack.client.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code == 200, response.text
    return response.headers["x-cache"], response.content


async def test_a_repeated_query_is_answered_from_memory_without_a_round_trip(stack: Stack) -> None:
    """With PostgreSQL the version is pushed: a hit runs no statement; SQLite reads it (one)."""
    await upload_seed(stack)
    first = await ask(stack, DASHBOARD)
    pushed = stack.database_url.startswith("postgresql")
    if pushed:
        await asyncio.wait_for(stack.data_versions.listening.wait(), 10)
    with stack.statements() as statements:
        again = await ask(stack, DASHBOARD)
    assert first[0] in ("miss", "hit") and again == ("hit", first[1])
    if pushed:
        assert statements == []
    else:
        assert len(statements) == 1 and "data_version" in statements[0]
    other_variables = await ask(stack, DASHBOARD, {"fiscalYear": 2025})
    assert other_variables[0] == "miss"


async def test_identical_concurrent_queries_are_computed_once(stack: Stack) -> None:
    await upload_seed(stack)
    query = DASHBOARD + f"\n# {uuid.uuid4()}"  # never asked before: not in the cache
    with stack.statements() as statements:
        answers = await asyncio.gather(*(ask(stack, query) for _ in range(20)))
    states = [state for state, _ in answers]
    # One computes; the others wait for it, or (arriving once it is kept) are answered from memory.
    assert states.count("miss") == 1 and set(states) <= {"miss", "shared", "hit"}, states
    assert len({body for _, body in answers}) == 1
    with stack.statements() as alone:
        assert (await ask(stack, query.replace("# ", "#  ")))[0] == "miss"
    # One computation's statements (plus each request's version read without the push channel).
    figures = [statement for statement in statements if "data_version" not in statement]
    assert len(figures) == len([statement for statement in alone if "data_version" not in statement])


async def test_no_stale_answer_after_a_report_a_case_study_or_a_deletion(stack: Stack) -> None:
    await upload_seed(stack)
    await ask(stack, DASHBOARD)
    assert (await ask(stack, DASHBOARD))[0] == "hit"

    may = render_report(fiscal_year=2026, months=[4, 5], values=may_figures())
    uploaded = await stack.upload(may.encode(), "may.txt")
    report_id = uploaded["data"]["uploadReport"]["id"]
    assert (await stack.finished(report_id))["status"] == "SUCCEEDED"
    state, body = await ask(stack, DASHBOARD)
    assert state == "miss" and b'"month":5' in body  # May is there at once

    before = (await ask(stack, TOKYO))[1]
    await import_file(stack, tokyo_csv(2), "tokyo.csv")
    state, body = await ask(stack, TOKYO)
    assert state == "miss" and body != before and b'"totalCount":2' in body

    deleted = await stack.graphql(
        "mutation($id: ID!) { deleteReport(id: $id) }", {"id": report_id}, token=TOKEN
    )
    assert deleted["data"] == {"deleteReport": True}
    state, body = await ask(stack, DASHBOARD)
    assert state == "miss" and b'"month":5' not in body


async def test_mutations_and_errors_are_never_kept(stack: Stack) -> None:
    bad = '{ observations(indicator: "nope", fiscalYear: 2026) { value } }'
    assert (await ask(stack, bad))[0] == "miss"
    assert (await ask(stack, bad))[0] == "miss"
    mutation = "mutation { deleteReport(id: 999999) }"
    for _ in range(2):
        response = await stack.client.post(
            "/graphql", json={"query": mutation}, headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert response.headers["x-cache"] == "miss"
        assert response.json()["data"] == {"deleteReport": False}
