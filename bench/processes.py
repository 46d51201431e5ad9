"""The processes under test, started on loopback and stopped by id: the API, workers, the floor.

The API runs as in production (``uvicorn service.app:app``, one process, no reload, logs at
WARNING, no access log); workers as ``arq workers.WorkerSettings``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from service.dev.embedded_redis import free_port

ROOT = Path(__file__).resolve().parent.parent
BENCH_TOKEN = "bench-secret-token"


@dataclass(frozen=True)
class ServiceEnv:
    """The environment of the service's processes in one benchmark."""

    database_url: str
    redis_url: str
    queue_name: str
    log_dir: Path

    def env(self) -> dict[str, str]:
        """``os.environ`` with the service's settings for this benchmark."""
        return {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "QUEUE_NAME": self.queue_name,
            "API_TOKENS": f"bench:{BENCH_TOKEN}",
            "SAMPLE_DATA": "0",
            "LOG_LEVEL": "WARNING",
        }


def _spawn(argv: Sequence[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("a") as out:
        return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate one process we started (by its id), killing it if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def wait_http(
    url: str,
    process: subprocess.Popen[bytes],
    log: Path,
    timeout: float = 60,
    *,
    ask: Callable[[str], httpx.Response] = lambda url: httpx.get(url, timeout=2),
) -> None:
    """Wait until ``ask(url)`` answers 200; raise with the log's tail if the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: process exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if ask(url).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    stop(process)
    raise RuntimeError(f"{url} did not answer in {timeout:g} s: {log.read_text(errors='replace')[-2000:]}")


def wait_http_post(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    """Wait until a POST of ``{ __typename }`` to ``url`` answers 200 (the floor ignores the query)."""
    wait_http(
        url,
        process,
        log,
        timeout,
        ask=lambda url: httpx.post(url, json={"query": "{ __typename }", "variables": {}}, timeout=5),
    )


def uvicorn_argv(app: str, port: int) -> list[str]:
    """``uvicorn app`` as in production: one process, no reload, warnings only, no access log."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]


@contextmanager
def api(service: ServiceEnv) -> Iterator[str]:
    """The API (``service.app:app``) on a free loopback port; its base URL."""
    port = free_port()
    log = service.log_dir / "api.log"
    process = _spawn(uvicorn_argv("service.app:app", port), service.env(), log)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", process, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


@contextmanager
def workers(service: ServiceEnv, count: int, *, poll_delay: float | None = None) -> Iterator[None]:
    """``count`` arq worker processes; ``poll_delay`` overrides arq's (0.5 s) when given."""
    if poll_delay is None:
        argv = [sys.executable, "-m", "arq", "workers.WorkerSettings"]
    else:
        argv = [
            sys.executable,
            "-c",
            "import sys; from arq import run_worker; from workers import WorkerSettings; "
            "run_worker(WorkerSettings, poll_delay=float(sys.argv[1]))",
            str(poll_delay),
        ]
    processes = [_spawn(argv, service.env(), service.log_dir / f"worker-{n}.log") for n in range(count)]
    try:
        yield
    finally:
        for process in processes:
            stop(process)


@contextmanager
def floor(database_url: str, log_dir: Path) -> Iterator[str]:
    """The raw floor (``bench.floor:app``) over ``database_url`` on a free loopback port; its base URL."""
    port = free_port()
    log = log_dir / "floor.log"
    env = {**os.environ, "FLOOR_DATABASE_URL": database_url}
    process = _spawn(uvicorn_argv("bench.floor:app", port), env, log)
    try:
        wait_http_post(f"http://127.0.0.1:{port}/graphql", process, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)
