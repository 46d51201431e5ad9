"""The run's figures as text: the summary printed at the end and ``bench/RESULTS.md``."""

from __future__ import annotations

from typing import Any

from bench.figures import FLOORS, HEADLINE_DB, STATIC_FLOOR, Run, fastest_floor, side_by_side, targets


def _verdict(met: bool | None) -> str:
    return {True: "met", False: "**missed**", None: "not measured"}[met]


def _target_lines(run: Run) -> list[str]:
    db = (
        HEADLINE_DB
        if any(r["db"] == HEADLINE_DB for r in run.queries)
        else (run.queries[0]["db"] if run.queries else HEADLINE_DB)
    )
    lines = [f"| target ({db}) | measured | limit | verdict |", "|---|---|---|---|"]
    lines += [f"| {t.name} | {t.measured} | {t.limit} | {_verdict(t.met)} |" for t in targets(run, db)]
    return lines


def _query_lines(run: Run) -> list[str]:
    lines = [
        "| database | target | query | cache | 1 client p50 | 1 client p99 | 8 clients | 64 clients "
        "| answer |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    seen: set[tuple[str, str, str, bool]] = set()
    for row in run.queries:
        key = (row["db"], row["target"], row["query"], row["cached"])
        if key in seen:
            continue
        seen.add(key)
        cells = {
            clients: run.find(db=key[0], target=key[1], query=key[2], clients=clients, cached=key[3])
            for clients in (1, 8, 64)
        }

        def rate(r: dict[str, Any] | None) -> str:
            if r is None:
                return "–"
            return (
                f"{r['throughput_rps']:,.1f} req/s"
                + (" (capped)" if r["capped"] else "")
                + (f", {r['errors']} errors" if r["errors"] else "")
            )

        one = cells[1]
        p50 = f"{one['p50_ms']:,.1f} ms" if one else "–"
        p99 = f"{one['p99_ms']:,.1f} ms" if one else "–"
        size = (
            f"{row['response_bytes'] / 1e6:.2f} MB"
            if row["response_bytes"] >= 1e5
            else f"{row['response_bytes'] / 1e3:.1f} kB"
        )
        lines.append(
            f"| {key[0]} | {key[1]} | {key[2]} | {'cached' if key[3] else 'uncached'} | {p50} | {p99} | "
            f"{rate(cells[8])} | {rate(cells[64])} | {size} |"
        )
    return lines


def _ratio_lines(run: Run) -> list[str]:
    lines = [
        "| database | service p50 | 14 aliased fields p50 | floor p50: SQL windows / rows + Python | "
        "service ÷ fastest floor | PostGraphile p50 (cumulative) | service ÷ PostGraphile | "
        "8-client req/s service ÷ PostGraphile | cached p50 ÷ static bytes p50 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for db in sorted({r["db"] for r in run.queries}):
        service = run.find(db=db, target="service", query="dashboard", clients=1)
        aliased = run.find(db=db, target="service", query="dashboard, aliased", clients=1)
        floors = [run.find(db=db, target="floor", query=name, clients=1) for name in FLOORS]
        floor = fastest_floor(run, db)
        graphile = run.find(db=db, target="postgraphile", query="dashboard (with cumulative)", clients=1)
        s8 = run.find(db=db, target="service", query="dashboard", clients=8)
        g8 = run.find(db=db, target="postgraphile", query="dashboard (with cumulative)", clients=8)
        cached = run.find(db=db, target="service", query="dashboard", clients=1, cached=True)
        static = run.find(db=db, target="floor", query=STATIC_FLOOR, clients=1, cached=True)

        def ms(row: dict[str, Any] | None) -> str:
            return f"{row['p50_ms']:,.1f} ms" if row else "–"

        def ratio(a: float | None, b: float | None) -> str:
            return f"{a / b:.2f}×" if a is not None and b else "–"

        def p(row: dict[str, Any] | None) -> float | None:
            return float(row["p50_ms"]) if row else None

        def t(row: dict[str, Any] | None) -> float | None:
            return float(row["throughput_rps"]) if row else None

        lines.append(
            f"| {db} | {ms(service)} | {ms(aliased)} | {' / '.join(ms(f) for f in floors)} | "
            f"{ratio(p(service), p(floor))} | {ms(graphile)} | {ratio(p(service), p(graphile))} | "
            f"{ratio(t(s8), t(g8))} | {ratio(p(cached), p(static))} |"
        )
    return lines


def _side_by_side_lines(run: Run) -> list[str]:
    lines = [
        "| database | asked in turn | p50 | p90 | answers | ÷ fastest floor |",
        "|---|---|---|---|---|---|",
    ]
    for db, measured in sorted(run.interleaved.items()):
        fastest = side_by_side(run, db)
        floor_p50 = fastest["floor"][1] if fastest else None
        for name, row in measured.items():
            ratio = f"{row['p50_ms'] / floor_p50:.2f}×" if floor_p50 else "–"
            errors = f" ({row['errors']} wrong: {row['first_error']})" if row["errors"] else ""
            lines.append(
                f"| {db} | {name} | {row['p50_ms']:,.1f} ms | {row['p90_ms']:,.1f} ms | "
                f"{row['requests']}{errors} | {ratio} |"
            )
    return lines


def _ingestion_lines(run: Run) -> list[str]:
    lines = ["| database | measurement | result |", "|---|---|---|"]
    for db, figures in run.ingestion.items():
        for key, label in (
            ("seed", "arq default poll_delay (0.5 s)"),
            ("seed_fast_poll", "poll_delay 0.05 s"),
        ):
            seed = figures[key]
            lines.append(
                f"| {db} | seed upload → SUCCEEDED, {label} | p50 {seed['p50_ms']:,.0f} ms, max "
                f"{seed['max_ms']:,.0f} ms over {seed['uploads']} uploads, {seed['failed']} failed |"
            )
        for batch in figures["batches"]:
            lines.append(
                f"| {db} | {batch['reports']} monthly reports queued, {batch['workers']} worker(s) | "
                f"{batch['total_seconds']:.1f} s ({batch['reports_per_second']:.1f} reports/s; "
                f"first done after {batch['startup_seconds']:.1f} s, start-up included), "
                f"{batch['failed']} failed |"
            )
        if "statements" in figures:
            profile = figures["statements"]
            top = "; ".join(f"`{sql}…` {ms:,.0f} ms" for sql, ms in profile["statements_ms"].items())
            lines.append(
                f"| {db} | the 12th monthly report of a year, parsed and stored without the queue: SQL "
                f"by statement | {profile['total_ms']:,.0f} ms in all; {top} |"
            )
    return lines


def _scale_lines(run: Run) -> list[str]:
    lines = [
        "With one fiscal year stored the page has no previous year to read for its changes (half the rows",
        "per query), so flatness is judged from the smallest store of two years or more to the largest.",
        "",
        "| database | fiscal years stored | prefecture page p50 (1 client) |",
        "|---|---|---|",
    ]
    for db, by_years in run.scale.items():
        lines += [f"| {db} | {years} | {p50:,.1f} ms |" for years, p50 in sorted(by_years.items())]
    return lines


def _profile_lines(run: Run) -> list[str]:
    lines: list[str] = []
    for db, profile in run.profiles.items():
        if "error" in profile:
            lines += [f"### {db}", "", f"profile failed: `{profile['error'][-300:]}`", ""]
            continue
        total = sum(profile["by_library"].values()) or 1
        lines += [
            f"### {db}: {profile['statements']} SQL statements per dashboard request",
            "",
            "| where (self time, callees of built-ins counted to their caller) | share |",
            "|---|---|",
        ]
        lines += [
            f"| {name} | {seconds / total:.0%} |"
            for name, seconds in profile["by_library"].items()
            if seconds / total >= 0.005
        ]
        tree = profile["text"].splitlines()
        lines += [
            "",
            "<details><summary>pyinstrument call tree</summary>",
            "",
            "```",
            *tree[:90],
            "```",
            "",
            "</details>",
            "",
        ]
    return lines


def findings(run: Run) -> list[str]:
    """What stands in the way of the missed targets, read off this run's figures."""
    notes: list[str] = []
    db = HEADLINE_DB if HEADLINE_DB in run.profiles else next(iter(run.profiles), HEADLINE_DB)
    profile = run.profiles.get(db, {})
    if "by_library" in profile:
        total = sum(profile["by_library"].values()) or 1
        graphql = sum(
            s for n, s in profile["by_library"].items() if n.startswith(("graphql-core", "strawberry"))
        )
        database = sum(
            s for n, s in profile["by_library"].items() if n.startswith(("SQLAlchemy", "awaiting"))
        )
        ratio = _dashboard_ratio(run, db)
        if ratio is not None and ratio > 1.5:
            notes.append(
                f"- Dashboard query ({db}): {ratio:.2f}× the fastest floor. {graphql / total:.0%} of the "
                f"service's time is GraphQL execution (~{_points(run, db):,} observations × 8 fields plus "
                f"nested objects), {database / total:.0%} the database; the rest is building the figures and "
                "the observation objects in Python (see the profile below)."
            )
    cached = run.find(db=db, target="service", query="dashboard", clients=1, cached=True)
    static = run.find(db=db, target="floor", query=STATIC_FLOOR, clients=1, cached=True)
    if cached and static and cached["p50_ms"] > 1.5 * static["p50_ms"]:
        notes.append(
            f"- Identical repeated dashboard queries take {cached['p50_ms']:,.1f} ms against "
            f"{static['p50_ms']:,.1f} ms for the same bytes served static by the same uvicorn. A hit "
            "reads no database while the data version's push channel is live; the difference is the "
            "middleware, the request's digest and the cache lookup."
        )
    if cached and static and cached["p50_ms"] > 5 and static["p50_ms"] > 5 / 1.5:
        share = cached["p50_ms"] / static["p50_ms"]
        notes.append(
            f"- The cached repeat's absolute limit (≤ 5 ms, issue 6) is near or below what this machine "
            f"takes to send the same bytes static: {static['p50_ms']:,.1f} ms by the same uvicorn, "
            f"against {cached['p50_ms']:,.1f} ms for the cache hit ({share:.2f}×)."
        )
    seed = run.ingestion.get(db, {}).get("seed")
    fast = run.ingestion.get(db, {}).get("seed_fast_poll")
    if seed and fast and seed["p50_ms"] > 300:
        notes.append(
            f"- Upload → SUCCEEDED p50 is {seed['p50_ms']:,.0f} ms with arq's default `poll_delay` of 0.5 s "
            f"and {fast['p50_ms']:,.0f} ms with 0.05 s: the worker sleeps between polls of an empty queue. "
            "`WorkerSettings.poll_delay` (e.g. a `WORKER_POLL_DELAY_SECONDS` setting, 0.05 s) removes it."
        )
    notes += _ingestion_findings(run, db)
    notes += [
        f"- Errors under load ({row['db']}, {row['query']}, {row['clients']} clients): "
        f"{row['errors']} answers were errors, e.g. `{row['first_errors'][0][:160]}`."
        for row in run.queries
        if row["errors"] and row["first_errors"]
    ]
    return notes or ["- Every target measured in this run was met."]


def _dashboard_ratio(run: Run, db: str) -> float | None:
    """The dashboard ÷ the fastest floor as the target judges it: side by side when measured so."""
    paired = side_by_side(run, db)
    if paired is not None:
        service_p50, floor_p50 = paired["dashboard"][1], paired["floor"][1]
        return None if not service_p50 or not floor_p50 else service_p50 / floor_p50
    service = run.find(db=db, target="service", query="dashboard", clients=1)
    floor = fastest_floor(run, db)
    return None if not service or not floor else service["p50_ms"] / floor["p50_ms"]


#: What profiling found and what was changed (kept with the results; the figures above are this run's).
PROFILE_FINDINGS = [
    "Issue 15 (cProfile and per-request timers in process, PostgreSQL, 2 fiscal years stored, on a",
    "machine shared with other work, so minimums of interleaved runs are compared):",
    "",
    "| dashboard as 14 aliased fields, per request | before | after |",
    "|---|---|---|",
    "| figure loads (statements on `observation`) | 5 | 1, as the list field |",
    "| validations of the document | every request | first request only |",
    "| completion plans compiled (`exec`) | 42 | 0 after the first request |",
    "| p50 ÷ the list field's (minimum of 15 interleaved runs) | 1.6× to 2× | ~1.05× |",
    "",
    "- The aliases reached the figure loader in different turns of the event loop, so the DataLoader",
    "  split them into 5 batches: each alias awaited the indicator table behind a lock that woke its",
    "  waiters one turn at a time. One shared read of the table now wakes them all in the same turn.",
    "- strawberry's `ValidationCache` keys on the validation rules, and the depth/alias rule was a new",
    "  class per request: every validation missed. The rule is now made once.",
    "- Completion plans (`service/graphql/execution.py`) were compiled per request and per alias; the",
    "  generated source is the same for the same selection, so its compiled code is kept.",
    "- A prefecture's series is computed once per figure key and request, however many aliases ask.",
    "- Floors: the plain current rows with the arithmetic in Python took about half the time of the",
    "  window-function statement (in process: 55 ms against 112 ms, minimums), so targets judge against",
    "  the faster; both produce the service's bytes exactly, global ids and order included (the",
    "  previous floor left the 23,688 ids of a dashboard answer out).",
    "- A cache hit in process (the whole middleware stack, as the request log times it): ~0.3 ms, no",
    "  statement while the data version's push channel is live.",
    "- After the run below: a nested object that many items of a list point at (the 47 prefectures and",
    "  12 indicators of 7,896 observations) is completed once per list and its dict shared. In process,",
    "  interleaved, the same bytes: list dashboard p50 121 ms (min 92), 14 aliased fields 121 ms (min",
    "  91), rows + Python floor 58 ms (min 43), window floor 124 ms: 2.1× the fastest floor, 2.45×",
    "  before the change; aliased ÷ list 1.00×.",
    "",
    "Then (py-spy at 400 Hz, per-stage timers, `gc.callbacks`, 7,896 observations, in process):",
    "",
    "| list dashboard, per request, in process | before | after |",
    "|---|---|---|",
    "| garbage left for the collector | 9,944 objects (7,896 points) | 477 (the list) |",
    "| young collections | one every 4 requests, ~12 ms each | none in 20 requests |",
    "| parsing the document (aliased / list / with names) | 4.2 / 0.6 / 3.0 ms | once per text |",
    "| building the 14 aliases' plans | ~2 ms | once per document |",
    "| completing the answer (plan over 7,896 observations) | 15-20 ms | 10.6 ms |",
    "| series (cumulative, share, rank, changes) | 5.5 ms | 4.3 ms |",
    "| observation objects | 3.6 ms | 2.4 ms |",
    "| whole request (median of 20) | 52-64 ms | 41 ms (aliased 41 ms) |",
    "",
    "- The loaders held their load functions, methods of the object holding the loaders: a cycle, so",
    "  everything a request loaded (a dashboard's points and month lists) waited for the garbage",
    "  collector, whose young collections then walked it. `Loaders.forget()` drops it when the",
    "  operation ends.",
    "- graphql-core's parser (pure Python) ran on every request: `ParsedDocuments` keeps each query",
    "  text's document (LRU of 256; refused texts are refused again each time), and the list plans,",
    "  keyed by the shared document's nodes, are kept across requests (per request when the document",
    "  has directives, whose variables may change the selection).",
    '- Resolvers that only return an attribute path are marked `@reads("point.value")` and read',
    "  inline by the plans (a test checks each body against its path); a list of objects is compiled",
    "  with its loop; the shared prefecture and indicator dicts are looked up inline; an observation's",
    "  id is its series' stem plus the month, base64 inline.",
    "",
    "What remains (py-spy, 400 Hz, 100 list dashboards in process; share of request time): completing",
    "the answer 37% (global ids 14%: 7,896 base64 ids, as the floor also computes; building the",
    "7,896 dicts 9%), the series 15%, loading the figures 14% (SQLAlchemy rows 5%, filling the month",
    "lists 7%), orjson 9%, building the observations 8%, graphql-core and strawberry 5%, the view and",
    "middleware 5%. Per stage: load 11 ms (the statement ~5), series 4 ms, observations 3 ms,",
    "completion 11 ms, orjson 3.5 ms: ~41 ms against the rows + Python floor's ~28 ms in process.",
    "",
    "Then (2026-12-08, on a machine about 2.5 times slower per core than the runs above:",
    "`sum(range(1000))` takes 18 µs; figures of this machine, PostgreSQL, 10 fiscal years stored):",
    "",
    "| list dashboard, per request | before | after |",
    "|---|---|---|",
    "| reading the figures (7,896 rows, median of 60) | 19.5 ms (`Result.all()`) | 12.2 ms |",
    "| observation ids | one base64 each (0.64 µs) | a head joined to a month tail |",
    "| observation objects | 7,896 made, then freed | none: (point, series) tuples |",
    "| ÷ rows + Python floor, list (paired, 40 rounds, twice) | 1.58, 1.49 | 1.46, 1.40 |",
    "| ÷ rows + Python floor, aliased (the same) | 1.53, 1.50 | 1.51, 1.49 |",
    "",
    "- SQLAlchemy still runs the figure statement (its errors, its connection handling); only its",
    "  `Row` objects are skipped where it would not convert a value (`service/db/figures.py`,",
    "  `driver_rows`; a test compares both reads on SQLite and PostgreSQL, and one with a converted",
    "  column).",
    "- `@reads` takes expressions over attributes (items and `+`), so the id is read inline, and",
    "  `reads.Built` answers a list as its objects' parts: a plan whose fields read only the parts",
    "  completes the tuples; graphql-core's general path builds each object as it reads it.",
    "- The floors got what the service has: the rows + Python floor joins its ids the same way, and",
    "  both floors run with the service's garbage-collector settings (`service/collector.py`). Side",
    "  by side the window floor went from 165 to 126 ms and the rows + Python floor from about 80",
    "  to 72-77 ms, so the ratios above are against a faster floor than before.",
    "",
    "What remains (py-spy, 500 Hz, 300 aliased dashboards on a fresh server; share of samples):",
    "completing the answer 22%, loading the figures 15% (filling the month lists ~6 ms of it),",
    "waiting for and decoding rows 14%, the series 11%, orjson 7%, ordering the observations 6%,",
    "graphql-core 4%, sending 3%, middleware 2%, the rest (event loop, argument conversion, the",
    "pool's ping, BEGIN and ROLLBACK) 15%. The completion loop against a bare list comprehension",
    "over the same tuples (no type checks, nested objects not completed): 19-24 ms against 12-15",
    "ms; variants without the checks, without the shared-dict lookups, or written as one",
    "comprehension differed within the noise. The aliased shape costs ~6 ms more than the list in",
    "process: strawberry converts each field's 17 arguments and its selection per alias, and the",
    "shared prefecture and indicator dicts are completed per alias (672 nested completions, 59 for",
    "the list).",
    "",
    "Ingestion on this machine (the 12th monthly report of a year, 7,000 figures, 248 ms in process):",
    "155 ms in statements, most of it PostgreSQL's: making the earlier figures not current (40 ms for",
    "7,000 rows; the same with `= ANY(array)` instead of `IN (…)`: the cost is the rows and the",
    "index on `is_current`, not the statement), inserting the figures (36 ms), the printed",
    "cumulatives (21 + 15 ms); parsing took 8.6 ms.",
    "",
    "Earlier steps:",
    "",
    "Measured with py-spy (sampling, no per-call overhead) and per-stage timers on the dashboard query,",
    "in process, PostgreSQL, 2 fiscal years stored. pyinstrument's call tree (below) inflates",
    "call-heavy code and pointed at graphql-core; the timers did not agree, so the changes follow them.",
    "",
    "| stage (per dashboard request, in process) | before | after |",
    "|---|---|---|",
    "| whole request | 300 ms | 120 ms |",
    "| garbage collection (full collections walking every live object) | ~100 ms | ~0 |",
    "| loading figures (`figures._fill`: statements + rows into dicts) | 152 ms (GC included) | 28 ms |",
    "| computing series (`prefecture_series`, 658 calls) | 64 ms | 19 ms |",
    "| completing the answer (compiled plans, `service/graphql/execution.py`) | 30 ms | 34 ms |",
    "| JSON (orjson) | 5 ms | 4 ms |",
    "",
    "- Garbage collection was a third of the time: a dashboard answer allocates ~100,000 objects, so",
    "  CPython's default threshold (700) ran hundreds of collections per request, the full ones walking",
    "  every object of the process. `service/collector.py` freezes what start-up left and raises the",
    "  young threshold (API and worker).",
    "- Loading: figures were stored as `{(year, month): value}` dicts per prefecture and each point was",
    "  a frozen dataclass; now one twelve-slot list per prefecture and a NamedTuple per point, the",
    "  printed 累計値/合計 are read only when a printed field is selected (`FigureKey.printed`), and",
    "  current rows are read without `ORDER BY`.",
    "- Computing the cumulative, rank and share in SQL (window functions) was tried and measured",
    "  slower here: each window sorts the rows, and PostgreSQL took 25-30 ms per multi-key sort of the",
    "  dashboard's 8,000 rows (the floor's statement alone takes 60-75 ms in psql on this machine),",
    "  against ~20 ms for the whole computation in Python over the twelve-slot lists.",
    "- `observations` is built in answer order (fiscal month, prefecture, key) instead of sorting",
    "  tuples of every point.",
    "- Ingestion: `recompute_current` rewrote `is_current` for every row of the fiscal year with a",
    "  correlated `max(precedence)` per row, and `reported_cumulative` had no index on its key. Now a",
    "  stored report compares each figure it holds with the key's current row and flips only those",
    "  (`workers.ingest._make_current`), and migration 0004 indexes the keys. 12th report of a year:",
    "  641 ms → ~230 ms; 120 reports: 69 s (78 s on this day's slower machine) → 30 s.",
]


def _ingestion_findings(run: Run, db: str) -> list[str]:
    figures = run.ingestion.get(db, {})
    batches = {b["workers"]: b for b in figures.get("batches", [])}
    profile = figures.get("statements")
    if 1 not in batches or batches[1]["total_seconds"] <= 30 or not profile:
        return []
    statements = profile["statements_ms"]
    largest = ", ".join(f"`{sql}…` {ms:,.0f} ms" for sql, ms in list(statements.items())[:3])
    in_statements = sum(statements.values())
    two = f" and {batches[2]['total_seconds']:.1f} s through two" if 2 in batches else ""
    per_report = batches[1]["total_seconds"] / max(batches[1]["reports"], 1)
    return [
        f"- {batches[1]['reports']} monthly reports take {batches[1]['total_seconds']:.1f} s through one "
        f"worker{two}, {batches[1]['startup_seconds']:.1f} s of it the worker's start-up; ingestions are "
        f"serialised by a lock, so a second worker adds little. Each report takes {per_report * 1000:,.0f} "
        f"ms; storing the 12th report of a year {profile['total_ms']:,.0f} ms, "
        f"{in_statements / profile['total_ms']:.0%} of it in statements (largest: {largest}); the rest "
        "is parsing (~9 ms), building the rows and the job's own status updates."
    ]


def _points(run: Run, db: str) -> int:
    for line in run.agreement.get(db, "").split("("):
        if "points" in line:
            return int(line.split()[0])
    return 0


_NOTES = [
    "- The load tool (async httpx), the service, the database and PostGraphile share the same cores;",
    "  absolute figures include the client's own CPU use. Ratios within one run are what the targets",
    "  judge.",
    "- The service runs as in production: `python -m service.server` (uvicorn with the client limits,",
    "  one process, no reload, logs at WARNING, no access log) and `arq workers.WorkerSettings`.",
    "- Each measurement: a fixed warm-up (requests sent one at a time), then N clients for a fixed number",
    "  of requests, capped in time; `(capped)` means the cap ended the run: no request starts after it,",
    "  those in flight get half the cap again to finish, the rest are abandoned and the API is restarted",
    "  so they do not weigh on the next measurement. Throughput is completed answers over the whole window.",
    "  An answer counts only with status 200 and no `errors`; a sample (the first and every 25th) is also",
    "  parsed and checked for the expected number of points.",
]


def markdown(run: Run) -> str:
    """``bench/RESULTS.md``."""
    meta = run.meta
    versions = ", ".join(f"{name} {version}" for name, version in meta.get("versions", {}).items())
    skipped = [f"- {what} skipped: {why}" for what, why in run.skipped.items()]
    return (
        "\n".join(
            [
                "# Benchmark results",
                "",
                f"`make bench` (`python -m bench.run {meta.get('arguments', '')}`), {meta.get('date')}, "
                f"{meta.get('elapsed_seconds', 0) / 60:.1f} minutes in all.",
                "",
                f"- Machine: {meta.get('machine')}; {meta.get('platform')}.",
                f"- Versions: {versions}.",
                *_NOTES,
                *skipped,
                "",
                "## Targets",
                "",
                *_target_lines(run),
                "",
                "## What stands in the way",
                "",
                *findings(run),
                "",
                "## What the profiles showed, and what changed",
                "",
                *PROFILE_FINDINGS,
                "",
                "## Dashboard: service, raw floors, PostGraphile",
                "",
                *_ratio_lines(run),
                "",
                "Floor vs service answers: "
                + "; ".join(f"{db}: {text}" for db, text in run.agreement.items()),
                "",
                "Side by side (`bench/interleaved.py`): one client asks each shape and each floor in "
                "turn, round after round, so that every one meets the same moments of the shared "
                "machine; the latency targets above are judged on these p50s.",
                "",
                *_side_by_side_lines(run),
                "",
                "## Every query measurement",
                "",
                *_query_lines(run),
                "",
                "## Ingestion",
                "",
                *_ingestion_lines(run),
                "",
                "## Scale",
                "",
                *_scale_lines(run),
                "",
                "## Profile of the dashboard query in the service",
                "",
                *_profile_lines(run),
            ]
        )
        + "\n"
    )


def summary(run: Run) -> str:
    """The figures printed at the end of ``make bench``."""
    return "\n".join(
        [
            "",
            "== Targets ==",
            *_target_lines(run),
            "",
            "== Dashboard ratios ==",
            *_ratio_lines(run),
            "",
            "== Ingestion ==",
            *_ingestion_lines(run),
            "",
            "== Scale ==",
            *_scale_lines(run),
            "",
            "== In the way ==",
            *findings(run),
            "",
        ]
    )
