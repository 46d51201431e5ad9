"""The bundled redis-server starts, answers and stops (the path ``make run`` takes without Redis)."""

from __future__ import annotations

import redis

from service.dev.embedded_redis import redis_answers, start_redis


def test_start_redis_answers_and_keeps_nothing() -> None:
    server, url = start_redis()
    try:
        assert redis_answers(url)
        client = redis.Redis.from_url(url)
        assert client.config_get("save") == {"save": ""}
        assert client.config_get("appendonly") == {"appendonly": "no"}
        client.close()
    finally:
        server.terminate()
        server.wait(10)
    assert not redis_answers(url)


def test_nothing_answers_on_a_closed_port() -> None:
    assert not redis_answers("redis://127.0.0.1:9/0")
