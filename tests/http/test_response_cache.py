"""The answer store keeps the most recently used answers within its byte budget; identical
concurrent requests are computed once (single flight), and never shared across data versions."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from starlette.types import Message, Receive, Scope, Send

from service.http.response_cache import (
    CACHEABLE,
    ENTRY_OVERHEAD_BYTES,
    QUERY_ONLY,
    Answer,
    AnswerStore,
    ResponseCache,
)


def answer(size: int) -> Answer:
    return Answer(headers=[], body=b"x" * size)


def test_least_recently_used_answers_go_first() -> None:
    store = AnswerStore(max_bytes=4 * (240 + ENTRY_OVERHEAD_BYTES) + 10)  # room for four
    for n in range(4):
        store.put((bytes([n]), 1), answer(240))
    assert store.get((b"\x00", 1)) is not None  # used: now the most recent
    store.put((b"\x04", 1), answer(240))
    assert store.get((b"\x01", 1)) is None and store.get((b"\x00", 1)) is not None
    assert store.size <= store.max_bytes


def test_versions_are_separate_and_huge_answers_are_not_kept() -> None:
    store = AnswerStore(max_bytes=1000)
    store.put((b"q", 1), answer(10))
    assert store.get((b"q", 2)) is None
    store.put((b"big", 1), answer(251))  # over a quarter of the budget
    assert store.get((b"big", 1)) is None


def test_every_entry_costs_its_overhead_so_tiny_answers_cannot_pile_up() -> None:
    store = AnswerStore(max_bytes=20 * ENTRY_OVERHEAD_BYTES)
    for n in range(1000):
        store.put((n.to_bytes(2, "big"), 1), answer(1))
    kept = sum(1 for n in range(1000) if store.get((n.to_bytes(2, "big"), 1)) is not None)
    assert kept == 20 * ENTRY_OVERHEAD_BYTES // (ENTRY_OVERHEAD_BYTES + 1)
    assert store.size <= store.max_bytes


def test_a_budget_of_zero_keeps_nothing() -> None:
    store = AnswerStore(max_bytes=0)
    store.put((b"q", 1), answer(1))
    assert store.get((b"q", 1)) is None


class Versions:
    """A stand-in for the pushed data version: no push, a fixed version read."""

    def __init__(self, version: int = 1) -> None:
        self.version, self.reads = version, 0

    @property
    def pushed(self) -> int | None:
        return None

    async def read(self) -> int:
        self.reads += 1
        return self.version


class CountingApp:
    """A GraphQL endpoint stand-in: counts executions, takes a while, marks its answers cacheable."""

    def __init__(self, *, cacheable: bool = True, query_only: bool = True) -> None:
        self.executions, self.cacheable, self.query_only = 0, cacheable, query_only
        self.release = asyncio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.executions += 1
        await receive()
        await self.release.wait()
        scope[CACHEABLE], scope[QUERY_ONLY] = self.cacheable, self.query_only
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b'{"data":%d}' % self.executions})


def _scope(versions: Versions) -> Scope:
    services = SimpleNamespace(data_versions=versions)
    return {
        "type": "http",
        "method": "POST",
        "headers": [(b"content-type", b"application/json")],
        "app": SimpleNamespace(state=SimpleNamespace(services=services)),
    }


async def _ask(cache: ResponseCache, versions: Versions) -> tuple[bytes, bytes]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b'{"query":"{ a }"}', "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await cache(_scope(versions), receive, send)
    state = dict(sent[0]["headers"])[b"x-cache"]
    return state, sent[1]["body"]


async def test_identical_concurrent_requests_are_computed_once() -> None:
    app, versions = CountingApp(), Versions()
    cache = ResponseCache(app, max_bytes=100_000)
    asking = [asyncio.create_task(_ask(cache, versions)) for _ in range(10)]
    await asyncio.sleep(0.01)
    app.release.set()
    answers = await asyncio.gather(*asking)
    assert app.executions == 1
    assert sorted(state for state, _ in answers) == [b"miss"] + [b"shared"] * 9
    assert {body for _, body in answers} == {b'{"data":1}'}
    assert await _ask(cache, versions) == (b"hit", b'{"data":1}')
    versions.version = 2  # a change: computed again, never the old answer
    assert await _ask(cache, versions) == (b"miss", b'{"data":2}')


async def test_a_mutation_is_never_shared() -> None:
    app, versions = CountingApp(cacheable=False, query_only=False), Versions()
    cache = ResponseCache(app, max_bytes=100_000)
    asking = [asyncio.create_task(_ask(cache, versions)) for _ in range(3)]
    await asyncio.sleep(0.01)
    app.release.set()
    answers = await asyncio.gather(*asking)
    assert app.executions == 3 and {state for state, _ in answers} == {b"miss"}


async def test_a_query_answered_with_errors_is_shared_meanwhile_but_not_kept() -> None:
    """A database that is away is away for every identical request waiting: they get the same
    answer instead of each asking the database again (a herd when it can least bear one); the
    answer is not kept, and nothing more is read for it."""
    app, versions = CountingApp(cacheable=False), Versions()
    cache = ResponseCache(app, max_bytes=100_000)
    asking = [asyncio.create_task(_ask(cache, versions)) for _ in range(5)]
    await asyncio.sleep(0.01)
    app.release.set()
    answers = await asyncio.gather(*asking)
    assert app.executions == 1
    assert sorted(state for state, _ in answers) == [b"miss"] + [b"shared"] * 4
    assert versions.reads == 5  # one version read each, none after the unkeepable answer
    assert (await _ask(cache, versions))[0] == b"miss" and app.executions == 2


async def test_when_the_first_request_is_cancelled_the_others_compute() -> None:
    app, versions = CountingApp(), Versions()
    cache = ResponseCache(app, max_bytes=100_000)
    first = asyncio.create_task(_ask(cache, versions))
    await asyncio.sleep(0.01)
    waiting = [asyncio.create_task(_ask(cache, versions)) for _ in range(2)]
    await asyncio.sleep(0.01)
    first.cancel()
    await asyncio.sleep(0.01)
    app.release.set()
    answers = await asyncio.gather(*waiting)
    assert [state for state, _ in answers] == [b"miss", b"miss"]
    assert app.executions == 3  # the cancelled first one, then each waiting request its own
