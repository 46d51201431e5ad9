"""Parsing where it can be stopped: each report is read in a child process with a hard time limit
and a memory limit, killed when it exceeds either, so a poison file fails alone and the worker's
event loop (and every other job on it) never waits for it.

Children are forked from a forkserver that has imported (and warmed) the parser once, and are
kept between reports (up to PARSE_PROCESSES, each for up to ``_REPORTS_PER_CHILD`` reports), so a
report's read usually starts in a warm process; a child stopped by a limit is replaced.
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
from multiprocessing.process import BaseProcess
from typing import Any
from weakref import WeakKeyDictionary

import structlog

from workers.parsing import ParsedReport, ParseError, parse_report

log = structlog.get_logger("workers.sandbox")

# forkserver, not fork: the worker holds an event loop, database pools and threads that a fork
# would copy half-way; the forkserver is a clean single-threaded process with the parser imported.
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["workers.sandbox", "workers._warm_parser"])
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
        result: ParsedReport = await run_bounded(
            parse_report, data, limits=limits, keep=settings.parse_processes, **kwargs
        )
    return result


def _slot(size: int) -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    if loop not in _slots:
        _slots[loop] = asyncio.Semaphore(max(1, size))
    return _slots[loop]


@dataclass
class _Child:
    """A started child: the process, both pipe ends the parent keeps, and the reports it has read."""

    process: BaseProcess
    jobs: Connection
    results: Connection
    served: int = 0


#: Children waiting for a report. A child reads reports one after another with its caches warm,
#: until a limit stops it (it is killed and replaced) or it has read ``_REPORTS_PER_CHILD``.
_idle: list[_Child] = []
_REPORTS_PER_CHILD = 50
#: Replacements being started (held so that the event loop does not drop them half-way).
_starting: set[asyncio.Task[None]] = set()


def _start_child() -> _Child:
    job_reader, job_writer = _CONTEXT.Pipe(duplex=False)
    result_reader, result_writer = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(target=_child, args=(job_reader, result_writer), daemon=True)
    process.start()
    job_reader.close()
    result_writer.close()
    return _Child(process, job_writer, result_reader)


async def warm_up() -> None:
    """Start the forkserver (it imports the parser) and a child now, before the first report."""
    if not _idle:
        _idle.append(await asyncio.to_thread(_start_child))


async def _take_child() -> _Child:
    """A waiting child, or a new one."""
    while _idle:
        child = _idle.pop()
        if child.process.is_alive():
            return child
        _discard(child)
    return await asyncio.to_thread(_start_child)


def _give_back(child: _Child, keep: int) -> None:
    child.served += 1
    if child.served < _REPORTS_PER_CHILD and len(_idle) < keep:
        _idle.append(child)
    else:
        _discard(child)


def _start_replacement(keep: int) -> None:
    task = asyncio.get_running_loop().create_task(_replace(keep))
    _starting.add(task)
    task.add_done_callback(_starting.discard)


async def _replace(keep: int) -> None:
    """Start a child in place of a killed one, so the next report does not wait for it."""
    if len(_idle) < keep:
        _idle.append(await asyncio.to_thread(_start_child))


def _discard(child: _Child) -> None:
    child.jobs.close()  # the child sees EOF and exits
    child.results.close()


async def run_bounded(
    function: Callable[..., Any], data: bytes, *, limits: Limits, filename: str, keep: int = 2, **kwargs: Any
) -> Any:
    """``function(data, filename=filename, **kwargs)`` in a child process under ``limits``.

    ``function`` must be importable by name (it is pickled). Its ``ParseError`` is raised here;
    a child stopped by a limit, or dying, raises ``ReadLimitExceeded`` naming the limit. Up to
    ``keep`` children are kept waiting for the next call.
    """
    child = await _take_child()
    try:
        # Writing the file to the child blocks until it has read it: off the event loop.
        await asyncio.to_thread(child.jobs.send, (limits, function, data, filename, kwargs))
        if not await _readable(child.results, limits.seconds):
            raise ReadLimitExceeded(f"took longer than {limits.seconds:g} s to read", file=filename)
        try:
            kind, value = child.results.recv()
        except EOFError:
            kind, value = "died", None
    except BaseException:
        child.process.kill()
        _discard(child)
        _start_replacement(keep)
        raise
    if kind in ("ok", "error"):
        _give_back(child, keep)
        return _outcome(kind, value, None, limits=limits, filename=filename)
    # A child that sent no answer, or met a limit, is not used again; its exit status says why.
    if kind != "died":
        child.process.kill()
    _discard(child)
    await asyncio.to_thread(child.process.join)
    _start_replacement(keep)
    return _outcome(kind, value, child.process.exitcode, limits=limits, filename=filename)


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


def _child(jobs: Connection, results: Connection) -> None:
    """A child's life: read the reports it is sent, one at a time, each under its limits, and send
    back one (kind, value) for each; exit when the parent closes the pipe.

    Out of memory it exits with ``_NO_MEMORY`` at once: reporting through the pipe could need
    memory the parse still holds while the exception unwinds.
    """
    held = _address_space_bytes()
    while True:
        try:
            limits, function, data, filename, kwargs = jobs.recv()
        except EOFError:
            return
        _limit_resources(limits, held)
        outcome = _run(function, data, filename, kwargs)
        del data
        try:
            results.send(outcome)
        except MemoryError:
            os._exit(_NO_MEMORY)


def _run(function: Callable[..., Any], data: bytes, filename: str, kwargs: dict[str, Any]) -> tuple[str, Any]:
    try:
        return ("ok", function(data, filename=filename, **kwargs))
    except MemoryError:
        os._exit(_NO_MEMORY)
    except RecursionError:
        return ("nested", None)
    except ParseError as error:
        return ("error", error)
    except Exception:
        return ("bug", traceback.format_exc())


def _limit_resources(limits: Limits, held: int | None) -> None:
    """This report's limits: CPU seconds from now (the limit counts the child's whole life), and
    address space beyond what the child held when it started."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = math.ceil(usage.ru_utime + usage.ru_stime + limits.seconds) + _CPU_GRACE
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, resource.RLIM_INFINITY))
    if held is not None:
        ceiling = held + limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, resource.RLIM_INFINITY))


def _address_space_bytes() -> int | None:
    """This process's virtual size (Linux); None where /proc is missing, leaving memory unlimited."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return None
