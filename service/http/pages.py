"""The browser pages: the dashboard at ``/``, our offline GraphiQL, and their assets under ``/static``.

``make install`` builds them from ``frontend/`` into ``service/static/`` (not in git); every asset is
served from here, nothing comes from a CDN. Without a build the pages say how to make one.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parent.parent / "static"

NOT_BUILT = """<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>yorozu-stats: frontend not built</title></head>
<body><h1>The {page} has not been built</h1>
<p>ページがビルドされていません。Run <code>make install</code> (or <code>make run</code>) to build
<code>frontend/</code> into <code>service/static/</code>. The GraphQL API works without it:
POST queries to <code>/graphql</code>.</p></body></html>
"""


def _page(name: str, title: str) -> Response:
    path = STATIC / name
    if not path.is_file():
        return HTMLResponse(NOT_BUILT.format(page=title), status_code=503)
    # The HTML names hashed assets, so it must never be cached past a rebuild.
    return FileResponse(path, headers={"Cache-Control": "no-cache"})


async def dashboard(_: Request) -> Response:
    """The dashboard (ダッシュボード): a small app over the public GraphQL API."""
    return _page("index.html", "dashboard")


def graphiql() -> Response:
    """GraphiQL with every asset bundled, for ``GET /graphql`` from a browser."""
    return _page("graphiql.html", "GraphiQL page")


def static_files() -> Mount:
    """The built assets; ``check_dir=False`` so that the API starts before (or without) a build."""
    return Mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")
