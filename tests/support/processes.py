"""The product as processes: a real uvicorn (``service.server``) and real arq workers."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from service.dev.embedded_redis import free_port
from tests.support.paths import ROOT


def start_worker(env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    """A real ``arq workers.WorkerSettings`` process with ``env``, logging to ``log_path``."""
    with log_path.open("a") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "arq", "workers.WorkerSettings"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )


@asynccontextmanager
async def serving(env: dict[str, str], log_path: Path, *, worker: bool = True) -> AsyncIterator[str]:
    """A real uvicorn (``service.server``: the app with its client limits, free loopback port) and one
    worker with ``env``: the base URL.

    ``worker=False`` starts the API alone (a test then starts its worker when it wants).
    """
    port = free_port()
    with log_path.open("a") as log:
        api = subprocess.Popen(
            [sys.executable, "-m", "service.server", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base, worker_process = f"http://127.0.0.1:{port}", None
    try:
        await _wait_healthy(base, api, log_path)
        if worker:
            worker_process = start_worker(env, log_path)
        yield base
    finally:
        for process in (worker_process, api):
            if process is not None:
                process.terminate()
                process.wait(20)


async def _wait_healthy(base: str, api: subprocess.Popen[bytes], log: Path) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(300):
            assert api.poll() is None, f"uvicorn exited:\n{log.read_text()[-3000:]}"
            try:
                if (await client.get(f"{base}/healthz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"uvicorn did not start:\n{log.read_text()[-3000:]}")
