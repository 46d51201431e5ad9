"""What one benchmark run measured, as plain JSON-able records, and the issue's targets over them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: The database the targets are judged on (production's).
HEADLINE_DB = "postgresql"


@dataclass
class Run:
    """Everything one ``make bench`` measured; ``queries`` rows are ``LoadResult`` fields plus labels."""

    meta: dict[str, Any] = field(default_factory=dict)
    queries: list[dict[str, Any]] = field(default_factory=list)
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    ingestion: dict[str, dict[str, Any]] = field(default_factory=dict)
    scale: dict[str, dict[int, float]] = field(default_factory=dict)
    agreement: dict[str, str] = field(default_factory=dict)
    #: Database → contender → ``bench.interleaved.Latency`` fields: the side-by-side latencies.
    interleaved: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    def find(
        self, *, db: str, target: str, query: str, clients: int, cached: bool = False
    ) -> dict[str, Any] | None:
        """The one query row with these labels, if measured."""
        for row in self.queries:
            if (row["db"], row["target"], row["query"], row["clients"], row["cached"]) == (
                db,
                target,
                query,
                clients,
                cached,
            ):
                return row
        return None


@dataclass(frozen=True)
class Target:
    """One of the issue's targets: what is compared, the measured figure, the limit, and the verdict."""

    name: str
    measured: str
    limit: str
    met: bool | None  # None: not measured in this run


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def _value(row: dict[str, Any] | None, key: str) -> float | None:
    """A measured figure; none when not measured, or a latency when no answer arrived in time."""
    if row is None or (not row["requests"] and key != "throughput_rps"):
        return None
    return float(row[key])


#: The floors of an uncached dashboard (``bench/floor.py``): the same bytes, produced two ways.
FLOORS = ("dashboard", "dashboard (rows + Python)")
#: The floor of a cached repeat: the dashboard's bytes kept, served by the same uvicorn.
STATIC_FLOOR = "dashboard (static answer)"
#: The floors' routes (``bench/floor.py``) by the query name their figures carry.
FLOOR_PATHS = {FLOORS[0]: "/graphql", FLOORS[1]: "/python", STATIC_FLOOR: "/static"}
#: The dashboard's query shapes, each judged against the fastest floor.
SHAPES = ("dashboard", "dashboard, aliased", "dashboard, aliased with names")


def fastest_floor(run: Run, db: str) -> dict[str, Any] | None:
    """The floor row with the lowest 1-client p50 (the fastest producer of the dashboard's bytes)."""
    rows = [run.find(db=db, target="floor", query=name, clients=1) for name in FLOORS]
    measured = [row for row in rows if row is not None and row["requests"]]
    return min(measured, key=lambda row: float(row["p50_ms"]), default=None)


def side_by_side(run: Run, db: str) -> dict[str, tuple[str, float | None]] | None:
    """The side-by-side p50s of the shapes (name → (name, p50)) and, under ``floor``, the fastest
    floor's; None when not measured or when any answer there was wrong."""
    measured = run.interleaved.get(db)
    if not measured or any(row["errors"] or not row["requests"] for row in measured.values()):
        return None
    p50s: dict[str, tuple[str, float | None]] = {
        name: (name, float(measured[name]["p50_ms"])) for name in SHAPES if name in measured
    }
    floors = [(name, float(row["p50_ms"])) for name, row in measured.items() if name.startswith("floor: ")]
    if len(p50s) < len(SHAPES) or not floors:
        return None
    p50s["floor"] = min(floors, key=lambda item: item[1])
    return p50s


def targets(run: Run, db: str = HEADLINE_DB) -> list[Target]:
    """The issue's targets, judged on ``db``'s figures of this run."""
    service = run.find(db=db, target="service", query="dashboard", clients=1)
    service8 = run.find(db=db, target="service", query="dashboard", clients=8)
    floor = fastest_floor(run, db)
    graphile = run.find(db=db, target="postgraphile", query="dashboard (with cumulative)", clients=1)
    graphile8 = run.find(db=db, target="postgraphile", query="dashboard (with cumulative)", clients=8)
    cached = run.find(db=db, target="service", query="dashboard", clients=1, cached=True)
    static = run.find(db=db, target="floor", query=STATIC_FLOOR, clients=1, cached=True)
    side = side_by_side(run, db)
    if side is not None:  # asked in turn: the fair comparison (``bench.interleaved``)
        floor_name, floor_p50 = side["floor"]
        vs_floor = {name: _ratio(side[name][1], floor_p50) for name in SHAPES}
        aliased_vs_list = _ratio(side["dashboard, aliased"][1], side["dashboard"][1])
        how = f"side by side, fastest floor: {floor_name.removeprefix('floor: ')}"
    else:
        shapes = {name: run.find(db=db, target="service", query=name, clients=1) for name in SHAPES}
        vs_floor = {
            name: _ratio(_value(row, "p50_ms"), _value(floor, "p50_ms")) for name, row in shapes.items()
        }
        aliased_vs_list = _ratio(_value(shapes["dashboard, aliased"], "p50_ms"), _value(service, "p50_ms"))
        how = f"fastest floor: {floor['query'] if floor else '-'}"
    vs_graphile = _ratio(_value(service, "p50_ms"), _value(graphile, "p50_ms"))
    throughput = _ratio(_value(service8, "throughput_rps"), _value(graphile8, "throughput_rps"))
    cached_p50 = _value(cached, "p50_ms")
    cached_vs_static = _ratio(cached_p50, _value(static, "p50_ms"))
    statements = run.profiles.get(db, {}).get("statements")
    ingestion = run.ingestion.get(db, {})
    seed = ingestion.get("seed", {}).get("p50_ms")
    one_worker = next((b for b in ingestion.get("batches", []) if b["workers"] == 1), None)
    scale = {int(years): p50 for years, p50 in run.scale.get(db, {}).items()}
    # With one fiscal year stored there is no previous year for the page's changes to read (half the
    # rows): history grows from two years on, so flatness is judged from the smallest such store.
    base = min((years for years in scale if years >= 2 and years < max(scale)), default=min(scale, default=0))
    flat = _ratio(scale[max(scale)], scale[base]) if len(scale) > 1 else None

    def verdict(value: float | None, ok: bool) -> bool | None:
        return None if value is None else ok

    def fmt(value: float | None, spec: str, unit: str = "") -> str:
        return "not measured" if value is None else format(value, spec) + unit

    return [
        *(
            Target(
                f"{name} p50, uncached ÷ fastest floor ({how})",
                fmt(vs_floor[name], ".2f", "×"),
                "≤ 1.5×",
                verdict(vs_floor[name], (vs_floor[name] or 0) <= 1.5),
            )
            for name in SHAPES
        ),
        Target(
            f"dashboard p50, 14 aliased fields ÷ one list field{' (side by side)' if side else ''}",
            fmt(aliased_vs_list, ".2f", "×"),
            "0.9× to 1.1×",
            verdict(aliased_vs_list, 0.9 <= (aliased_vs_list or 0) <= 1.1),
        ),
        Target(
            "dashboard p50 ÷ PostGraphile p50 (with cumulative)",
            fmt(vs_graphile, ".2f", "×"),
            "≤ 0.4×",
            verdict(vs_graphile, (vs_graphile or 0) <= 0.4),
        ),
        Target(
            "dashboard throughput at 8 clients ÷ PostGraphile's",
            fmt(throughput, ".2f", "×"),
            "≥ 2×",
            verdict(throughput, (throughput or 0) >= 2),
        ),
        Target(
            "repeated identical dashboard query p50 ÷ the same bytes served static",
            fmt(cached_vs_static, ".2f", "×"),
            "≤ 1.5×",
            verdict(cached_vs_static, (cached_vs_static or 0) <= 1.5),
        ),
        Target(
            "repeated identical dashboard query p50 (response cache)",
            fmt(cached_p50, ".1f", " ms"),
            "≤ 5 ms",
            verdict(cached_p50, (cached_p50 or 0) <= 5),
        ),
        Target(
            "SQL statements per dashboard request",
            fmt(statements, "d") if statements is not None else "not measured",
            "≤ 10",
            verdict(statements, (statements or 0) <= 10),
        ),
        Target(
            "seed upload → SUCCEEDED p50",
            fmt(seed, ".0f", " ms"),
            "≤ 300 ms",
            verdict(seed, (seed or 0) <= 300),
        ),
        Target(
            f"{one_worker['reports'] if one_worker else 120} monthly reports through one worker",
            fmt(one_worker["total_seconds"] if one_worker else None, ".1f", " s"),
            "≤ 30 s",
            verdict(
                one_worker and one_worker["total_seconds"],
                bool(one_worker and one_worker["total_seconds"] <= 30),
            ),
        ),
        Target(
            f"prefecture page p50, {max(scale) if scale else '-'} ÷ {base if scale else '-'} "
            "fiscal years stored",
            fmt(flat, ".2f", "×"),
            "≤ 1.5× (flat)",
            verdict(flat, (flat or 0) <= 1.5),
        ),
    ]
