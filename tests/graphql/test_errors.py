"""Every error a client can cause has a code; INTERNAL is only for our own bugs (HTTP API)."""

from __future__ import annotations

from typing import Any

import pytest
import structlog
import structlog.testing
from graphql import GraphQLError
from strawberry.types import ExecutionResult

from service.graphql import errors
from service.graphql.errors import ErrorCodes
from tests.support.app import Api

NATIONAL = 'query($year: Int!) { national(indicator: "onestop.consultations", fiscalYear: $year) { total } }'
REPORTS = "query($status: ReportStatus) { reports(status: $status) { totalCount } }"
OBSERVATIONS = (
    'query($at: DateTime) { observations(indicator: "onestop.consultations", fiscalYear: 2026, '
    'prefecture: "13", asOf: $at) { value } }'
)


def only_error(body: dict[str, Any]) -> dict[str, Any]:
    assert body.get("data") is None, body
    [error] = body["errors"]
    return error  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("query", "variables", "names"),
    [
        (NATIONAL, {"year": "2026x"}, ["$year", "Int"]),
        (NATIONAL, {}, ["$year", "Int!"]),
        (NATIONAL, {"year": None}, ["$year", "Int!"]),
        (REPORTS, {"status": "DONE"}, ["$status", "ReportStatus"]),
        (OBSERVATIONS, {"at": "yesterday"}, ["$at", "DateTime"]),
    ],
    ids=["wrong-type", "missing", "null", "bad-enum", "bad-datetime"],
)
async def test_variable_coercion_is_bad_user_input(
    api: Api, query: str, variables: dict[str, Any], names: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    error = only_error(await api.graphql(query, variables))
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    for name in names:
        assert name in error["message"], error
    assert "graphql.internal_error" not in caplog.text


async def test_validation_and_parse_errors_have_their_codes(api: Api) -> None:
    invalid = only_error(await api.graphql("{ nope }"))
    assert invalid["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "nope" in invalid["message"]
    unparsable = only_error(await api.graphql("{ regions { code "))
    assert unparsable["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert "Syntax Error" in unparsable["message"]


async def test_an_argument_naming_nothing_is_bad_user_input(api: Api) -> None:
    body = await api.graphql('{ national(indicator: "nope", fiscalYear: 2026) { total } }')
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["path"] == ["national"]


def test_our_own_bug_is_internal_with_the_request_id_and_logged(monkeypatch: pytest.MonkeyPatch) -> None:
    bug = ZeroDivisionError("division by zero")
    error = GraphQLError("boom", path=["national"], original_error=bug)
    structlog.contextvars.bind_contextvars(request_id="req-1234")
    try:
        with structlog.testing.capture_logs() as logged:
            # The module's logger is cached once an earlier test used it (cache_logger_on_first_use):
            # a fresh one goes through the capturing configuration.
            monkeypatch.setattr(errors, "log", structlog.get_logger("service.graphql"))
            [coded] = _coded([error])
    finally:
        structlog.contextvars.unbind_contextvars("request_id")
    assert coded.message == "Internal server error." and "division" not in coded.message
    assert coded.extensions == {"code": "INTERNAL", "requestId": "req-1234"}
    [entry] = logged
    assert entry["event"] == "graphql.internal_error" and entry["log_level"] == "error"
    assert entry["request_id"] == "req-1234" and entry["exc_info"] is bug


def _coded(errors: list[GraphQLError]) -> list[GraphQLError]:
    result = ExecutionResult(data=None, errors=errors)
    ErrorCodes._code(result)
    assert result.errors is not None
    return result.errors
