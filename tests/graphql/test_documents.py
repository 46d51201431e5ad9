"""Each query text is parsed once; refused documents are refused every time, as by the parse step."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry.schema.schema as strawberry_schema

from service.graphql import documents
from service.graphql.schema import schema


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The query texts the parse step parsed (it is the only caller of strawberry's ``parse``)."""
    seen: list[str] = []
    original = strawberry_schema.parse

    def counting(source: Any, **options: Any) -> Any:
        seen.append(str(source))
        return original(source, **options)

    monkeypatch.setattr(strawberry_schema, "parse", counting)
    monkeypatch.setattr(documents, "_documents", type(documents._documents)())
    return seen


async def test_the_same_text_is_parsed_once(parses: list[str]) -> None:
    query = "query Q($c: String!) { region(code: $c) { code name } }"
    for code in ("kanto", "kinki", "kanto"):
        result = await schema.execute(query, variable_values={"c": code})
        assert result.errors is None and result.data == {
            "region": {"code": code, "name": result.data["region"]["name"]}
        }
    assert parses == [query]
    await schema.execute("{ regions { code } }")
    assert len(parses) == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [("{ regions { code ", "Syntax Error"), ("{ regions { " + "code " * 6000 + "} }", "MAX_QUERY_TOKENS")],
)
async def test_a_refused_text_is_refused_each_time(parses: list[str], query: str, expected: str) -> None:
    for _ in range(2):
        result = await schema.execute(query)
        assert result.errors and expected in result.errors[0].message
    assert len(parses) == 2


async def test_the_least_recently_used_text_is_dropped(
    parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(documents, "MAX_DOCUMENTS", 2)
    texts = ["{ regions { code } }", "{ regions { name } }", "{ regions { kind } }"]
    for text in [texts[0], texts[1], texts[0], texts[2], texts[0], texts[1]]:
        assert (await schema.execute(text)).errors is None
    # texts[1] was the least recently used when texts[2] came: parsed again at the end.
    assert parses == [texts[0], texts[1], texts[2], texts[1]]


async def test_a_long_text_is_parsed_each_time(parses: list[str]) -> None:
    # A document holds its whole text, comments included (the token limit does not count them):
    # a long text is not kept, so many of them cannot hold memory between requests.
    padded = "{ regions { code } }\n#" + "x" * documents.MAX_KEPT_TEXT_CHARS
    for _ in range(2):
        assert (await schema.execute(padded)).errors is None
    assert len(parses) == 2 and not documents._documents
