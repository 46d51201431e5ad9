"""Imported only by the sandbox's forkserver: reads the bundled sample report once, so every child
forked from it starts with the parser's caches (catalogue, prefectures, compiled patterns) filled
instead of filling them again for each report (about half of a small report's reading time)."""

from contextlib import suppress
from importlib import resources

from workers.parsing import ParseError, parse_report

# Only a warm-up: the forkserver must start even if the sample cannot be read.
with suppress(OSError, ParseError):
    parse_report(
        resources.files("service").joinpath("data/sample_report.txt").read_bytes(),
        filename="sample_report.txt",
    )
