"""The raw floors: the dashboard's figures with no GraphQL, produced the fastest ways we know.

    FLOOR_DATABASE_URL=postgresql+asyncpg://… uvicorn bench.floor:app

A tiny Starlette app, served over HTTP on loopback so the same load tool measures it as the
service. Each route takes the dashboard's variables (``fiscalYear``, ``indicators``; the query
text is ignored) and answers the service's JSON byte for byte (global ids and order included):
cumulative (April to the month), rank (1 = largest, ties share a rank) and share of the national
sum, as ``service.domain.figures`` computes them:

- ``POST /graphql``: ONE SQL statement computing them with window functions, and orjson;
- ``POST /python``: the current rows read plainly, the arithmetic in Python, and orjson;
- ``POST /static``: the answer computed once, then the same bytes every time (the floor of a
  cached repeat: what the uvicorn itself costs to send 1.3 MB).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import aiosqlite
import asyncpg
import orjson
from sqlalchemy.engine import make_url
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from service import collector
from service.domain import reference
from service.domain.fiscal import FISCAL_MONTHS, FISCAL_SLOT
from service.graphql.types.node import encode_global_id
from service.graphql.types.observations import global_id_parts

_FISCAL_ORDER = "(month + 8) % 12"
_SELECT = f"""
SELECT indicator_code, prefecture_code, month, breakdown, value,
  CAST(SUM(value) OVER (PARTITION BY indicator_code, prefecture_code, breakdown
                        ORDER BY {_FISCAL_ORDER} ROWS UNBOUNDED PRECEDING) AS BIGINT) AS cumulative,
  RANK() OVER (PARTITION BY indicator_code, breakdown, month ORDER BY value DESC) AS rank,
  CAST(value AS DOUBLE PRECISION)
    / NULLIF(CAST(SUM(value) OVER (PARTITION BY indicator_code, breakdown, month) AS DOUBLE PRECISION), 0)
    AS share
FROM observation
WHERE is_current AND fiscal_year = {{year}} AND indicator_code {{codes}}
ORDER BY indicator_code, prefecture_code, breakdown, {_FISCAL_ORDER}
"""
POSTGRES_SQL = _SELECT.format(year="$1", codes="= ANY($2)")
_PLAIN = """
SELECT indicator_code, prefecture_code, breakdown, month, value
FROM observation WHERE is_current AND fiscal_year = {year} AND indicator_code {codes}
"""
PLAIN_POSTGRES_SQL = _PLAIN.format(year="$1", codes="= ANY($2)")

Row = Sequence[Any]
_BREAKDOWNS = {spec.code: spec.breakdowns for spec in reference.indicator_catalogue()}


def sqlite_sql(codes: int, *, plain: bool = False) -> str:
    """The floor's statement for SQLite, with ``codes`` placeholders for the indicator codes."""
    return (_PLAIN if plain else _SELECT).format(year="?", codes=f"IN ({', '.join('?' * codes)})")


def computed(plain: list[Row]) -> list[Row]:
    """The window statement's rows from the plain ones: cumulative, rank and share in Python."""
    series: dict[tuple[str, str, str], list[int | None]] = {}
    for code, pref, breakdown, month, value in plain:
        slots = series.get((code, pref, breakdown))
        if slots is None:
            slots = series[(code, pref, breakdown)] = [None] * 12
        slots[FISCAL_SLOT[month]] = value
    columns: dict[tuple[str, str, int], list[int]] = {}
    for (code, _, breakdown), slots in series.items():
        for slot, value in enumerate(slots):
            if value is not None:
                columns.setdefault((code, breakdown, slot), []).append(value)
    national = {key: sum(values) for key, values in columns.items()}
    ranks: dict[tuple[str, str, int], dict[int, int]] = {}
    for key, values in columns.items():
        rank = ranks[key] = {}
        for position, value in enumerate(sorted(values, reverse=True), 1):
            rank.setdefault(value, position)  # ties share the first position
    rows: list[Row] = []
    for (code, pref, breakdown), slots in sorted(series.items()):
        running = 0
        for slot, value in enumerate(slots):
            if value is None:
                continue
            running += value
            total = national[(code, breakdown, slot)]
            rank_of = ranks[(code, breakdown, slot)][value]
            share = value / total if total else None
            rows.append((code, pref, FISCAL_MONTHS[slot], breakdown, value, running, rank_of, share))
    return rows


def answer(rows: list[Row], fiscal_year: int, codes: list[str]) -> bytes:
    """The service's answer to the dashboard, byte for byte, from the statement's rows: the
    global ids it gives, in its order (fiscal month, prefecture, then indicator as asked and
    breakdown as catalogued)."""
    position = {
        (code, breakdown): n
        for n, (code, breakdown) in enumerate(
            (code, breakdown) for code in codes for breakdown in _BREAKDOWNS.get(code, ())
        )
    }
    ordered = sorted(rows, key=lambda r: (FISCAL_SLOT[r[2]], r[1], position[(r[0], r[3])]))
    indicators = {code: {"id": encode_global_id("Indicator", code), "code": code} for code in codes}
    prefectures = {
        p.code: {"id": encode_global_id("Prefecture", p.code), "code": p.code}
        for p in reference.prefectures()
    }
    # Each id is its series' encoded head and a shared month tail, as the service joins them.
    ids: dict[tuple[str, str, str], tuple[str, dict[int, str]]] = {}
    observations = []
    for code, pref, month, breakdown, value, cumulative, rank, share in ordered:
        parts = ids.get((code, pref, breakdown))
        if parts is None:
            stem = f"Observation:{code}:{pref}:{breakdown}:{fiscal_year}:"
            parts = ids[(code, pref, breakdown)] = global_id_parts(stem.encode())
        observations.append(
            {
                "id": parts[0] + parts[1][month],
                "indicator": indicators[code],
                "prefecture": prefectures[pref],
                "month": month,
                "breakdown": breakdown,
                "value": value,
                "cumulative": cumulative,
                "rank": rank,
                "shareOfNational": share,
            }
        )
    return orjson.dumps({"data": {"observations": observations}})


class _Figures:
    """One connection pool (PostgreSQL) or connection (SQLite) running the floor's statement."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.pool: asyncpg.Pool | None = None
        self.sqlite: aiosqlite.Connection | None = None

    async def open(self) -> None:
        if self.url.get_backend_name() == "sqlite":
            self.sqlite = await aiosqlite.connect(self.url.database or "")
            return
        self.pool = await asyncpg.create_pool(
            host=self.url.host,
            port=self.url.port,
            user=self.url.username,
            password=self.url.password,
            database=self.url.database,
            min_size=2,
            max_size=10,
        )

    async def close(self) -> None:
        if self.pool is not None:
            await self.pool.close()
        if self.sqlite is not None:
            await self.sqlite.close()

    async def rows(self, fiscal_year: int, codes: list[str], *, plain: bool = False) -> list[Row]:
        """The window statement's rows, or (``plain``) the current rows as stored."""
        if self.pool is not None:
            sql = PLAIN_POSTGRES_SQL if plain else POSTGRES_SQL
            return list(await self.pool.fetch(sql, fiscal_year, codes))
        assert self.sqlite is not None
        cursor = await self.sqlite.execute(sqlite_sql(len(codes), plain=plain), [fiscal_year, *codes])
        return list(await cursor.fetchall())


def create_app(url: str) -> Starlette:
    """The floor's app over the database at ``url`` (a service DATABASE_URL)."""
    figures = _Figures(url)
    all_codes = [spec.code for spec in reference.indicator_catalogue()]

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await figures.open()
        # The service's garbage-collector settings: like for like (a dashboard's ~30,000
        # short-lived objects would otherwise start a collection every 700 allocations here).
        collector.settle_after_start_up()
        try:
            yield
        finally:
            await figures.close()

    async def variables(request: Request) -> tuple[int, list[str]]:
        asked = orjson.loads(await request.body()).get("variables") or {}
        return int(asked.get("fiscalYear", 2026)), asked.get("indicators", all_codes)

    async def windows(request: Request) -> Response:
        fiscal_year, codes = await variables(request)
        rows = await figures.rows(fiscal_year, codes)
        return Response(answer(rows, fiscal_year, codes), media_type="application/json")

    async def python(request: Request) -> Response:
        fiscal_year, codes = await variables(request)
        rows = computed(await figures.rows(fiscal_year, codes, plain=True))
        return Response(answer(rows, fiscal_year, codes), media_type="application/json")

    kept: dict[tuple[int, tuple[str, ...]], bytes] = {}

    async def static(request: Request) -> Response:
        fiscal_year, codes = await variables(request)
        body = kept.get((fiscal_year, tuple(codes)))
        if body is None:
            rows = await figures.rows(fiscal_year, codes)
            body = kept[(fiscal_year, tuple(codes))] = answer(rows, fiscal_year, codes)
        return Response(body, media_type="application/json")

    return Starlette(
        routes=[
            Route("/graphql", windows, methods=["POST"]),
            Route("/python", python, methods=["POST"]),
            Route("/static", static, methods=["POST"]),
        ],
        lifespan=lifespan,
    )


def __getattr__(name: str) -> Any:
    # ``uvicorn bench.floor:app``: built on first access, so importing the module needs no database.
    if name == "app":
        return create_app(os.environ["FLOOR_DATABASE_URL"])
    raise AttributeError(name)
