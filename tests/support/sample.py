"""The sample report and helpers to derive variants of it line by line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from workers.parsing import ParsedReport, ParseError, parse_report

SAMPLE = Path(__file__).resolve().parents[2] / "service" / "data" / "sample_report.txt"


def sample_text() -> str:
    """The sample report's text (UTF-8, LF)."""
    return SAMPLE.read_text(encoding="utf-8")


def sample_lines() -> list[str]:
    """The sample's lines; index ``n - 1`` is line ``n``."""
    return sample_text().split("\n")


def edited(changes: dict[int, str]) -> bytes:
    """The sample with some lines (1-based numbers) replaced, keeping every line number."""
    lines = sample_lines()
    for number, text in changes.items():
        lines[number - 1] = text
    return "\n".join(lines).encode("utf-8")


def mapped(function: Callable[[int, str], str]) -> bytes:
    """The sample with ``function(line number, line)`` applied to every line."""
    return "\n".join(function(n, line) for n, line in enumerate(sample_lines(), start=1)).encode()


def parse(data: bytes, filename: str = "sample.txt") -> ParsedReport:
    """parse_report with a fixed file name."""
    return parse_report(data, filename=filename)


def figures(report: ParsedReport) -> tuple[object, ...]:
    """Everything a report says apart from its file name, encoding and links."""
    return (
        report.title,
        report.fiscal_year,
        report.months,
        report.warnings,
        tuple(
            (
                t.indicator_code,
                t.catalogued,
                t.section,
                t.number,
                t.title,
                t.name,
                t.definition,
                t.unit,
                t.breakdowns,
                t.months,
                t.prints_cumulative,
                t.values,
                t.reported_cumulative,
                t.totals,
                t.total_cumulative,
            )
            for t in report.tables
        ),
    )


def check_parses_or_refuses(data: bytes, filename: str) -> None:
    """The property every damaged input must keep: a ParseError naming the file, or whole figures."""
    try:
        report = parse_report(data, filename=filename)
    except ParseError as error:
        assert str(error).startswith(f"{filename}: ")
        return
    assert isinstance(report, ParsedReport)
    for table in report.tables:
        assert len(table.values) == 47 * len(table.months) * len(table.breakdowns)
