"""The ``yorozu`` command against the running app: upload --wait, status, export, schema."""

from __future__ import annotations

import io

from graphql import build_schema, lexicographic_sort_schema, print_schema

from service.cli import run
from service.graphql.schema import schema
from tests.conftest import SEED
from tests.e2e.conftest import TOKEN, Stack


async def test_upload_wait_status_export_and_schema(stack: Stack, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    code = await run(["--token", TOKEN, "upload", str(SEED), "--wait"], transport=stack.transport, out=out)
    assert code == 0, out.getvalue()
    assert "SUCCEEDED FY2026 months 4, 658 values" in out.getvalue()
    report_id = out.getvalue().split("as report ")[1].split(" ")[0]

    broken = tmp_path / "broken.txt"
    broken.write_text(
        SEED.read_text(encoding="utf-8").replace("東京都</a>\t440", "東京府</a>\t440"), encoding="utf-8"
    )
    out = io.StringIO()
    assert (
        await run(["--token", TOKEN, "upload", str(broken), "--wait"], transport=stack.transport, out=out)
        == 1
    )
    assert "FAILED" in out.getvalue() and "東京府" in out.getvalue()

    out = io.StringIO()
    assert await run(["status", report_id], transport=stack.transport, out=out) == 0
    assert "SUCCEEDED" in out.getvalue()

    target = tmp_path / "tokyo.csv"
    args = [
        "export",
        "--indicator",
        "onestop.consultations",
        "--fiscal-year",
        "2026",
        "--prefecture",
        "13",
        "-o",
        str(target),
    ]
    assert await run(args, transport=stack.transport, out=io.StringIO()) == 0
    assert "東京都" in target.read_bytes().decode("utf-8-sig")

    out = io.StringIO()
    assert await run(["schema"], transport=stack.transport, out=out) == 0
    assert "uploadReport(" in out.getvalue() and "type Observation" in out.getvalue()
    printed = print_schema(lexicographic_sort_schema(build_schema(out.getvalue())))
    assert printed == print_schema(lexicographic_sort_schema(build_schema(schema.as_str())))


async def test_upload_without_token_fails(stack: Stack) -> None:
    assert await run(["upload", str(SEED)], transport=stack.transport, out=io.StringIO()) == 1
