"""Apollo Client's InMemoryCache, with no type policies, normalises every answer the dashboard and
docs/queries get: the real client (frontend devDependency) in Node against a real server."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from service.graphql.schema import schema
from tests.support.dashboard_queries import dashboard_documents, docs_documents
from tests.support.multipart import multipart
from tests.support.paths import ROOT, SEED
from tests.support.processes import serving

SCRIPT = ROOT / "frontend" / "scripts" / "apollo-normalises.mjs"
APOLLO = ROOT / "frontend" / "node_modules" / "@apollo" / "client"
TOKEN = "apollo-secret"
NODE_TYPES = sorted(t.name for t in schema._schema.get_possible_types(schema._schema.get_type("Node")))  # type: ignore[arg-type]
#: Variables for the dashboard's queries, as App.tsx fills them for the seed's month.
DASHBOARD_VARIABLES: dict[str, dict[str, Any]] = {
    "CHOICES": {},
    "OVERVIEW": {
        "indicator": "onestop.consultations",
        "fiscalYear": 2026,
        "month": 4,
        "cumulative": False,
        "kind": "AREA",
    },
    "PREFECTURE": {
        "code": "13",
        "fiscalYear": 2026,
        "indicators": ["onestop.consultations", "productivity.plans"],
    },
    "REPORTS": {},
}


@pytest.fixture(scope="module")
async def service(
    redis_url: str, queue_name: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    node = shutil.which("node")
    if node is None or not APOLLO.is_dir():
        message = "needs Node.js and frontend/node_modules/@apollo/client (make install)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    workdir = tmp_path_factory.mktemp("apollo")
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'apollo.db'}",
        "REDIS_URL": redis_url,
        "QUEUE_NAME": f"{queue_name}:apollo",
        "API_TOKENS": f"apollo:{TOKEN}",
    }
    async with serving(env, workdir / "server.log") as base:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            upload = "mutation($file: Upload!) { uploadReport(file: $file) { id } }"
            report_id = (await multipart(client, upload, SEED.read_bytes(), "seed.txt", token=TOKEN))["data"][
                "uploadReport"
            ]["id"]
            cases = "prefecture,title,url,published_on\n東京都,事例,https://example.jp/tokyo/a,2026-04-01\n"
            imported = "mutation($file: Upload!) { importCaseStudies(file: $file) { created } }"
            await multipart(client, imported, cases.encode(), "cases.csv", token=TOKEN)
            status = "query($id: ID!) { report(id: $id) { status } }"
            for _ in range(600):
                body = (
                    await client.post("/graphql", json={"query": status, "variables": {"id": report_id}})
                ).json()
                if body["data"]["report"]["status"] in ("SUCCEEDED", "FAILED"):
                    break
                await asyncio.sleep(0.1)
            assert body["data"]["report"]["status"] == "SUCCEEDED"
            DASHBOARD_VARIABLES["REPORT"] = {"id": report_id}
        yield base


async def normalised(service: str, operations: list[dict[str, Any]]) -> dict[str, Any]:
    """What frontend/scripts/apollo-normalises.mjs reports for ``operations``."""
    process = await asyncio.create_subprocess_exec(
        "node",
        str(SCRIPT),
        cwd=ROOT / "frontend",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    request = json.dumps({"url": service, "nodeTypes": NODE_TYPES, "operations": operations})
    out, err = await process.communicate(request.encode())
    assert process.returncode == 0, err.decode()
    result: dict[str, Any] = json.loads(out)
    return result


async def test_apollo_normalises_every_dashboard_answer(service: str) -> None:
    queries = {
        name: text for name, text in dashboard_documents().items() if text.lstrip().startswith("query")
    }
    assert set(queries) == set(DASHBOARD_VARIABLES), "give the variables of every dashboard query"
    operations = [
        {"name": name, "query": text, "variables": DASHBOARD_VARIABLES[name]}
        for name, text in queries.items()
    ]
    operations += [{"name": name, "query": text, "variables": {}} for name, text in docs_documents().items()]
    result = await normalised(service, operations)
    assert result["problems"] == []
    # Every Node type the answers hold became entities of their own, keyed by id.
    assert set(NODE_TYPES) <= set(result["entities"]), result["entities"]
    assert result["entities"]["Prefecture"] == 47


async def test_an_object_without_id_is_reported(service: str) -> None:
    query = '{ prefecture(code: "13") { id code area { code name } } }'
    result = await normalised(service, [{"name": "no id", "query": query, "variables": {}}])
    assert result["problems"] == ["Region not normalised at Prefecture:UHJlZmVjdHVyZToxMw==.area"]
