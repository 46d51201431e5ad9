"""The machine, date and versions a benchmark run records (RESULTS.md's heading)."""

from __future__ import annotations

import asyncio
import json
import os
import platform
import sqlite3
import subprocess
from datetime import UTC, datetime
from importlib import metadata

import asyncpg

from bench import postgraphile
from bench.figures import Run
from service.db.dsn import asyncpg_dsn

_PACKAGES = (
    "strawberry-graphql",
    "graphql-core",
    "starlette",
    "uvicorn",
    "SQLAlchemy",
    "asyncpg",
    "aiosqlite",
    "arq",
)


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


async def _postgres_version(url: str) -> str:
    connection = await asyncpg.connect(asyncpg_dsn(url))
    try:
        return str(await connection.fetchval("SHOW server_version"))
    finally:
        await connection.close()


def _graphile() -> str:
    package = postgraphile.CACHE / "node_modules" / "postgraphile" / "package.json"
    if not package.exists():
        return "not installed"
    version = str(json.loads(package.read_text())["version"])
    try:
        node = subprocess.run([postgraphile.node_bin() / "node", "--version"], capture_output=True, text=True)
        return f"{version} on Node {node.stdout.strip()}"
    except postgraphile.Unavailable:
        return version


def describe_machine(run: Run, postgres_url: str | None) -> None:
    """Machine, date and versions into ``run.meta``."""
    versions = {name: metadata.version(name) for name in _PACKAGES}
    versions["Python"] = platform.python_version()
    versions["SQLite"] = sqlite3.sqlite_version
    if postgres_url:
        versions["PostgreSQL"] = asyncio.run(_postgres_version(postgres_url))
    versions["PostGraphile"] = _graphile()
    run.meta.update(
        date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        machine=f"{os.cpu_count()} cores ({_cpu()}), {_memory()}",
        platform=platform.platform(),
        versions=versions,
    )


def _memory() -> str:
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        return f"{pages / 2**30:.0f} GiB"
    except (ValueError, OSError):
        return "memory unknown"
