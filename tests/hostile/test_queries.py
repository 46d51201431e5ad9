"""Hostile GraphQL documents against a real uvicorn: each is answered at once with a coded error or a
result, and ``/healthz`` answers within a second while they keep coming."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.support.processes import serving

#: Long enough for any honest answer on a busy test machine; the fragment bomb took minutes.
ANSWER_SECONDS = 20


def fragment_bomb(levels: int, leaf: str = "reports { edges { node { filename uploadedBy } } }") -> str:
    """``levels`` fragments, each spreading the next one twice: 2^levels copies of ``leaf``."""
    fragments = [f"fragment F{n} on Query {{ ...F{n + 1} ...F{n + 1} }}" for n in range(levels)]
    return "query { ...F0 } " + " ".join(fragments) + f" fragment F{levels} on Query {{ {leaf} }}"


def inline_bomb(levels: int) -> str:
    """As ``fragment_bomb``, each spread inside an inline fragment and an aliased field."""
    fragments = [
        f"fragment F{n} on Query {{ ... on Query {{ ...F{n + 1} }} ... {{ ...F{n + 1} }} }}"
        for n in range(levels)
    ]
    return "{ ...F0 } " + " ".join(fragments) + f" fragment F{levels} on Query {{ a: indicators {{ code }} }}"


@pytest.fixture(scope="module")
async def base(
    tmp_path_factory: pytest.TempPathFactory, redis_url: str, queue_name: str
) -> AsyncIterator[str]:
    workdir = tmp_path_factory.mktemp("hostile-queries")
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'queries.db'}",
        "REDIS_URL": redis_url,
        "QUEUE_NAME": f"{queue_name}:hostile-queries",
        "SAMPLE_DATA": "0",
    }
    async with serving(env, Path(workdir / "api.log")) as url:
        yield url


def answered(response: httpx.Response) -> str | None:
    """The code of the first error of a GraphQL answer, or None for a result."""
    assert response.status_code in (200, 400), response.text[:300]
    body = response.json()
    if body.get("errors"):
        code: str = body["errors"][0]["extensions"]["code"]
        return code
    assert body["data"] is not None
    return None


@pytest.mark.parametrize(
    "query",
    [fragment_bomb(21), fragment_bomb(40), inline_bomb(30)],
    ids=["21-fragments", "40-fragments", "inline-40"],
)
async def test_a_fragment_bomb_is_answered_at_once(base: str, query: str) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=ANSWER_SECONDS) as client:
        response = await client.post("/graphql", json={"query": query})
        assert answered(response) == "LIMIT_EXCEEDED", response.text[:300]


async def test_health_answers_while_fragment_bombs_keep_coming(base: str) -> None:
    bomb = {"query": fragment_bomb(21)}
    assert len(bomb["query"]) < 1500

    async def attacker(client: httpx.AsyncClient) -> None:
        for _ in range(5):
            assert answered(await client.post("/graphql", json=bomb)) == "LIMIT_EXCEEDED"

    async with httpx.AsyncClient(base_url=base, timeout=ANSWER_SECONDS) as client:
        attackers = [asyncio.create_task(attacker(client)) for _ in range(4)]
        probes = 0
        while not all(task.done() for task in attackers) or probes < 5:
            health = await client.get("/healthz", timeout=1.0)  # raises past one second
            assert health.status_code == 200
            probes += 1
            await asyncio.sleep(0.05)
        await asyncio.gather(*attackers)


@pytest.mark.parametrize(
    ("name", "query", "code"),
    [
        (
            "10,000 aliases",
            "{ " + " ".join(f"a{n}: __typename" for n in range(10_000)) + " }",
            "LIMIT_EXCEEDED",
        ),
        (
            "60 aliases",
            "{ " + " ".join(f"a{n}: indicators {{ code }}" for n in range(60)) + " }",
            "LIMIT_EXCEEDED",
        ),
        (
            "aliases through fragments",
            "{ ...A ...B } fragment A on Query { " + " ".join(f"a{n}: __typename" for n in range(30)) + " } "
            "fragment B on Query { ...A b: __typename }",
            "LIMIT_EXCEEDED",
        ),
        ("deep nesting", "{ " + "prefectures { area { " * 12 + "code" + " } }" * 12 + " }", "LIMIT_EXCEEDED"),
        (
            "nesting past the parser",
            "{ " + "prefectures { area { " * 600 + "code" + " } }" * 600 + " }",
            None,  # graphql-core's syntax error, or the token limit
        ),
        ("list literal nesting", "{ indicators(x: " + "[" * 2000 + "]" * 2000 + ") { code } }", None),
        (
            "directives repeated",
            "{ __typename " + "@include(if: true) " * 500 + "}",
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            "introspection depth",
            "{ __schema { types { fields { type { fields { type { fields { type { name } } } } } } } } }",
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            "fragment chain",
            "{ ...F0 } "
            + " ".join(f"fragment F{n} on Query {{ ...F{n + 1} }}" for n in range(600))
            + " fragment F600 on Query { __typename }",
            None,
        ),
        ("many operations", " ".join(f"query Q{n} {{ __typename }}" for n in range(1500)), None),
        ("fragment cycle", "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }", None),
    ],
)
async def test_hostile_documents_get_a_coded_error(
    base: str, name: str, query: str, code: str | None
) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=ANSWER_SECONDS) as client:
        response = await client.post("/graphql", json={"query": query})
        got = answered(response)
        assert got is not None, f"{name}: ran"
        if code is not None:
            assert got == code, (name, response.text[:300])
        assert got != "INTERNAL", name
        assert (await client.get("/healthz", timeout=1.0)).status_code == 200


async def test_huge_and_odd_variables_are_refused_or_ignored(base: str) -> None:
    query = (
        "query($i: String!, $y: Int) { indicator(code: $i) { code } "
        "observations(indicator: $i, fiscalYear: $y) { value } }"
    )
    async with httpx.AsyncClient(base_url=base, timeout=ANSWER_SECONDS) as client:
        cases: list[dict[str, object]] = [
            {"i": "x" * 900_000},
            {"i": "a\u0000b"},
            {"i": ["not", "a", "string"]},
            {"i": "onestop.consultations", "y": 2**70},
            {"i": "onestop.consultations", "y": "2026"},
            {"i": {"nested": {"object": [1, 2, 3]}}},
            {f"v{n}": n for n in range(20_000)},
        ]
        for variables in cases:
            response = await client.post("/graphql", json={"query": query, "variables": variables})
            code = answered(response)
            assert code not in (None, "INTERNAL"), (json.dumps(variables)[:80], response.text[:300])
            assert len(response.content) < 20_000, "the answer echoes a huge variable"


async def test_an_introspection_storm_is_answered(base: str) -> None:
    from graphql import get_introspection_query

    introspection = {"query": get_introspection_query(descriptions=True)}
    async with httpx.AsyncClient(base_url=base, timeout=ANSWER_SECONDS) as client:
        answers = await asyncio.gather(*(client.post("/graphql", json=introspection) for _ in range(40)))
        assert all(answered(a) is None for a in answers)
        assert (await client.get("/healthz", timeout=1.0)).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        '{ report(id: "99999999999999999999999") { id } }',
        '{ report(id: "-1") { id } }',
        '{ reports(after: "cmVwb3J0Ojk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5") { totalCount } }',  # report:99…
        '{ reports(after: "cmVwb3J0Oi0x") { totalCount } }',  # report:-1
        '{ caseStudies(after: "Y2FzZTo5OTk5OTk5OTk5OTk5OTk5OTk5OTk5") { totalCount } }',
        "{ reports(first: 2147483647) { totalCount } }",
    ],
)
async def test_ids_and_cursors_past_database_integers_are_the_clients_error(base: str, query: str) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=ANSWER_SECONDS) as client:
        response = await client.post("/graphql", json={"query": query})
        assert answered(response) in (None, "BAD_USER_INPUT", "LIMIT_EXCEEDED"), response.text[:300]
