"""The GraphQL schema: Query and Mutation roots with the error-code and session extensions."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

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
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from service.graphql.context import Context
from service.graphql.cost import QueryCostLimiter
from service.graphql.documents import ParsedDocuments
from service.graphql.errors import ErrorCodes
from service.graphql.execution import CompilingExecutor
from service.graphql.mutations import Mutation
from service.graphql.nul import RefuseNul
from service.graphql.queries import Query
from service.graphql.query_limits import document_limits
from service.graphql.subscriptions import Subscription
from service.http.response_cache import CACHEABLE, QUERY_ONLY
from service.settings import get_settings

log = structlog.get_logger("service.graphql")


class CloseSession(SchemaExtension):
    """Releases the operation's database session once its answer is complete."""

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        if context is not None:  # None when the schema is executed directly (tests, tools)
            await context.close()


class MarkCacheable(SchemaExtension):
    """Tells the response cache that this request held only queries answered without errors.

    In a batch every operation votes: one mutation or error among them and the answer is not
    kept (a kept answer would skip the mutation when served again).
    """

    def on_execute(self) -> Iterator[None]:
        yield
        execution = self.execution_context
        result, context = execution.result, execution.context
        if context is None or not isinstance(context.request, Request):
            return
        query = execution.operation_type is OperationType.QUERY
        cacheable = query and result is not None and not result.errors
        scope = context.request.scope
        scope[CACHEABLE] = scope.get(CACHEABLE, True) and cacheable
        scope[QUERY_ONLY] = scope.get(QUERY_ONLY, True) and query


def _for_operation(context: object) -> object:
    return context.for_operation() if isinstance(context, Context) else context


class Schema(strawberry.Schema):
    """Our schema: one context per operation; errors logged once, by ErrorCodes, not again here."""

    async def execute(
        self,
        query: str | None,
        variable_values: Any = None,
        context_value: Any = None,
        *args: Any,
        **kwargs: Any,
    ) -> ExecutionResult:
        return await super().execute(query, variable_values, _for_operation(context_value), *args, **kwargs)

    async def stream(
        self,
        query: str | None,
        variable_values: Any = None,
        context_value: Any = None,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        return await super().stream(query, variable_values, _for_operation(context_value), *args, **kwargs)

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            log.info("graphql.error", message=error.message, code=(error.extensions or {}).get("code"))


def _limits() -> list[Callable[[], SchemaExtension]]:
    settings = get_settings()
    # Depth and aliases measured with each fragment once (strawberry's limiters walk every spread).
    # One rule class for every request: ValidationCache keys on the rules, so a class made per
    # request would make every validation a miss.
    limits = document_limits(
        max_depth=settings.max_query_depth,
        max_aliases=settings.max_query_aliases,
        max_name_length=settings.max_name_length,
        budget_ms=settings.max_query_check_ms,
    )
    return [
        lambda: AddValidationRules([limits]),
        lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
        QueryCostLimiter,
        RefuseNul,
    ]


schema = Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    # Dashboards send the same few documents again and again: parse and validate each once.
    extensions=[CloseSession, ErrorCodes, MarkCacheable, *_limits(), ParsedDocuments, ValidationCache],
    execution_context_class=CompilingExecutor,
    # A JSON array of operations (Apollo's BatchHttpLink) is answered; GraphQLApp enforces
    # MAX_BATCH_SIZE with a coded error, so strawberry's own (uncoded) limit is set out of reach.
    config=StrawberryConfig(batching_config={"max_operations": 2**31}),
)
