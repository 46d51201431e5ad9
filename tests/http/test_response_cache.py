"""The answer store keeps the most recently used answers within its byte budget."""

from __future__ import annotations

from service.http.response_cache import Answer, AnswerStore


def answer(size: int) -> Answer:
    return Answer(headers=[], body=b"x" * size)


def test_least_recently_used_answers_go_first() -> None:
    store = AnswerStore(max_bytes=1000)
    for n in range(4):
        store.put((bytes([n]), 1), answer(240))
    assert store.get((b"\x00", 1)) is not None  # used: now the most recent
    store.put((b"\x04", 1), answer(240))
    assert store.get((b"\x01", 1)) is None and store.get((b"\x00", 1)) is not None
    assert store.size <= 1000


def test_versions_are_separate_and_huge_answers_are_not_kept() -> None:
    store = AnswerStore(max_bytes=1000)
    store.put((b"q", 1), answer(10))
    assert store.get((b"q", 2)) is None
    store.put((b"big", 1), answer(251))  # over a quarter of the budget
    assert store.get((b"big", 1)) is None


def test_a_budget_of_zero_keeps_nothing() -> None:
    store = AnswerStore(max_bytes=0)
    store.put((b"q", 1), answer(1))
    assert store.get((b"q", 1)) is None
