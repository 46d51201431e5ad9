"""Error types the API raises, and the one place they become GraphQL errors with ``extensions.code``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import structlog
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from service.db import is_unavailable

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


class Unauthenticated(ApiError):
    """The operation needs a bearer token from ``API_TOKENS``."""

    code = "UNAUTHENTICATED"


class LimitExceeded(ApiError):
    """A request went past a configured limit (upload size, page size, query cost)."""

    code = "LIMIT_EXCEEDED"


class ServiceUnavailable(ApiError):
    """A backing service (database, Redis) did not answer in time."""

    code = "SERVICE_UNAVAILABLE"


class TimedOut(ApiError):
    """A worker did not answer in time (``PREVIEW_TIMEOUT_SECONDS``)."""

    code = "TIMEOUT"


def unknown(kind: str, value: str, choices: Iterable[str]) -> BadUserInput:
    """``unknown indicator 'x'; valid codes look like: a, b, c …``"""
    listed = list(choices)
    shown = ", ".join(listed[:12]) + (" …" if len(listed) > 12 else "")
    return BadUserInput(f"unknown {kind} {value!r}; valid choices: {shown}")


#: Messages of strawberry's limit extensions, and the setting that sets each limit.
_LIMITS = (
    (re.compile(r"exceeds maximum operation depth"), "MAX_QUERY_DEPTH"),
    (re.compile(r"aliases found\. Allowed"), "MAX_QUERY_ALIASES"),
    (re.compile(r"contains more than \d+ tokens"), "MAX_QUERY_TOKENS"),
)


def _classified(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    for pattern, setting in _LIMITS:
        if pattern.search(error.message):
            return _with_code(error, f"query limit {setting} exceeded: {error.message}", "LIMIT_EXCEEDED")
    if original is None:
        # Validation and syntax errors come from graphql-core itself.
        code = (error.extensions or {}).get("code", "GRAPHQL_VALIDATION_FAILED")
        return _with_code(error, error.message, code)
    if isinstance(original, ApiError):
        return _with_code(error, original.message, original.code)
    if isinstance(original, GraphQLError):
        # graphql-core refusing a value (a variable that does not coerce to its type): the client's.
        return _with_code(error, error.message, BadUserInput.code)
    if is_unavailable(original):
        log.warning("graphql.database_unavailable", path=error.path, error=repr(original))
        return _with_code(error, "The database is unavailable; try again shortly.", ServiceUnavailable.code)
    log.error("graphql.internal_error", path=error.path, exc_info=original)
    return _with_code(error, "Internal server error.", "INTERNAL")


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
    """Gives every error an ``extensions.code`` and masks internal errors (logged in full)."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [_classified(error) for error in result.errors]
