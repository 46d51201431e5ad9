"""Parsing where it can be stopped: each report is read in a child process with a hard time limit
and a memory limit, killed when it exceeds either, so a poison file fails alone and the worker's
event loop (and every other job on it) never waits for it.

Children are forked from a forkserver that has imported the parser once, so starting one costs a
fork, not an interpreter start (see ``warm_up``).
"""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import os
import resource
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any
from weakref import WeakKeyDictionary

import structlog

from workers.parsing import ParsedReport, ParseError, parse_report

log = structlog.get_logger("workers.sandbox")

# forkserver, not fork: the worker holds an event loop, database pools and threads that a fork
# would copy half-way; the forkserver is a clean single-threaded process with the parser imported.
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["workers.sandbox"])
#: Seconds of CPU a child may use beyond its wall-clock limit before the kernel stops it; the
#: parent kills it at the wall-clock limit, this only matters if the parent itself is gone.
_CPU_GRACE = 5
#: The child's exit status when it ran out of memory.
_NO_MEMORY = 86
_slots: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = WeakKeyDictionary()


@dataclass(frozen=True)
class Limits:
    """What one child may use.

    Parameters:
        seconds: wall-clock time from start to result.
        memory_mb: address space the child may add to what it holds when it starts.
    """

    seconds: float
    memory_mb: int


class ReadLimitExceeded(ParseError):
    """The file took too long or needed too much memory to read; the child was stopped."""


async def parse_bounded(data: bytes, *, filename: str, fiscal_year: int | None = None) -> ParsedReport:
    """``parse_report`` in a child process under PARSE_TIMEOUT_SECONDS and PARSE_MEMORY_MB.

    At most PARSE_PROCESSES run at once per worker process; a caller beyond that waits (the wait
    does not count against the time limit). Raises ``ParseError`` as ``parse_report`` does, and
    ``ReadLimitExceeded`` (a ``ParseError``) when a limit stopped the child.
    """
    from service.settings import get_settings

    settings = get_settings()
    limits = Limits(seconds=settings.parse_timeout_seconds, memory_mb=settings.parse_memory_mb)
    kwargs: dict[str, Any] = {"filename": filename}
    if fiscal_year is not None:
        kwargs["fiscal_year"] = fiscal_year
    async with _slot(settings.parse_processes):
        result: ParsedReport = await run_bounded(parse_report, data, limits=limits, **kwargs)
    return result


def _slot(size: int) -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    if loop not in _slots:
        _slots[loop] = asyncio.Semaphore(max(1, size))
    return _slots[loop]


def warm_up() -> None:
    """Start the forkserver now (it imports the parser), so the first report does not wait for it."""
    from multiprocessing import forkserver

    forkserver.ensure_running()


async def run_bounded(
    function: Callable[..., Any], data: bytes, *, limits: Limits, filename: str, **kwargs: Any
) -> Any:
    """``function(data, filename=filename, **kwargs)`` in a fresh child process under ``limits``.

    ``function`` must be importable by name (it is pickled). Its ``ParseError`` is raised here;
    a child stopped by a limit, or dying, raises ``ReadLimitExceeded`` naming the limit.
    """
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(
        target=_child, args=(sender, limits, function, data, filename, kwargs), daemon=True
    )
    try:
        # Writing the file to the child blocks until it has read it: off the event loop.
        await asyncio.to_thread(child.start)
        sender.close()
        if not await _readable(receiver, limits.seconds):
            raise ReadLimitExceeded(f"took longer than {limits.seconds:g} s to read", file=filename)
        try:
            kind, value = receiver.recv()
        except EOFError:
            kind, value = "died", None
    finally:
        if child.is_alive():
            child.kill()
        if child.pid is not None:
            await asyncio.to_thread(child.join)
        receiver.close()
    return _outcome(kind, value, child.exitcode, limits=limits, filename=filename)


async def _readable(receiver: Connection, seconds: float) -> bool:
    """Whether the child sent its result (or closed the pipe by dying) within ``seconds``."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[None] = loop.create_future()
    fd = receiver.fileno()

    def mark() -> None:
        if not ready.done():
            ready.set_result(None)

    loop.add_reader(fd, mark)
    try:
        await asyncio.wait_for(ready, seconds)
        return True
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)


def _outcome(kind: str, value: Any, exitcode: int | None, *, limits: Limits, filename: str) -> Any:
    if kind == "ok":
        return value
    if kind == "error":
        raise value
    if kind == "nested":
        raise ReadLimitExceeded("is too deeply nested to read", file=filename)
    if kind == "bug":
        log.error("sandbox.reader_failed", file=filename, traceback=value)
        raise ParseError("could not be read (an error in the reader); see the worker log", file=filename)
    if exitcode == _NO_MEMORY:
        raise ReadLimitExceeded(f"needed more than {limits.memory_mb} MB to read", file=filename)
    # No result and a closed pipe: killed by the kernel (CPU limit, an allocation it could not
    # report) or a crash in native code; the memory limit is the usual cause.
    raise ReadLimitExceeded(
        f"stopped the reader (exit code {exitcode}); it may need more than {limits.memory_mb} MB to read",
        file=filename,
    )


def _child(
    sender: Connection,
    limits: Limits,
    function: Callable[..., Any],
    data: bytes,
    filename: str,
    kwargs: dict[str, Any],
) -> None:
    """The child's whole life: set its limits, run ``function``, send back one (kind, value).

    Out of memory it exits with ``_NO_MEMORY`` at once: reporting through the pipe could need
    memory the parse still holds while the exception unwinds.
    """
    _limit_resources(limits)
    outcome: tuple[str, Any]
    try:
        outcome = ("ok", function(data, filename=filename, **kwargs))
    except MemoryError:
        os._exit(_NO_MEMORY)
    except RecursionError:
        outcome = ("nested", None)
    except ParseError as error:
        outcome = ("error", error)
    except Exception:
        outcome = ("bug", traceback.format_exc())
    try:
        sender.send(outcome)
    except MemoryError:
        os._exit(_NO_MEMORY)
    sender.close()


def _limit_resources(limits: Limits) -> None:
    cpu = math.ceil(limits.seconds) + _CPU_GRACE
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    held = _address_space_bytes()
    if held is not None:
        ceiling = held + limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))


def _address_space_bytes() -> int | None:
    """This process's virtual size (Linux); None where /proc is missing, leaving memory unlimited."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return None
