"""Latencies measured side by side: the dashboard's shapes and its floors asked in turn by one client.

Measured one after another, minutes apart, two p50s also differ by how busy the shared machine was
in each minute (on our 2-core machines the same code's p50 moves by 20% from one minute to the
next). Asked in turn, round after round, every contender meets the same moments, so the ratios of
their p50s compare like with like. The latency targets (shape ÷ fastest floor, aliased ÷ list)
are judged on these; the separate runs stay in the tables beside them.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

import httpx

from bench.loadgen import BodyFactory, Check

_HEADERS = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class Contender:
    """One target of the comparison: where to post which bodies, and how to check an answer."""

    name: str
    url: str
    body: BodyFactory
    check: Check | None


@dataclass(frozen=True)
class Latency:
    """A contender's latencies over the rounds (warm-up left out)."""

    p50_ms: float
    p90_ms: float
    requests: int
    #: Answers that were not 200 with the expected points (any makes the figures void).
    errors: int
    first_error: str | None


async def interleave(contenders: list[Contender], *, rounds: int, warmup: int) -> dict[str, Latency]:
    """Each round asks every contender once, in order; each answer is checked."""
    latencies: dict[str, list[float]] = {c.name: [] for c in contenders}
    errors: dict[str, list[str]] = {c.name: [] for c in contenders}
    sent = 0
    async with httpx.AsyncClient(timeout=120) as client:
        for round_number in range(warmup + rounds):
            for contender in contenders:
                sent += 1
                body = contender.body(sent)
                started = time.perf_counter()
                response = await client.post(contender.url, content=body, headers=_HEADERS)
                elapsed = (time.perf_counter() - started) * 1000
                problem = f"HTTP {response.status_code}" if response.status_code != 200 else None
                if problem is None and contender.check is not None:
                    problem = contender.check(response.content)
                if problem is not None:
                    errors[contender.name].append(problem)
                elif round_number >= warmup:
                    latencies[contender.name].append(elapsed)
    return {
        name: Latency(
            p50_ms=statistics.median(values) if values else 0.0,
            p90_ms=statistics.quantiles(values, n=10)[-1] if len(values) > 1 else (values or [0.0])[0],
            requests=len(values),
            errors=len(errors[name]),
            first_error=errors[name][0] if errors[name] else None,
        )
        for name, values in latencies.items()
    }
