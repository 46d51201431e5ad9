"""Files the e2e tests upload besides the seed: a May report, one table as CSV, Tokyo's case studies."""

from __future__ import annotations

from tests.support.formats import to_wide_csv
from tests.support.reportgen import render_report, seed_values


def may_figures() -> dict[tuple[str, str, int, str], int]:
    """April as in the seed plus a May of (April + prefecture number), consistent ⑨b totals."""
    april = seed_values()
    figures = dict(april)
    for (indicator, pref, _, breakdown), value in april.items():
        bump = 0 if breakdown == "seconded" else int(pref)
        figures[(indicator, pref, 5, breakdown)] = value + bump
    return figures


def one_table_csv(indicator: str) -> bytes:
    """One indicator's table as CSV under its section heading, with no title naming a year."""
    values = {key: value for key, value in seed_values().items() if key[0] == indicator}
    text = render_report(fiscal_year=2026, months=[4], values=values)
    return to_wide_csv("".join(line for line in text.splitlines(True) if not line.startswith("# ")))


def tokyo_csv(count: int, *, title: str = "事例") -> bytes:
    lines = ["prefecture,title,url,summary,industry,published_on"]
    lines += [
        f"東京都,{title}{n},https://example.jp/tokyo/{n},概要{n},製造業,2026-04-{n:02d}"
        for n in range(1, count + 1)
    ]
    return ("\n".join(lines) + "\n").encode()
