"""Settings from the environment, and bearer tokens."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from service.http.auth import caller_name
from service.http.body_size import format_size
from service.settings import Settings


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "REDIS_URL", "API_TOKENS"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database_url == "sqlite+aiosqlite:///./yorozu.db"
    assert settings.redis_url == "redis://localhost:6379/0"
    assert settings.api_tokens == {}
    assert settings.max_upload_bytes == 20 * 1024 * 1024


def test_api_tokens_with_and_without_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("API_TOKENS", "alice:s3cret, plain ,")
    assert Settings(_env_file=None).api_tokens == {"s3cret": "alice", "plain": "token-2"}  # type: ignore[call-arg]


def _request(authorization: str | None) -> Request:
    headers = [] if authorization is None else [(b"authorization", authorization.encode())]
    return Request({"type": "http", "headers": headers})


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("Bearer s3cret", "alice"),
        ("bearer s3cret", "alice"),
        ("Bearer nope", None),
        ("Basic s3cret", None),
        (None, None),
        ("Bearer ", None),
    ],
)
def test_caller_name(header: str | None, name: str | None) -> None:
    assert caller_name(_request(header), {"s3cret": "alice"}) == name


@pytest.mark.parametrize(
    ("size", "text"), [(20 * 1024 * 1024, "20 MB"), (512 * 1024, "512 KB"), (200_000, "200,000 bytes")]
)
def test_format_size(size: int, text: str) -> None:
    assert format_size(size) == text
