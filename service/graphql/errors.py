"""Error types the API raises, and the one place they (and the domain's ``SelectionError``) become
GraphQL errors with ``extensions.code``."""

from __future__ import annotations

import re
from collections.abc import Iterator

import structlog
from graphql import GraphQLError, GraphQLSyntaxError, VariableDefinitionNode, print_ast
from sqlalchemy.exc import DBAPIError
from strawberry.extensions import SchemaExtension

from service.db.engine import is_unavailable
from service.domain.selection import SelectionError

log = structlog.get_logger("service.graphql")


class ApiError(Exception):
    """An error the client caused or may act on; its message is shown as it is."""

    code = "BAD_USER_INPUT"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadUserInput(ApiError):
    """An argument names something that does not exist or has an invalid value."""

    code = "BAD_USER_INPUT"


class NotFound(ApiError):
    """The object asked for does not exist."""

    code = "NOT_FOUND"


class TimedOut(ApiError):
    """A worker did not answer in time (``PREVIEW_TIMEOUT_SECONDS``)."""

    code = "TIMEOUT"


class Unauthenticated(ApiError):
    """The operation needs a bearer token from ``API_TOKENS``."""

    code = "UNAUTHENTICATED"


class LimitExceeded(ApiError):
    """A request went past a configured limit (upload size, page size, query cost)."""

    code = "LIMIT_EXCEEDED"


class ServiceUnavailable(ApiError):
    """A backing service (database, Redis) did not answer in time."""

    code = "SERVICE_UNAVAILABLE"


class BadRequest(ApiError):
    """The HTTP request itself is not a GraphQL request we can run (body, method, batch)."""

    code = "BAD_REQUEST"


#: Messages of strawberry's limit extensions, and the setting that sets each limit.
_LIMITS = (
    (re.compile(r"exceeds maximum operation depth"), "MAX_QUERY_DEPTH"),
    (re.compile(r"aliases found\. Allowed"), "MAX_QUERY_ALIASES"),
    (re.compile(r"contains more than \d+ tokens"), "MAX_QUERY_TOKENS"),
)


def _classified(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if original is None and "code" in (error.extensions or {}):
        return error  # ours already, or graphql-core's own coded error
    for pattern, setting in _LIMITS:
        if pattern.search(error.message):
            return _with_code(error, f"query limit {setting} exceeded: {error.message}", "LIMIT_EXCEEDED")
    variable = _variable_definition(error)
    if variable is not None:
        return _with_code(error, _variable_message(error, variable), BadUserInput.code)
    if isinstance(error, GraphQLSyntaxError):
        return _with_code(error, error.message, "GRAPHQL_PARSE_FAILED")
    if original is None:
        # Validation errors come from graphql-core itself.
        return _with_code(error, error.message, "GRAPHQL_VALIDATION_FAILED")
    if isinstance(original, ApiError):
        return _with_code(error, original.message, original.code)
    if isinstance(original, SelectionError):
        # The domain's refusal of what a query selects: the client's to correct.
        return _with_code(error, str(original), BadUserInput.code)
    if _unstorable_text(original):
        message = "a text argument holds a character the database cannot take (such as NUL, \\u0000)"
        return _with_code(error, message, BadUserInput.code)
    if isinstance(original, GraphQLError):
        # graphql-core refusing a value (a variable that does not coerce to its type): the client's.
        return _with_code(error, error.message, BadUserInput.code)
    if is_unavailable(original):
        log.warning("graphql.database_unavailable", path=error.path, error=repr(original))
        return _with_code(error, "The database is unavailable; try again shortly.", ServiceUnavailable.code)
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    log.error("graphql.internal_error", path=error.path, request_id=request_id, exc_info=original)
    coded = _with_code(error, "Internal server error.", "INTERNAL")
    if request_id is not None:
        # The log line above carries the same id, so a user's report leads to the traceback.
        coded.extensions = {**(coded.extensions or {}), "requestId": request_id}
    return coded


#: PostgreSQL's SQLSTATEs for text it cannot store: NUL bytes, characters outside the encoding.
_UNSTORABLE_TEXT = ("22021", "22P05")


def _unstorable_text(error: Exception) -> bool:
    orig = getattr(error, "orig", None)
    return isinstance(error, DBAPIError) and str(getattr(orig, "sqlstate", "") or "") in _UNSTORABLE_TEXT


def _variable_definition(error: GraphQLError) -> VariableDefinitionNode | None:
    """The variable a coercion error is about: graphql-core attaches its definition as the node."""
    nodes = error.nodes or ()
    return nodes[0] if len(nodes) == 1 and isinstance(nodes[0], VariableDefinitionNode) else None


def _variable_message(error: GraphQLError, variable: VariableDefinitionNode) -> str:
    """graphql-core's message (it names the variable), with the type the variable expects."""
    expected = print_ast(variable.type)
    message = error.message
    if isinstance(error.original_error, ValueError) and not isinstance(error.original_error, GraphQLError):
        # A custom scalar's parser (DateTime, Date) raised; its message is only about the value.
        message = f"Variable '${variable.variable.name.value}' has invalid value: {error.original_error}"
    return message if f"'{expected}'" in message else f"{message} (expected {expected})"


def _with_code(error: GraphQLError, message: str, code: str) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions={**(error.extensions or {}), "code": code},
    )


class ErrorCodes(SchemaExtension):
    """Gives every error an ``extensions.code`` and masks internal errors (logged in full).

    Results of queries and mutations are coded once the operation has run; each result a
    stream yields (a subscription's updates, an operation over the WebSocket) as it is sent.
    """

    def on_operation(self) -> Iterator[None]:
        yield
        self._code(self.execution_context.result)

    def on_stream_result(self, result: object) -> Iterator[None]:
        self._code(result)
        yield

    @staticmethod
    def _code(result: object) -> None:
        errors = getattr(result, "errors", None)
        if result is not None and errors:
            result.errors = [_classified(error) for error in errors]  # type: ignore[attr-defined]
