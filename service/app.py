"""The ASGI app (``service.app:app``): routes and middleware assembled; start-up is ``service.runtime``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute

from service import runtime
from service.graphql.schema import schema
from service.graphql.view import GraphQLApp
from service.http import health, pages
from service.http.body_size import BodySizeLimit
from service.http.export import export_observations
from service.http.guards import JsonErrors, RequestLog, RequireToken
from service.http.response_cache import ResponseCache
from service.settings import get_settings


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    """The process's services (``service.runtime``) for the app's life."""
    app.state.services = await runtime.start()
    try:
        yield
    finally:
        await runtime.stop(app.state.services)


async def healthz(_: Request) -> Response:
    """The process is up."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    """Database and Redis answer (for orchestrators)."""
    checks = await health.readiness(request.app.state.services)
    ready = all(check == "ok" for check in checks.values())
    return JSONResponse({"status": "ok" if ready else "unavailable", **checks}, 200 if ready else 503)


def create_app(**graphql_options: Any) -> Starlette:
    """The application; ``graphql_options`` go to strawberry's ASGI view."""
    settings = get_settings()
    graphql = GraphQLApp(
        schema,
        multipart_uploads_enabled=True,
        # MAX_SUBSCRIPTIONS_PER_CONNECTION is checked by the subscription itself, with a code.
        max_subscriptions_per_connection=None,
        **graphql_options,
    )
    return Starlette(
        middleware=[
            Middleware(RequestLog),
            Middleware(JsonErrors),
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type"],
            ),
            Middleware(RequireToken, tokens=settings.api_tokens, public=settings.public_queries),
            Middleware(
                BodySizeLimit,
                max_bytes=settings.max_upload_bytes,
                max_json_bytes=settings.max_json_bytes,
                max_seconds=settings.max_body_seconds,
            ),
        ],
        routes=[
            Route("/", pages.dashboard),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route(
                "/graphql",
                ResponseCache(graphql, max_bytes=settings.response_cache_bytes),
                methods=["GET", "POST"],
            ),
            WebSocketRoute("/graphql", graphql),
            Route("/export/observations.{format}", export_observations),
            pages.static_files(),
        ],
        lifespan=lifespan,
    )


app = create_app()
