"""Aliases of the same field share one load and one computation per request, whatever the shape."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from bench.queries import ALIASED_DASHBOARD, DASHBOARD
from service.domain.figures import YearFigures
from tests.support.stack import Stack, upload_seed


def _points(observations: list[dict[str, Any]]) -> set[tuple[Any, ...]]:
    return {
        (o["indicator"]["code"], o["prefecture"]["code"], o["month"], o["breakdown"], o["value"], o["rank"])
        for o in observations
    }


def _loads(statements: list[str]) -> int:
    return sum(1 for statement in statements if "FROM observation" in statement)


async def test_one_aliased_field_per_indicator_answers_like_the_list_with_one_load(stack: Stack) -> None:
    await upload_seed(stack)
    nonce = f"\n# {uuid.uuid4()}"  # not answered from the cache
    with stack.statements() as listed:
        as_list = await stack.graphql(DASHBOARD + nonce)
    with stack.statements() as aliased:
        as_aliases = await stack.graphql(ALIASED_DASHBOARD + nonce, {"fiscalYear": 2026})
    assert "errors" not in as_aliases
    fields = as_aliases["data"].values()
    assert len(fields) == 14
    assert _points([o for field in fields for o in field]) == _points(as_list["data"]["observations"])
    assert _loads(aliased) == _loads(listed) == 1


async def test_two_aliases_of_one_figure_compute_it_once(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    await upload_seed(stack)
    computed: list[str] = []
    compute = YearFigures._compute_series

    def counted(self: YearFigures, code: str) -> Any:
        computed.append(code)
        return compute(self, code)

    monkeypatch.setattr(YearFigures, "_compute_series", counted)
    field = 'observations(indicator: "onestop.consultations", fiscalYear: 2026) { value rank }'
    answer = await stack.graphql(f"{{ a: {field} b: {field} }} # {uuid.uuid4()}")
    assert answer["data"]["a"] == answer["data"]["b"] and answer["data"]["a"]
    assert sorted(computed) == sorted(set(computed)) and len(computed) == 47
