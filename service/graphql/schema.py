"""The GraphQL schema: Query and Mutation roots with the error-code and session extensions."""

from __future__ import annotations

from collections.abc import AsyncIterator

import strawberry
import structlog
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from service.graphql.errors import ErrorCodes
from service.graphql.mutations import Mutation
from service.graphql.queries import Query
from service.graphql.subscriptions import Subscription

log = structlog.get_logger("service.graphql")


class CloseSession(SchemaExtension):
    """Releases the request's database session once the operation has run."""

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        await self.execution_context.context.close()


class Schema(strawberry.Schema):
    """Our schema: errors are logged once, by ErrorCodes, not again at error level here."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            log.info("graphql.error", message=error.message, code=(error.extensions or {}).get("code"))


schema = Schema(
    query=Query, mutation=Mutation, subscription=Subscription, extensions=[CloseSession, ErrorCodes]
)
