"""The GraphQL schema: Query and Mutation roots with the error-code and session extensions."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator

import strawberry
import structlog
from graphql import GraphQLError
from starlette.requests import Request
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.types import ExecutionContext
from strawberry.types.graphql import OperationType

from service.graphql.cost import QueryCostLimiter
from service.graphql.errors import ErrorCodes
from service.graphql.execution import CompilingExecutor
from service.graphql.limits import document_limits
from service.graphql.mutations import Mutation
from service.graphql.queries import Query
from service.graphql.subscriptions import Subscription
from service.response_cache import CACHEABLE
from service.settings import get_settings

log = structlog.get_logger("service.graphql")


class CloseSession(SchemaExtension):
    """Releases the request's database session once the operation has run."""

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        if context is not None:  # None when the schema is executed directly (tests, tools)
            await context.close()


class MarkCacheable(SchemaExtension):
    """Tells the response cache that this request was a query answered without errors."""

    def on_execute(self) -> Iterator[None]:
        yield
        execution = self.execution_context
        result, context = execution.result, execution.context
        if (
            context is not None
            and isinstance(context.request, Request)
            and execution.operation_type is OperationType.QUERY
            and result is not None
            and not result.errors
        ):
            context.request.scope[CACHEABLE] = True


class Schema(strawberry.Schema):
    """Our schema: errors are logged once, by ErrorCodes, not again at error level here."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            log.info("graphql.error", message=error.message, code=(error.extensions or {}).get("code"))


def _limits() -> list[Callable[[], SchemaExtension]]:
    settings = get_settings()
    return [
        # Depth and aliases measured with each fragment once (strawberry's limiters walk every spread).
        lambda: AddValidationRules(
            [
                document_limits(
                    max_depth=settings.max_query_depth,
                    max_aliases=settings.max_query_aliases,
                    budget_ms=settings.max_query_check_ms,
                )
            ]
        ),
        lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
        QueryCostLimiter,
    ]


schema = Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    # Dashboards send the same few documents again and again: validate each once. (strawberry's
    # ParserCache would parse outside the token limit's error handling.)
    extensions=[CloseSession, ErrorCodes, MarkCacheable, *_limits(), ValidationCache],
    execution_context_class=CompilingExecutor,
)
