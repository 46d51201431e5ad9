"""The ASGI app (``service.app:app``): GraphQL at /graphql with GraphiQL, the dashboard, exports, health."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from service import collector, health, pages, queue
from service.auth import caller_name
from service.db import create_engine, migrate, session_factory
from service.export import export_observations
from service.graphql.context import Context, Services
from service.graphql.schema import schema
from service.limits import BodySizeLimit
from service.logs import configure_logging
from service.middleware import JsonErrors, RequestLog, RequireToken
from service.multipart import CheckedMultipart
from service.response_cache import ResponseCache
from service.settings import get_settings


class GraphQLApp(CheckedMultipart, GraphQL[Context, None]):
    """Strawberry's ASGI view with our per-request context and a fast JSON encoder."""

    def encode_json(self, data: object) -> bytes:
        """orjson: a dashboard answer is about a megabyte, which the json module takes 5× longer on."""
        return orjson.dumps(data)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> Context:
        services: Services = request.app.state.services
        return Context(
            services=services,
            request=request,
            response=response,
            caller=caller_name(request, services.settings.api_tokens),
        )

    async def render_graphql_ide(self, request: Request) -> Response:
        """Our GraphiQL, built from ``frontend/`` and served offline, instead of strawberry's CDN page."""
        return pages.graphiql()


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
    graphql = GraphQLApp(schema, multipart_uploads_enabled=True, **graphql_options)
    settings = get_settings()
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
