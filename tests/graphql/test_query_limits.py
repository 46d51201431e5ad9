"""Query limits: depth, aliases and tokens each get LIMIT_EXCEEDED naming the setting; fragments are
measured once each, and checking has a time budget."""

from __future__ import annotations

import pytest
from graphql import FragmentDefinitionNode, parse, validate

from service.graphql.errors import ErrorCodes
from service.graphql.query_limits import DocumentMeasurer, document_limits
from service.graphql.schema import schema


@pytest.mark.parametrize(
    ("query", "setting"),
    [
        ("{ " + "prefectures { area { " * 7 + "code" + " } }" * 7 + " }", "MAX_QUERY_DEPTH"),
        ("{ " + " ".join(f"a{n}: regions {{ code }}" for n in range(60)) + " }", "MAX_QUERY_ALIASES"),
        ("{ regions { " + "code " * 6000 + "} }", "MAX_QUERY_TOKENS"),
        ("{ regions { " + "a" * 101 + ": code } }", "MAX_NAME_LENGTH"),
        ("query " + "Q" * 101 + " { regions { code } }", "MAX_NAME_LENGTH"),
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
    longest = await schema.execute("{ regions { " + "a" * 100 + ": code } }")
    assert longest.errors is None


def _bomb(levels: int, leaf: str) -> str:
    fragments = [f"fragment F{n} on Query {{ ...F{n + 1} ...F{n + 1} }}" for n in range(levels)]
    return "{ ...F0 } " + " ".join(fragments) + f" fragment F{levels} on Query {{ {leaf} }}"


def test_each_fragment_is_measured_once() -> None:
    document = parse(_bomb(200, "a: prefectures { area { code } }"))
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    measurer = DocumentMeasurer(fragments, budget_seconds=5)
    measure = measurer.fragment("F0")
    # 2²⁰⁰ copies of one alias, three fields deep, in 200 memoised steps rather than 2²⁰⁰ walks.
    assert (measure.depth, measure.aliases) == (3, 2**200)
    assert measurer.steps < 1000


async def test_a_fragment_bomb_is_refused_with_a_code() -> None:
    result = await schema.execute(_bomb(60, "a: indicators { code }"))
    assert result.errors is not None
    assert result.errors[0].extensions == {"code": "LIMIT_EXCEEDED"}
    assert "MAX_QUERY_ALIASES" in result.errors[0].message


def test_the_check_has_a_time_budget() -> None:
    rule = document_limits(max_depth=10, max_aliases=50, budget_ms=0)
    document = parse("{ " + " ".join(["__typename"] * 3000) + " }")
    errors = validate(schema._schema, document, [rule])
    assert errors and "MAX_QUERY_CHECK_MS" in errors[0].message
    assert errors[0].extensions == {"code": "LIMIT_EXCEEDED"}
