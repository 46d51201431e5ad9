"""The raw floor: the dashboard's figures from ONE SQL query (window functions) and orjson, no GraphQL.

    FLOOR_DATABASE_URL=postgresql+asyncpg://… uvicorn bench.floor:app

A tiny Starlette app, served over HTTP on loopback so the same load tool measures it as the
service. ``POST /graphql`` takes the dashboard's variables (``fiscalYear``, ``indicators``; the
query text is ignored) and answers the same JSON shape as the service: cumulative (April to the
month), rank (1 = largest, ties share a rank) and share of the national sum, as
``service.domain.figures`` computes them.
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

from service.domain import reference

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

Row = Sequence[Any]


def sqlite_sql(codes: int) -> str:
    """The floor's statement for SQLite, with ``codes`` placeholders for the indicator codes."""
    return _SELECT.format(year="?", codes=f"IN ({', '.join('?' * codes)})")


def answer(rows: list[Row]) -> bytes:
    """The service's answer shape for the dashboard, from the statement's rows."""
    return orjson.dumps(
        {
            "data": {
                "observations": [
                    {
                        "indicator": {"code": code},
                        "prefecture": {"code": pref},
                        "month": month,
                        "breakdown": breakdown,
                        "value": value,
                        "cumulative": cumulative,
                        "rank": rank,
                        "shareOfNational": share,
                    }
                    for code, pref, month, breakdown, value, cumulative, rank, share in rows
                ]
            }
        }
    )


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

    async def rows(self, fiscal_year: int, codes: list[str]) -> list[Row]:
        if self.pool is not None:
            return list(await self.pool.fetch(POSTGRES_SQL, fiscal_year, codes))
        assert self.sqlite is not None
        cursor = await self.sqlite.execute(sqlite_sql(len(codes)), [fiscal_year, *codes])
        return list(await cursor.fetchall())


def create_app(url: str) -> Starlette:
    """The floor's app over the database at ``url`` (a service DATABASE_URL)."""
    figures = _Figures(url)
    all_codes = [spec.code for spec in reference.indicator_catalogue()]

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await figures.open()
        try:
            yield
        finally:
            await figures.close()

    async def dashboard(request: Request) -> Response:
        variables = orjson.loads(await request.body()).get("variables") or {}
        rows = await figures.rows(
            int(variables.get("fiscalYear", 2026)), variables.get("indicators", all_codes)
        )
        return Response(answer(rows), media_type="application/json")

    return Starlette(routes=[Route("/graphql", dashboard, methods=["POST"])], lifespan=lifespan)


def __getattr__(name: str) -> Any:
    # ``uvicorn bench.floor:app``: built on first access, so importing the module needs no database.
    if name == "app":
        return create_app(os.environ["FLOOR_DATABASE_URL"])
    raise AttributeError(name)
