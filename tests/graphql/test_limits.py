"""Query limits: depth, aliases and tokens each get LIMIT_EXCEEDED naming the setting."""

from __future__ import annotations

import pytest

from service.graphql.errors import ErrorCodes
from service.graphql.schema import schema


@pytest.mark.parametrize(
    ("query", "setting"),
    [
        ("{ " + "prefectures { area { " * 7 + "code" + " } }" * 7 + " }", "MAX_QUERY_DEPTH"),
        ("{ " + " ".join(f"a{n}: regions {{ code }}" for n in range(60)) + " }", "MAX_QUERY_ALIASES"),
        ("{ regions { " + "code " * 6000 + "} }", "MAX_QUERY_TOKENS"),
    ],
)
async def test_limits_name_the_setting(query: str, setting: str) -> None:
    result = await schema.execute(query)
    assert result.errors, "the limit did not apply"
    assert ErrorCodes  # the extension that gives the code runs inside schema.execute
    error = result.errors[0]
    assert error.extensions == {"code": "LIMIT_EXCEEDED"}
    assert setting in error.message


async def test_a_normal_query_is_within_the_limits() -> None:
    result = await schema.execute("{ regions { code prefectures { code area { code } } } }")
    assert result.errors is None
