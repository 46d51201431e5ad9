"""The cost limit counts list lengths, expands fragments and honours ``first`` and variables."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import parse

from service.graphql.cost import operation_cost
from service.graphql.schema import schema
from service.settings import get_settings
from tests.support.paths import ROOT


def cost(query: str, variables: dict[str, Any] | None = None) -> int:
    return operation_cost(schema._schema, parse(query), variables=variables, max_page=100)


def test_lists_multiply_what_is_selected_below_them() -> None:
    # 1 (prefectures) + 47 × (code + area + area.code) = 142
    assert cost("{ prefectures { code area { code } } }") == 1 + 47 * 3
    # 1 (regions) + 17 × (prefectures + 47 × code)
    assert cost("{ regions { prefectures { code } } }") == 1 + 17 * (1 + 47)


def test_fragment_spreads_cost_what_they_expand_to() -> None:
    inline = "{ prefectures { code name area { code name } } }"
    spread = (
        "{ prefectures { ...P } } fragment P on Prefecture { code name area { ...R } } "
        "fragment R on Region { code name }"
    )
    assert cost(spread) == cost(inline)
    twice = "{ a: prefectures { ...P } b: prefectures { ...P } } fragment P on Prefecture { code name }"
    assert cost(twice) == 2 * cost("{ prefectures { code name } }")


def test_first_and_variables_set_page_lengths() -> None:
    query = "query($n: Int) { reports(first: $n) { edges { node { id status } } } }"
    assert cost(query, {"n": 5}) == 1 + 1 + 5 * (1 + 2)
    assert cost(query) == 1 + 1 + 100 * (1 + 2)  # no first: the page cap


def test_observations_cost_follows_their_filters() -> None:
    one = '{ observations(indicator: "onestop.consultations", fiscalYear: 2026, month: 4) { value } }'
    assert cost(one) == 1 + 47
    trainees = '{ observations(indicator: "onestop.skill_sharing.trainees", fiscalYear: 2026) { value } }'
    assert cost(trainees) > 12 * 47 + 1  # several breakdowns per prefecture
    dashboard = (ROOT / "docs" / "queries" / "dashboard.graphql").read_text(encoding="utf-8")
    assert 14 * 47 * 12 * 10 <= cost(dashboard) <= get_settings().max_query_cost  # defaults counted


@pytest.mark.parametrize(
    "query",
    [
        "{ regions { prefectures { area { prefectures { area { prefectures { code } } } } } } }",
        "{ a: regions { ...D } b: regions { ...D } } fragment D on Region { prefectures { area { prefectures "
        "{ area { prefectures { code name nameEn } } } } } }",
    ],
)
async def test_an_expensive_query_is_refused_naming_the_setting(query: str) -> None:
    result = await schema.execute(query)
    assert result.errors and result.data is None
    error = result.errors[0]
    assert error.extensions == {"code": "LIMIT_EXCEEDED"}
    assert "MAX_QUERY_COST" in error.message
