"""The service's processes on loopback for ``make run``, the tests and the bench: the API as in
production (``python -m service.server``), arq workers, the wait until the API is healthy, and
stopping each process by its id.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

from service.dev.embedded_redis import free_port

#: The worker process, as compose and ``make worker`` run it.
WORKER = ("-m", "arq", "workers.WorkerSettings")
#: How a readiness probe asks: a GET by default.
Ask = Callable[[httpx.AsyncClient, str], Awaitable[httpx.Response]]


class NotHealthy(RuntimeError):
    """A process exited, or did not answer in time, while it was waited for; the message has its log."""


def spawn(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    log: Path | None = None,
    cwd: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start ``argv`` with ``os.environ`` updated by ``env``; its output appended to ``log`` (or ours)."""
    environment = {**os.environ, **(env or {})}
    if log is None:
        return subprocess.Popen(argv, cwd=cwd, env=environment)
    with log.open("ab") as out:
        return subprocess.Popen(argv, cwd=cwd, env=environment, stdout=out, stderr=subprocess.STDOUT)


def api_argv(*, host: str = "127.0.0.1", port: int, options: Sequence[str] = ()) -> list[str]:
    """``python -m service.server`` (uvicorn with the client limits) on ``host:port``, with more
    uvicorn ``options``."""
    return [sys.executable, "-m", "service.server", "--host", host, "--port", str(port), *options]


def spawn_api(
    *,
    env: Mapping[str, str] | None = None,
    log: Path | None = None,
    host: str = "127.0.0.1",
    port: int | None = None,
    options: Sequence[str] = (),
) -> tuple[str, subprocess.Popen[bytes]]:
    """The API on ``port`` (a free one by default), not yet waited for: its base URL and process."""
    port = free_port() if port is None else port
    return f"http://{host}:{port}", spawn(api_argv(host=host, port=port, options=options), env=env, log=log)


def spawn_worker(*, env: Mapping[str, str] | None = None, log: Path | None = None) -> subprocess.Popen[bytes]:
    """One ``arq workers.WorkerSettings`` process."""
    return spawn([sys.executable, *WORKER], env=env, log=log)


def stop(process: subprocess.Popen[bytes], timeout: float = 20) -> None:
    """Terminate one process we started (by its id), killing it if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


async def wait_healthy(
    url: str,
    process: subprocess.Popen[bytes],
    *,
    log: Path | None = None,
    timeout: float = 60,
    ask: Ask | None = None,
) -> None:
    """Wait until ``url`` (a base URL: its /healthz) answers 200; ``NotHealthy`` with the log's tail
    if the process exits or time runs out (the process is then stopped). Outside an event loop
    (``make run``, the bench): ``asyncio.run(wait_healthy(…))``."""
    target = url if ask is not None else f"{url}/healthz"
    probe: Ask = ask or (lambda client, target: client.get(target, timeout=2))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    async with httpx.AsyncClient() as client:
        while loop.time() < deadline:
            if process.poll() is not None:
                raise NotHealthy(f"{target}: the process exited{_tail(log)}")
            try:
                if (await probe(client, target)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    stop(process)
    raise NotHealthy(f"{target} did not answer in {timeout:g} s{_tail(log)}")


@contextmanager
def api(
    *, env: Mapping[str, str] | None = None, log: Path | None = None, options: Sequence[str] = ()
) -> Iterator[str]:
    """The API on a free loopback port, healthy, stopped on leaving: its base URL."""
    base, process = spawn_api(env=env, log=log, options=options)
    try:
        asyncio.run(wait_healthy(base, process, log=log))
        yield base
    finally:
        stop(process)


@contextmanager
def workers(
    count: int, *, env: Mapping[str, str] | None = None, log: Callable[[int], Path]
) -> Iterator[None]:
    """``count`` worker processes, ``log(n)`` the log of the n-th, stopped on leaving."""
    processes = [spawn_worker(env=env, log=log(n)) for n in range(count)]
    try:
        yield
    finally:
        for process in processes:
            stop(process)


def _tail(log: Path | None) -> str:
    return f":\n{log.read_text(errors='replace')[-3000:]}" if log is not None and log.exists() else ""
