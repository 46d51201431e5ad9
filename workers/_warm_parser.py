"""Imported only by the sandbox's forkserver: reads the bundled sample report once, so every child
forked from it starts with the parser's caches (catalogue, prefectures, compiled patterns) filled
instead of filling them again for each report (about half of a small report's reading time)."""

from importlib import resources

from workers.parsing import parse_report

parse_report(
    resources.files("service").joinpath("data/sample_report.txt").read_bytes(), filename="sample_report.txt"
)
