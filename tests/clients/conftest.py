"""One live service (real uvicorn, its own Redis, a pausable worker) for the client tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support.live import Live, live_service


@pytest.fixture(scope="package")
async def live(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Live]:
    async with live_service(tmp_path_factory.mktemp("clients")) as service:
        yield service
