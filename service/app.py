"""The ASGI app (``service.app:app``): GraphQL at /graphql with GraphiQL, the dashboard, exports, health."""

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

from service import collector, queue
from service.db.engine import create_engine, migrate, session_factory
from service.graphql.context import Services
from service.graphql.schema import schema
from service.graphql.view import GraphQLApp
from service.http import health, pages
from service.http.body_size import BodySizeLimit
from service.http.export import export_observations
from service.http.guards import JsonErrors, RequestLog, RequireToken
from service.http.response_cache import ResponseCache
from service.logs import configure_logging
from service.settings import get_settings


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    """Open the database (migrating it) and the queue once; close them on shutdown."""
    settings = get_settings()
    configure_logging(settings.log_level)
    engine = create_engine(settings.database_url)
    await migrate(engine)
    redis = await queue.connect(settings)
    app.state.services = Services(
        settings=settings, engine=engine, sessions=session_factory(engine), redis=redis
    )
    collector.settle_after_start_up()
    try:
        yield
    finally:
        await app.state.services.status_feed.aclose()
        await app.state.services.data_versions.aclose()
        await redis.aclose()
        await engine.dispose()


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
