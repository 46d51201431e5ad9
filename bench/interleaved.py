"""Latencies measured side by side: the dashboard's shapes and its floors asked in turn by one client.

Measured one after another, minutes apart, two p50s also differ by how busy the shared machine was
in each minute (on our 2-core machines the same code's p50 moves by 20% from one minute to the
next). Asked in turn, round after round, every contender meets the same moments, so the ratios of
their p50s compare like with like. The latency targets (shape ÷ fastest floor, aliased ÷ list)
are judged on these; the separate runs stay in the tables beside them.

It runs as a process of its own (``python -m bench.interleaved SERVICE_URL FLOOR_URL``, one JSON
line out): the harness that loaded the data and ran the other measurements is a large, busy
process, and the client's own work is part of every latency measured.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from dataclasses import asdict, dataclass

import httpx
import orjson

from bench.figures import FLOOR_PATHS, FLOORS, SHAPES
from bench.loadgen import BodyFactory, Check
from bench.queries import queries

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


def contenders(service_url: str, floor_url: str, fiscal_year: int, months: int) -> list[Contender]:
    """The dashboard's shapes on the service, then its floors."""
    asked = queries(fiscal_year, months=months)
    shapes = [
        Contender(name, f"{service_url}/graphql", asked[name][0].body(cached=False), asked[name][1])
        for name in SHAPES
    ]
    query, check = asked["dashboard"]
    floors = [
        Contender(f"floor: {name}", f"{floor_url}{FLOOR_PATHS[name]}", query.body(cached=False), check)
        for name in FLOORS
    ]
    return shapes + floors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("service_url")
    parser.add_argument("floor_url")
    parser.add_argument("--fiscal-year", type=int, required=True)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    asked = contenders(args.service_url, args.floor_url, args.fiscal_year, args.months)
    measured = asyncio.run(interleave(asked, rounds=args.rounds, warmup=args.warmup))
    sys.stdout.write(
        orjson.dumps({name: asdict(latency) for name, latency in measured.items()}).decode() + "\n"
    )


if __name__ == "__main__":
    main()
