"""The query benchmarks of one database: the service, the raw floor and PostGraphile, under one load tool.

Each target is loaded at 1 client (p50/p99), 8 and 64 clients (throughput) with the same plans.
A run the time cap cut short leaves requests in the server, so the API is restarted after it:
the next measurement never pays for abandoned work.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx
import orjson

from bench import postgraphile, processes
from bench.figures import FLOOR_PATHS, FLOORS, STATIC_FLOOR, Run
from bench.generate import LATEST_FISCAL_YEAR
from bench.loadgen import BodyFactory, Check, LoadResult, Plan, measure
from bench.processes import ROOT, ServiceEnv
from bench.queries import Query, queries

CLIENTS = (1, 8, 64)


@dataclass(frozen=True)
class Sizes:
    """Load plans by client count, for uncached and cached runs, and the profile's request count."""

    plans: dict[int, Plan] = field(
        default_factory=lambda: {
            1: Plan(clients=1, requests=30, warmup=3, max_seconds=8),
            8: Plan(clients=8, requests=96, warmup=3, max_seconds=10),
            64: Plan(clients=64, requests=256, warmup=3, max_seconds=12),
        }
    )
    cached: dict[int, Plan] = field(
        default_factory=lambda: {
            1: Plan(clients=1, requests=200, warmup=3, max_seconds=4),
            8: Plan(clients=8, requests=400, warmup=3, max_seconds=4),
        }
    )
    profile_requests: int = 3
    #: Rounds of the side-by-side latencies (``bench.interleaved``), after a few rounds of warm-up.
    interleaved_rounds: int = 60
    #: The latest fiscal year's last month stored (3: March, the whole year).
    latest_month: int = 3

    @classmethod
    def quick(cls) -> Sizes:
        """Tiny runs for the smoke test: a few requests each, April only."""
        return cls(
            plans={
                1: Plan(clients=1, requests=3, warmup=1, max_seconds=5),
                8: Plan(clients=8, requests=8, warmup=1, max_seconds=5),
                64: Plan(clients=64, requests=64, warmup=1, max_seconds=5),
            },
            cached={
                1: Plan(clients=1, requests=5, warmup=1, max_seconds=5),
                8: Plan(clients=8, requests=16, warmup=1, max_seconds=5),
            },
            profile_requests=1,
            interleaved_rounds=2,
            latest_month=4,
        )

    @property
    def months(self) -> int:
        """Months of the latest fiscal year stored."""
        return (self.latest_month + 8) % 12 + 1


class Server:
    """A server under test (the API, the floor, PostGraphile), restartable between measurements.

    ``start`` is a context manager factory yielding the server's base URL.
    """

    def __init__(self, start: Callable[[], AbstractContextManager[str]]) -> None:
        self._start = start
        self.stack = ExitStack()
        self.base_url = ""

    def start(self) -> None:
        self.base_url = self.stack.enter_context(self._start())

    def restart(self) -> None:
        self.stack.close()
        self.start()

    def close(self) -> None:
        self.stack.close()


@contextmanager
def running(start: Callable[[], AbstractContextManager[str]]) -> Iterator[Server]:
    """A server started, stopped on exit."""
    server = Server(start)
    server.start()
    try:
        yield server
    finally:
        server.close()


def _measure(
    run: Run,
    server: Server,
    body: BodyFactory,
    plan: Plan,
    check: Check | None,
    path: str = "/graphql",
    **labels: Any,
) -> dict[str, Any]:
    """One load run recorded; the server restarted when the cap cut it short (requests abandoned in it)."""
    result = asyncio.run(measure(labels["target"], server.base_url, body, plan, check=check, path=path))
    row = _record(run, result, **labels)
    if result.capped:
        server.restart()
    return row


def _record(
    run: Run, result: LoadResult, *, db: str, target: str, query: str, cached: bool
) -> dict[str, Any]:
    row = {"db": db, "target": target, "query": query, "cached": cached, **asdict(result)}
    run.queries.append(row)
    flag = " (capped)" if result.capped else ""
    errors = f", {result.errors} errors: {result.first_errors[:1]}" if result.errors else ""
    print(
        f"  {db:10} {target:12} {query:38} {'cached' if cached else 'uncached':8} "
        f"{result.clients:3} clients: "
        f"p50 {result.p50_ms:8.1f} ms  p99 {result.p99_ms:8.1f} ms  {result.throughput_rps:7.1f} req/s"
        f"  n={result.requests}{flag}{errors}",
        flush=True,
    )
    return row


def _service_queries(run: Run, db: str, api: Server, sizes: Sizes) -> None:
    for name, (query, check) in queries(LATEST_FISCAL_YEAR, months=sizes.months).items():
        # The other shapes of the dashboard are compared at 1 and 8 clients; 64 is the list's.
        for clients in CLIENTS if not name.startswith("dashboard,") else CLIENTS[:2]:
            body = query.body(cached=False)
            _measure(
                run, api, body, sizes.plans[clients], check, db=db, target="service", query=name, cached=False
            )
    query, check = queries(LATEST_FISCAL_YEAR, months=sizes.months)["dashboard"]
    for plan in sizes.cached.values():
        body = query.body(cached=True)
        _measure(run, api, body, plan, check, db=db, target="service", query="dashboard", cached=True)


def _answer_rows(content: bytes) -> set[tuple[Any, ...]]:
    rows = orjson.loads(content)["data"]["observations"]
    return {
        (
            r["indicator"]["code"],
            r["prefecture"]["code"],
            r["month"],
            r["breakdown"],
            r["value"],
            r["cumulative"],
            r["rank"],
            None if r["shareOfNational"] is None else round(r["shareOfNational"], 9),
        )
        for r in rows
    }


def agreement(service_url: str, floor_url: str, query: Query) -> str:
    """``ok`` when every floor answers the dashboard with the service's bytes, else what differs."""
    body = query.body(cached=True)(0)
    headers = {"Content-Type": "application/json"}
    ours = httpx.post(f"{service_url}/graphql", content=body, headers=headers, timeout=120).content
    for path in FLOOR_PATHS.values():
        theirs = httpx.post(f"{floor_url}{path}", content=body, headers=headers, timeout=120).content
        if theirs != ours:
            mine, floors = _answer_rows(ours), _answer_rows(theirs)
            return (
                f"DIFFERENT ({path}): {len(mine - floors)} service-only, {len(floors - mine)} floor-only, "
                f"e.g. {sorted(mine - floors)[:2]}"
            )
    return f"ok ({len(_answer_rows(ours))} points, identical bytes from every floor)"


def _floor(run: Run, db: str, service: ServiceEnv, api: Server, sizes: Sizes) -> None:
    query, check = queries(LATEST_FISCAL_YEAR, months=sizes.months)["dashboard"]
    with running(lambda: processes.floor(service.database_url, service.log_dir)) as floor:
        run.agreement[db] = agreement(api.base_url, floor.base_url, query)
        print(f"  {db:10} floors vs service dashboard answer: {run.agreement[db]}", flush=True)
        _side_by_side(run, db, api, floor, sizes)
        for name in FLOORS:
            for clients in CLIENTS:
                body = query.body(cached=False)
                _measure(
                    run,
                    floor,
                    body,
                    sizes.plans[clients],
                    check,
                    FLOOR_PATHS[name],
                    db=db,
                    target="floor",
                    query=name,
                    cached=False,
                )
        for plan in sizes.cached.values():
            body = query.body(cached=True)
            _measure(
                run,
                floor,
                body,
                plan,
                check,
                FLOOR_PATHS[STATIC_FLOOR],
                db=db,
                target="floor",
                query=STATIC_FLOOR,
                cached=True,
            )


def _side_by_side(run: Run, db: str, api: Server, floor: Server, sizes: Sizes) -> None:
    """The dashboard's shapes and floors at 1 client, asked in turn, by a fresh process
    (``bench.interleaved``)."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.interleaved",
            api.base_url,
            floor.base_url,
            "--fiscal-year",
            str(LATEST_FISCAL_YEAR),
            "--months",
            str(sizes.months),
            "--rounds",
            str(sizes.interleaved_rounds),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode != 0:
        run.skipped[f"side by side ({db})"] = done.stderr[-1000:]
        return
    run.interleaved[db] = json.loads(done.stdout.strip().splitlines()[-1])
    for name, latency in run.interleaved[db].items():
        errors = f", {latency['errors']} errors: {latency['first_error']}" if latency["errors"] else ""
        print(
            f"  {db:10} side by side {name:38} p50 {latency['p50_ms']:8.1f} ms  "
            f"p90 {latency['p90_ms']:8.1f} ms  n={latency['requests']}{errors}",
            flush=True,
        )


def _same(body: bytes) -> BodyFactory:
    """A body factory giving ``body`` every time."""
    return lambda _: body


def _postgraphile(run: Run, db: str, service: ServiceEnv, sizes: Sizes) -> None:
    try:
        run.meta["postgraphile_rows"] = asyncio.run(postgraphile.load_figures(service.database_url))
        with running(lambda: postgraphile.server(service.database_url, service.log_dir)) as server:
            for variant in postgraphile.QUERIES:
                body = orjson.dumps(
                    {"query": postgraphile.query(variant), "variables": {"fiscalYear": LATEST_FISCAL_YEAR}}
                )
                for clients in CLIENTS if variant == "with cumulative" else (1,):
                    _measure(
                        run,
                        server,
                        _same(body),
                        sizes.plans[clients],
                        None,
                        db=db,
                        target="postgraphile",
                        query=f"dashboard ({variant})",
                        cached=False,
                    )
    except postgraphile.Unavailable as error:
        run.skipped["postgraphile"] = str(error)
        print(f"  PostGraphile skipped: {error}", flush=True)


def _profile(run: Run, db: str, service: ServiceEnv, sizes: Sizes) -> None:
    out = service.log_dir / f"dashboard-profile-{db}.txt"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.profile",
            service.database_url,
            "--requests",
            str(sizes.profile_requests),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        run.profiles[db] = {"error": done.stderr[-1000:]}
        return
    profile: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    profile["text"] = out.read_text(encoding="utf-8")
    run.profiles[db] = profile
    print(f"  {db:10} SQL statements per dashboard request: {profile['statements']}", flush=True)


def measure_database(
    run: Run, db: str, service: ServiceEnv, *, years: int, full: bool, sizes: Sizes, with_postgraphile: bool
) -> None:
    """With ``years`` fiscal years stored: every benchmark when ``full``, else the scale figure alone."""
    page, check = queries(LATEST_FISCAL_YEAR, months=sizes.months)["prefecture page"]
    with running(lambda: processes.api(service)) as api:
        if full:
            _service_queries(run, db, api, sizes)
            _floor(run, db, service, api, sizes)
        else:
            row = _measure(
                run,
                api,
                page.body(cached=False),
                sizes.plans[1],
                check,
                db=db,
                target="service",
                query=f"prefecture page, {years} years",
                cached=False,
            )
            run.scale.setdefault(db, {})[years] = row["p50_ms"]
    if full:
        row1 = run.find(db=db, target="service", query="prefecture page", clients=1)
        if row1 is not None:
            run.scale.setdefault(db, {})[years] = row1["p50_ms"]
        if with_postgraphile:
            _postgraphile(run, db, service, sizes)
        _profile(run, db, service, sizes)
