"""Where a query's time goes in the service: SQL statements per request and a pyinstrument profile.

    python -m bench.profile DATABASE_URL [--requests 5] [--out profile.txt]

Runs ``service.app`` in this process (its lifespan, the same middleware and GraphQL path as
uvicorn serves) over an in-memory ASGI transport, so the profile holds the service's frames only,
not the load tool's. Prints one JSON line: statements per dashboard request and the profile's path.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import Any


async def _profile(database_url: str, requests: int, out: Path) -> dict[str, Any]:
    os.environ.update(DATABASE_URL=database_url, LOG_LEVEL="WARNING", SAMPLE_DATA="0")
    import httpx
    from asgi_lifespan import LifespanManager
    from pyinstrument import Profiler
    from sqlalchemy import event

    from bench.queries import queries
    from service.app import create_app

    query, check = queries(2026)["dashboard"]
    body = query.body(cached=False)
    app = create_app()
    async with LifespanManager(app) as manager:
        engine = app.state.services.engine
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            headers = {"Content-Type": "application/json"}
            warm = await client.post("/graphql", content=body(0), headers=headers)
            problem = check(warm.content) if warm.status_code == 200 else f"HTTP {warm.status_code}"
            statements: list[str] = []

            def record(*args: Any) -> None:
                statements.append(str(args[2]))

            event.listen(engine.sync_engine, "before_cursor_execute", record)
            await client.post("/graphql", content=body(1), headers=headers)
            event.remove(engine.sync_engine, "before_cursor_execute", record)
            profiler = Profiler(async_mode="enabled", interval=0.002)
            profiler.start()
            for n in range(requests):
                await client.post("/graphql", content=body(2 + n), headers=headers)
            profiler.stop()
    out.write_text(profiler.output_text(unicode=True, color=False, show_all=False))
    root = profiler.last_session.root_frame() if profiler.last_session else None
    shares = by_library(root) if root is not None else {}
    return {"statements": len(statements), "profile": str(out), "problem": problem, "by_library": shares}


#: Where a frame's file lives → the part of the stack it belongs to (first match wins).
LIBRARIES = (
    ("/site-packages/graphql/", "graphql-core (execution, value completion)"),
    ("/site-packages/strawberry/", "strawberry (resolvers wrapping, serialisation)"),
    ("/service/", "service code (resolvers, figures, loaders)"),
    ("/sqlalchemy/", "SQLAlchemy + driver"),
    ("/sqlmodel/", "SQLAlchemy + driver"),
    ("/aiosqlite/", "SQLAlchemy + driver"),
    ("/asyncpg/", "SQLAlchemy + driver"),
    ("/json/", "JSON encoding"),
    ("/starlette/", "starlette + middleware"),
)


def by_library(root: Any) -> dict[str, float]:
    """Self time (seconds) summed by library, largest first: a flat view of the profile.

    Built-in calls and pyinstrument's ``[self]`` frames count for the library of their caller.
    """
    totals: dict[str, float] = {}
    stack: list[tuple[Any, str]] = [(root, "")]
    while stack:
        frame, inherited = stack.pop()
        path = (frame.file_path or "").replace("\\", "/")
        if not path or path.startswith("<"):
            path = inherited
        stack.extend((child, path) for child in frame.children)
        if frame.function == "[await]":
            name = "awaiting (database I/O)"
        else:
            name = next(
                (label for marker, label in LIBRARIES if marker in path), "other (asyncio, httpx, builtins)"
            )
        own = frame.time - sum(child.time for child in frame.children)
        totals[name] = totals.get(name, 0.0) + own
    return dict(sorted(totals.items(), key=lambda item: -item[1]))


def main() -> None:
    import orjson

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path("dashboard-profile.txt"))
    args = parser.parse_args()
    result = asyncio.run(_profile(args.database_url, args.requests, args.out))
    sys.stdout.write(orjson.dumps(result).decode() + "\n")


if __name__ == "__main__":
    main()
