"""The product as processes: a real uvicorn (``service.server``) and real arq workers, started
with ``service.dev.processes`` like ``make run`` and the bench."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from service.dev import processes


def start_worker(env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    """A real ``arq workers.WorkerSettings`` process with ``env``, logging to ``log_path``."""
    return processes.spawn_worker(env=env, log=log_path)


@asynccontextmanager
async def serving(env: dict[str, str], log_path: Path, *, worker: bool = True) -> AsyncIterator[str]:
    """A real uvicorn (``service.server``: the app with its client limits, free loopback port) and one
    worker with ``env``: the base URL.

    ``worker=False`` starts the API alone (a test then starts its worker when it wants).
    """
    base, api = processes.spawn_api(env=env, log=log_path)
    worker_process = None
    try:
        await processes.wait_healthy(base, api, log=log_path)
        if worker:
            worker_process = start_worker(env, log_path)
        yield base
    finally:
        for process in (worker_process, api):
            if process is not None:
                processes.stop(process)
