"""Reading in a child process: the parser's answers come back, and a reader past its time or memory
limit is killed and reported, while other reads beside it go on."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.paths import SEED
from tests.support.sandbox_readers import crash, hoard, recurse, spin
from workers.parsing import ParseError, parse_report
from workers.sandbox import Limits, ReadLimitExceeded, parse_bounded, run_bounded


async def test_the_seed_reads_as_in_process() -> None:
    assert await parse_bounded(SEED.read_bytes(), filename="seed.txt") == parse_report(
        SEED.read_bytes(), filename="seed.txt"
    )


async def test_a_parse_error_comes_back_as_it_was_raised() -> None:
    with pytest.raises(ParseError) as raised:
        await parse_bounded(b"nothing to read here", filename="note.txt")
    assert str(raised.value) == str(_in_process_error(b"nothing to read here", "note.txt"))
    assert not isinstance(raised.value, ReadLimitExceeded)


def _in_process_error(data: bytes, filename: str) -> ParseError:
    try:
        parse_report(data, filename=filename)
    except ParseError as error:
        return error
    raise AssertionError("expected a ParseError")


async def test_a_reader_past_its_time_is_killed_while_another_read_goes_on() -> None:
    slow = asyncio.create_task(run_bounded(spin, b"", limits=Limits(3, 200), filename="slow.html"))
    # The event loop stays free: a real report is read while the slow one spins.
    report = await parse_bounded(SEED.read_bytes(), filename="seed.txt")
    assert report.value_count == 658
    assert not slow.done()
    with pytest.raises(ReadLimitExceeded) as raised:
        await slow
    assert str(raised.value) == "slow.html: took longer than 3 s to read"


async def test_a_reader_past_its_memory_is_stopped() -> None:
    with pytest.raises(ReadLimitExceeded) as raised:
        await run_bounded(hoard, b"", limits=Limits(30, 100), filename="big.html")
    assert str(raised.value) == "big.html: needed more than 100 MB to read"


async def test_endless_nesting_is_refused() -> None:
    with pytest.raises(ReadLimitExceeded) as raised:
        await run_bounded(recurse, b"", limits=Limits(30, 200), filename="deep.html")
    assert str(raised.value) == "deep.html: is too deeply nested to read"


async def test_a_bug_in_the_reader_is_a_parse_error_pointing_at_the_log() -> None:
    with pytest.raises(ParseError) as raised:
        await run_bounded(crash, b"", limits=Limits(30, 200), filename="bug.txt")
    assert str(raised.value) == "bug.txt: could not be read (an error in the reader); see the worker log"
