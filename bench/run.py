"""The benchmark suite's entry point (``make bench``): data, queries, floor, PostGraphile, ingestion, scale.

    .venv/bin/python -m bench.run [--years 10] [--scale 1,10,30] [--quick] [--no-postgraphile]

Needs PostgreSQL (``BENCH_POSTGRES_URL``, else ``TEST_DATABASE_URL``, else the local ``test``
database; scratch databases ``bench_yorozu*`` (+ ``BENCH_DATABASE_SUFFIX``) are created next to
it) and Redis (``REDIS_URL``, else a bundled redis-server). Prints every figure with its ratio
and target, writes ``bench/RESULTS.md`` and, with ``--json``, the raw figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from dataclasses import asdict
from pathlib import Path

from bench import databases, ingestion, machine, results
from bench.figures import Run
from bench.generate import fiscal_years, load
from bench.measure import Sizes, measure_database
from bench.processes import ServiceEnv
from service.dev.embedded_redis import redis_answers, start_redis

DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
BENCH = Path(__file__).resolve().parent


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10, help="fiscal years stored for the query benchmarks")
    parser.add_argument("--scale", default="1,10,30", help="fiscal years stored for the scale benchmark")
    parser.add_argument("--databases", default="sqlite,postgresql", help="query benchmarks on these")
    parser.add_argument(
        "--scale-databases", default="postgresql", help="years above --years stored on these only"
    )
    parser.add_argument("--ingestion-databases", default="postgresql", help="ingestion benchmarks on these")
    parser.add_argument("--uploads", type=int, default=20, help="seed uploads timed one by one")
    parser.add_argument("--batch-years", type=int, default=10, help="fiscal years of monthly reports queued")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke test of the suite")
    parser.add_argument("--no-postgraphile", action="store_true")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument(
        "--report-only", type=Path, metavar="JSON", help="measure nothing: rewrite --out from a --json file"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.years, args.scale, args.uploads, args.batch_years = 1, "1", 3, 1
    return args


def _redis(children: list[object]) -> str:
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    if redis_answers(url):
        return url
    server, url = start_redis()
    children.append(server)
    return url


def _database_url(kind: str, name: str, workdir: Path, postgres: str) -> str:
    if kind == "sqlite":
        return databases.fresh_sqlite(workdir, name)
    # BENCH_DATABASE_SUFFIX keeps runs from several checkouts on one PostgreSQL apart.
    return asyncio.run(databases.fresh_postgres(postgres, name + os.environ.get("BENCH_DATABASE_SUFFIX", "")))


def _ingestion(
    run: Run, kind: str, args: argparse.Namespace, workdir: Path, postgres: str, redis: str, latest_month: int
) -> None:
    def service(name: str) -> ServiceEnv:
        url = _database_url(kind, f"bench_yorozu_{name}", workdir, postgres)
        return ServiceEnv(url, redis, f"bench:{uuid.uuid4().hex[:8]}", workdir)

    figures: dict[str, object] = {}
    print(f"[{kind}] ingestion: {args.uploads} seed uploads, one at a time", flush=True)
    figures["seed"] = asdict(ingestion.seed_latency(service("seed"), args.uploads))
    figures["seed_fast_poll"] = asdict(
        ingestion.seed_latency(service("seed_poll"), args.uploads, poll_delay=0.05)
    )
    batches = []
    for count in (1, 2):
        print(
            f"[{kind}] ingestion: monthly reports of {args.batch_years} year(s), {count} worker(s)",
            flush=True,
        )
        batch = ingestion.batch(
            service(f"batch{count}"), fiscal_years(args.batch_years), count, latest_month=latest_month
        )
        batches.append(asdict(batch))
    figures["batches"] = batches
    print(f"[{kind}] ingestion: SQL statements of one monthly report's ingestion", flush=True)
    url = _database_url(kind, "bench_yorozu_statements", workdir, postgres)
    figures["statements"] = ingestion.statement_profile(url, [2025])
    run.ingestion[kind] = figures


def main(argv: list[str] | None = None) -> int:
    """Run the suite; 0 when every measurement ran (targets missed or not), 1 when one could not."""
    args = _arguments(argv)
    if args.report_only:
        saved = Run(**json.loads(args.report_only.read_text(encoding="utf-8")))
        print(results.summary(saved), flush=True)
        args.out.write_text(results.markdown(saved), encoding="utf-8")
        print(f"wrote {args.out}")
        return 0
    started = time.monotonic()
    postgres = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG
    kinds = [kind.strip() for kind in args.databases.split(",") if kind.strip()]
    scale = sorted({int(years) for years in args.scale.split(",")})
    sizes = Sizes.quick() if args.quick else Sizes()
    workdir = Path(tempfile.mkdtemp(prefix="yorozu-bench-"))
    run = Run()
    children: list[object] = []
    redis = _redis(children)
    if "postgresql" in kinds and (why := asyncio.run(databases.postgres_answers(postgres))):
        print(f"PostgreSQL at {postgres} does not answer ({why}): PostgreSQL benchmarks skipped", flush=True)
        run.skipped["postgresql"] = why
        kinds.remove("postgresql")
    graphile_ok = not args.no_postgraphile
    if args.no_postgraphile:
        run.skipped["postgraphile"] = "--no-postgraphile given"
    try:
        for kind in kinds:
            url = _database_url(kind, "bench_yorozu", workdir, postgres)
            service = ServiceEnv(url, redis, f"bench:{uuid.uuid4().hex[:8]}", workdir)
            steps = sorted({*[y for y in scale if y < args.years], args.years})
            for years in steps:
                print(
                    f"[{kind}] loading {years} fiscal year(s) of monthly reports (parse + ingest)", flush=True
                )
                loaded = time.monotonic()
                stored = asyncio.run(load(url, fiscal_years(years), latest_month=sizes.latest_month))
                run.meta.setdefault("load_seconds", {})[f"{kind} +{stored} reports"] = (
                    time.monotonic() - loaded
                )
                with_graphile = graphile_ok and kind == "postgresql" and years == args.years
                measure_database(
                    run,
                    kind,
                    service,
                    years=years,
                    full=years == args.years,
                    sizes=sizes,
                    with_postgraphile=with_graphile,
                )
            for years in [y for y in scale if y > args.years and kind in args.scale_databases.split(",")]:
                print(f"[{kind}] loading up to {years} fiscal years for the scale benchmark", flush=True)
                asyncio.run(load(url, fiscal_years(years), latest_month=sizes.latest_month))
                measure_database(
                    run, kind, service, years=years, full=False, sizes=sizes, with_postgraphile=False
                )
            if kind in args.ingestion_databases.split(","):
                _ingestion(run, kind, args, workdir, postgres, redis, 6 if args.quick else 3)
    finally:
        for child in children:
            child.terminate()  # type: ignore[attr-defined]
    run.meta["elapsed_seconds"] = time.monotonic() - started
    run.meta["arguments"] = " ".join(sys.argv[1:] if argv is None else argv)
    machine.describe_machine(run, postgres if "postgresql" in kinds else None)
    print(results.summary(run), flush=True)
    args.out.write_text(results.markdown(run), encoding="utf-8")
    print(f"wrote {args.out}")
    if args.json:
        args.json.write_text(json.dumps(asdict(run), indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
