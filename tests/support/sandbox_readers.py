"""Readers that misbehave, for tests/workers/test_sandbox.py: a module of their own that imports nothing,
so the child that unpickles one by name does not import the test module (pytest and the app)."""

from __future__ import annotations


def spin(data: bytes, *, filename: str) -> None:
    """A reader that never finishes."""
    while True:
        pass


def hoard(data: bytes, *, filename: str) -> list[bytes]:
    """A reader that keeps allocating (about 1 GB)."""
    return [bytes(1024 * 1024) for _ in range(1024)]


def recurse(data: bytes, *, filename: str) -> int:
    """A reader that nests without end."""
    return recurse(data, filename=filename) + 1


def crash(data: bytes, *, filename: str) -> None:
    """A reader with a bug."""
    raise KeyError("a bug")
