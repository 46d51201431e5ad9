"""The e2e stack (the app in-process, a real worker, a fresh database) and what tests do with it: upload,
wait for a report, read every figure back, import case studies."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from service.client import Client
from service.db.data_version import DataVersions
from tests.support.multipart import multipart
from tests.support.paths import ROOT, SEED
from tests.support.waiting import eventually

TOKEN = "e2e-secret-token"
UPLOAD_LIMIT = 200_000


@dataclass
class Stack:
    """A client of the app plus what the test may want to look at."""

    client: httpx.AsyncClient
    database_url: str
    worker_log: Path
    engine: AsyncEngine
    transport: httpx.AsyncBaseTransport
    data_versions: DataVersions

    @contextmanager
    def statements(self) -> Iterator[list[str]]:
        """The SQL statements the app runs inside the block."""
        seen: list[str] = []

        def record(*args: Any) -> None:
            seen.append(str(args[2]))

        event.listen(self.engine.sync_engine, "before_cursor_execute", record)
        try:
            yield seen
        finally:
            event.remove(self.engine.sync_engine, "before_cursor_execute", record)

    async def graphql(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        response = await Client(self.client, token=token).send(query, variables)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def upload(
        self, content: bytes, filename: str = "report.txt", *, token: str | None = TOKEN
    ) -> dict[str, Any]:
        """POST a GraphQL multipart request (the spec's operations/map/file parts)."""
        query = "mutation($file: Upload!) { uploadReport(file: $file) { id status filename size sha256 } }"
        return await multipart(self.client, query, content, filename, token=token)

    async def report(self, report_id: str) -> dict[str, Any]:
        body = await self.graphql(
            "query($id: ID!) { report(id: $id) { id status error warnings fiscalYear months "
            "title valuesStored filename size sha256 uploadedAt processedAt uploadedBy } }",
            {"id": report_id},
        )
        report: dict[str, Any] = body["data"]["report"]
        return report

    async def finished(self, report_id: str, timeout: float = 60) -> dict[str, Any]:
        """Wait until the worker has finished the report; its final state.

        The timeout is below REQUEUE_AFTER_SECONDS, so a job the sweep had to rescue fails the test.
        """

        async def done() -> dict[str, Any] | None:
            report = await self.report(report_id)
            return report if report["status"] in ("SUCCEEDED", "FAILED") else None

        try:
            result: dict[str, Any] = await eventually(done, timeout)  # type: ignore[assignment]
        except AssertionError:
            raise AssertionError(
                f"report {report_id} not finished; worker log:\n{self.worker_log.read_text()[-3000:]}"
            ) from None
        return result


GOLDEN = json.loads((ROOT / "tests" / "data" / "seed-expected.json").read_text(encoding="utf-8"))
OBSERVATIONS = """
query($indicator: String!, $fy: Int!) {
  observations(indicator: $indicator, fiscalYear: $fy) {
    prefecture { code } fiscalYear month yearMonth breakdown value cumulative reportedCumulative
  }
}"""


async def all_figures(
    stack: Stack, fiscal_year: int = 2026
) -> dict[tuple[str, str, int, str], dict[str, Any]]:
    """Every current figure of every indicator, keyed (indicator, prefecture, month, breakdown)."""
    indicators = (await stack.graphql("{ indicators { code } }"))["data"]["indicators"]
    figures: dict[tuple[str, str, int, str], dict[str, Any]] = {}
    for indicator in indicators:
        body = await stack.graphql(OBSERVATIONS, {"indicator": indicator["code"], "fy": fiscal_year})
        assert "errors" not in body, body
        for row in body["data"]["observations"]:
            key = (indicator["code"], row["prefecture"]["code"], row["month"], row["breakdown"])
            assert key not in figures, f"duplicate figure {key}"
            figures[key] = row
    return figures


async def upload_seed(stack: Stack) -> dict[str, Any]:
    body = await stack.upload(SEED.read_bytes(), "000_5b8a8bf95d37f4c6.txt")
    assert "errors" not in body, body
    return await stack.finished(body["data"]["uploadReport"]["id"])


IMPORT = (
    "mutation($file: Upload!) { importCaseStudies(file: $file) { created updated caseStudies { id url } } }"
)


async def import_file(
    stack: Stack, content: bytes, filename: str, token: str | None = TOKEN
) -> dict[str, Any]:
    return await multipart(stack.client, IMPORT, content, filename, token=token)
