"""The one HTTP load tool of the benchmarks: N async clients, a fixed warm-up, p50/p99 and requests/s.

Every target (the service, the raw floor, PostGraphile) is measured by ``measure``: the same
client code, the same checks. An answer counts only when its status is 200 and it carries no
GraphQL ``errors``; a sample of answers is also checked by a caller-given ``check`` (parsing
every 1 MB answer would spend the client's share of the two cores on JSON instead of load).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

#: Build the body of the n-th request (n counts from 0, warm-up included).
BodyFactory = Callable[[int], bytes]
#: Look at one answer's bytes; a problem's description, or None when it is right.
Check = Callable[[bytes], str | None]

_JSON = {"Content-Type": "application/json"}


@dataclass
class LoadResult:
    """What one load run measured; latencies in milliseconds, throughput over the measured window."""

    target: str
    clients: int
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    throughput_rps: float
    response_bytes: int
    errors: int
    #: True when the time cap ended the run before its request count (requests were cut short).
    capped: bool
    first_errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Plan:
    """How to load a target: clients, warm-up requests, then a request count capped by time.

    Parameters:
        clients: concurrent clients (each sends its next request when its answer has arrived).
        requests: requests to measure after the warm-up (split among the clients).
        warmup: requests sent first, one at a time, not measured.
        max_seconds: the measured window's cap: past it no client starts a request, and those in
            flight get ``max_seconds / 2`` more to finish before they are abandoned (counted
            nowhere; the run is marked ``capped``).
        check_every: run ``check`` on the first answer and on every ``check_every``-th.
    """

    clients: int
    requests: int
    warmup: int = 3
    max_seconds: float = 15.0
    check_every: int = 25


def percentile(ordered: list[float], fraction: float) -> float:
    """The nearest-rank percentile of sorted ``ordered`` (0 when empty)."""
    if not ordered:
        return 0.0
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


class _Run:
    """The shared state of one run: counters the clients update."""

    def __init__(self, body: BodyFactory, check: Check | None, plan: Plan) -> None:
        self.body, self.check, self.plan = body, check, plan
        self.sent = 0
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.response_bytes = 0
        #: Set at the time cap: clients stop starting requests.
        self.closed = False

    def next_index(self) -> int | None:
        if self.sent >= self.plan.warmup + self.plan.requests or self.closed:
            return None
        self.sent += 1
        return self.sent - 1

    def judge(self, index: int, response: httpx.Response) -> str | None:
        content = response.content
        if response.status_code != 200:
            return f"HTTP {response.status_code}: {content[:200]!r}"
        if b'"errors":' in content:
            return f"GraphQL errors: {content[:300]!r}"
        if self.check is not None and (index - self.plan.warmup) % self.plan.check_every == 0:
            return self.check(content)
        return None


async def _send(client: httpx.AsyncClient, path: str, run: _Run, index: int) -> None:
    started = time.perf_counter()
    try:
        response = await client.post(path, content=run.body(index), headers=_JSON)
        problem = run.judge(index, response)
        size = len(response.content)
    except httpx.HTTPError as error:
        problem, size = repr(error), 0
    elapsed = time.perf_counter() - started
    if index < run.plan.warmup:
        if problem:
            run.errors.append(f"warm-up: {problem}")
        return
    if problem:
        run.errors.append(problem)
    else:
        run.latencies.append(elapsed)
        run.response_bytes = size


async def _client(client: httpx.AsyncClient, path: str, run: _Run) -> None:
    while (index := run.next_index()) is not None:
        await _send(client, path, run, index)


async def measure(
    target: str,
    base_url: str,
    body: BodyFactory,
    plan: Plan,
    *,
    path: str = "/graphql",
    check: Check | None = None,
) -> LoadResult:
    """Warm ``base_url`` up, then load it with ``plan.clients`` clients; what it measured."""
    run = _Run(body, check, plan)
    limits = httpx.Limits(max_connections=plan.clients, max_keepalive_connections=plan.clients)
    async with httpx.AsyncClient(base_url=base_url, timeout=120, limits=limits) as client:
        for _ in range(plan.warmup):
            index = run.next_index()
            assert index is not None
            await _send(client, path, run, index)
        started = time.perf_counter()
        tasks = [asyncio.create_task(_client(client, path, run)) for _ in range(plan.clients)]
        _, pending = await asyncio.wait(tasks, timeout=plan.max_seconds)
        capped = bool(pending)
        run.closed = True
        if pending:
            _, pending = await asyncio.wait(pending, timeout=plan.max_seconds / 2)
        seconds = time.perf_counter() - started
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    ordered = sorted(run.latencies)
    return LoadResult(
        target=target,
        clients=plan.clients,
        requests=len(ordered),
        seconds=seconds,
        p50_ms=statistics.median(ordered) * 1000 if ordered else 0.0,
        p99_ms=percentile(ordered, 0.99) * 1000,
        throughput_rps=len(ordered) / seconds if seconds else 0.0,
        response_bytes=run.response_bytes,
        errors=len(run.errors),
        capped=capped,
        first_errors=sorted(set(run.errors))[:3],
    )
