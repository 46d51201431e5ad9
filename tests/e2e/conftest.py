"""The running product for end-to-end tests: the ASGI app over HTTP and a real arq worker process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from service.db.data_version import DataVersions
from tests.conftest import (
    _drop_postgres_database,
    eventually,
    multipart,
    new_database,
    running_app,
    start_worker,
)

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
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
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


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def stack(
    request: pytest.FixtureRequest,
    redis_url: str,
    queue_name: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Stack]:
    """App + worker on a fresh database of each kind, sharing the session's Redis."""
    workdir = tmp_path_factory.mktemp(f"e2e-{request.param}")
    database_url, pg_name = await new_database(request.param, workdir)
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "QUEUE_NAME": f"{queue_name}:{request.param}",
        "API_TOKENS": f"tester:{TOKEN}",
        "SWEEP_INTERVAL_SECONDS": "2",
        "REQUEUE_AFTER_SECONDS": "120",
        "MAX_UPLOAD_BYTES": str(UPLOAD_LIMIT),
    }
    async with running_app(env) as running:
        # The app has migrated the database before the worker starts.
        log_path = workdir / "worker.log"
        worker = start_worker(env, log_path)
        try:
            yield Stack(
                client=running.client,
                database_url=database_url,
                worker_log=log_path,
                engine=running.app.state.services.engine,
                transport=running.transport,
                data_versions=running.app.state.services.data_versions,
            )
        finally:
            worker.terminate()
            worker.wait(20)
    if pg_name:
        await _drop_postgres_database(pg_name)
