"""Smoke test of the benchmark suite: ``python -m bench.run --quick`` produces every figure.

Tiny sizes (the seed's April, a few requests per measurement, PostGraphile skipped, SQLite only),
so it checks the suite works rather than how fast the service is.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.figures import FLOORS, SHAPES, STATIC_FLOOR, Run, targets
from tests.support.paths import ROOT

QUERIES = ("dashboard", "prefecture page", "regional chart", "national series")


def _run_suite(tmp_path: Path, redis_url: str) -> tuple[Run, str]:
    out, raw = tmp_path / "RESULTS.md", tmp_path / "figures.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.run",
            "--quick",
            "--no-postgraphile",
            "--databases",
            "sqlite",
            "--scale-databases",
            "sqlite",
            "--ingestion-databases",
            "sqlite",
            "--out",
            str(out),
            "--json",
            str(raw),
        ],
        cwd=ROOT,
        env={**os.environ, "REDIS_URL": redis_url},
        capture_output=True,
        text=True,
        timeout=480,  # about 60 s alone; a loaded 2-core machine takes minutes
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    data: dict[str, Any] = json.loads(raw.read_text(encoding="utf-8"))
    return Run(**data), out.read_text(encoding="utf-8")


def test_quick_run_produces_every_figure(tmp_path: Path, redis_url: str) -> None:
    run, markdown = _run_suite(tmp_path, redis_url)

    for query in QUERIES:
        for clients in (1, 8, 64):
            row = run.find(db="sqlite", target="service", query=query, clients=clients)
            assert row is not None, (query, clients)
            assert row["errors"] == 0, row["first_errors"]
            assert row["requests"] > 0 and row["p50_ms"] > 0 and row["throughput_rps"] > 0, row
    for clients in (1, 8):
        cached = run.find(db="sqlite", target="service", query="dashboard", clients=clients, cached=True)
        assert cached is not None and cached["errors"] == 0 and cached["requests"] > 0
    for name in FLOORS:
        for clients in (1, 8, 64):
            floor = run.find(db="sqlite", target="floor", query=name, clients=clients)
            assert floor is not None and floor["errors"] == 0 and floor["requests"] > 0, (name, clients)
    for clients in (1, 8):
        static = run.find(db="sqlite", target="floor", query=STATIC_FLOOR, clients=clients, cached=True)
        assert static is not None and static["errors"] == 0 and static["requests"] > 0
        for shape in SHAPES[1:]:
            row = run.find(db="sqlite", target="service", query=shape, clients=clients)
            assert row is not None and row["errors"] == 0 and row["requests"] > 0, (shape, row)
    assert run.agreement["sqlite"].startswith("ok"), run.agreement
    side = run.interleaved["sqlite"]
    assert set(side) == {*SHAPES, *(f"floor: {name}" for name in FLOORS)}
    assert all(row["errors"] == 0 and row["requests"] == 2 and row["p50_ms"] > 0 for row in side.values()), (
        side
    )
    assert "side by side" in markdown

    assert 0 < run.profiles["sqlite"]["statements"] < 100
    assert run.profiles["sqlite"]["by_library"]
    ingestion = run.ingestion["sqlite"]
    assert ingestion["seed"]["uploads"] == 3 and ingestion["seed"]["failed"] == 0
    assert ingestion["seed"]["p50_ms"] > 0 and ingestion["seed_fast_poll"]["p50_ms"] > 0
    assert [b["workers"] for b in ingestion["batches"]] == [1, 2]
    assert ingestion["statements"]["total_ms"] > 0 and ingestion["statements"]["statements_ms"]
    assert all(b["failed"] == 0 and b["total_seconds"] > 0 for b in ingestion["batches"])
    assert [str(years) for years in run.scale["sqlite"]] == ["1"]
    assert "postgraphile" in run.skipped

    judged = {t.name: t for t in targets(run, "sqlite")}
    unmeasured = {name for name, t in judged.items() if t.met is None}
    assert all("PostGraphile" in name or "fiscal years stored" in name for name in unmeasured), unmeasured
    for target in judged.values():
        assert target.name in markdown and target.measured in markdown
    assert "## Profile of the dashboard query in the service" in markdown
