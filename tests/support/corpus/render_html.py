"""The report as a results page: every case of ``cases`` in HTML, and what only pages do.

Page-only: labels and values in nested tags with ``&nbsp;``, ``<td>`` headers, Shift_JIS,
links that are not http(s) (dropped with a warning), and nesting no results page needs (refused).
"""

from __future__ import annotations

from tests.support.corpus import Rendering, edits
from tests.support.corpus.cases import SEED, Case, banded, meaning_cases, refusal_cases
from tests.support.formats import to_html
from tests.support.reportgen import render_report


def _rendering(case: Case) -> Rendering:
    return Rendering(
        f"html: {case.name}",
        "r08.html",
        lambda: to_html(case.text()),
        case.values,
        months=case.months,
        refusal=case.refusal,
        warnings=case.warnings,
    )


def _linked(href: str) -> bytes:
    return to_html(render_report(fiscal_year=2026, months=[4], values=SEED, links={"13": href}), fancy=True)


def _nested(depth: int) -> bytes:
    page = to_html(edits.seed()).decode()
    return page.replace("<body>", "<body>" + "<table><tr><td>" * depth, 1).encode()


def _deep(depth: int) -> bytes:
    page = to_html(edits.seed()).decode()
    return page.replace("<body>", "<body>" + "<div>" * depth, 1).encode()


RENDERINGS = [_rendering(case) for case in [*meaning_cases(), banded(), *refusal_cases()]]
RENDERINGS += [
    Rendering("html: nested tags and &nbsp;", "r08.html", lambda: to_html(edits.seed(), fancy=True), SEED),
    Rendering("html: <td> headers", "r08.html", lambda: to_html(edits.seed(), header_tag="td"), SEED),
    Rendering("html: Shift_JIS", "r08.html", lambda: to_html(edits.seed(), encoding="cp932"), SEED),
    Rendering(
        "html: a javascript: link is dropped",
        "r08.html",
        lambda: _linked("javascript:alert(1)"),
        SEED,
        warnings=("row 東京都", "'javascript:alert(1)' is not an http(s) address and was dropped"),
    ),
    Rendering(
        "html: a data: link is dropped",
        "r08.html",
        lambda: _linked("data:text/html,<script>alert(1)</script>"),
        SEED,
        warnings=("'data:text/html", "was dropped"),
    ),
    Rendering(
        "html: an entity-spelled javascript: link is dropped",
        "r08.html",
        lambda: _linked("&#106;avascript:alert(1)"),
        SEED,
        warnings=("was dropped",),
    ),
    Rendering("html: a layout table around the report", "r08.html", lambda: _nested(2), SEED),
    Rendering(
        "html: tables nested too deep",
        "r08.html",
        lambda: _nested(40),
        None,
        refusal=("too deeply nested", "tables inside tables 6 deep"),
    ),
    Rendering(
        "html: elements nested too deep",
        "r08.html",
        lambda: _deep(500),
        None,
        refusal=("too deeply nested", "more than 200 deep"),
    ),
]
