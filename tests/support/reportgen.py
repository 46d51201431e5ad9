"""Reports rendered from figures in the sample's text layout, and the sample's golden figures."""

from __future__ import annotations

import html
import json
import random
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

from service.domain.fiscal import fiscal_index
from service.domain.reference import (
    BREAKDOWN_LABELS,
    SECTION_TITLES,
    IndicatorSpec,
    indicator_catalogue,
    prefectures,
)

EXPECTED = Path(__file__).resolve().parents[1] / "data" / "seed-expected.json"
NOTE = "都道府県名をクリックすると、これまで各よろず支援拠点が支援している事例もご覧いただけます。"
GROUP_HEADING = "⑨よろず支援拠点の支援スキル・ノウハウを共有した人数"
_SECTION_NUMBERS = {"onestop": "(1)", "productivity": "(2)"}
# The first label of each code wins: 合計, not 計.
_LABELS = {code: label for label, code in reversed(BREAKDOWN_LABELS.items())}

#: (indicator code, prefecture code, month, breakdown) → value
Figures = dict[tuple[str, str, int, str], int]


def report_title(fiscal_year: int, era: str = "reiwa") -> str:
    """The title heading the sample prints, for a fiscal year written in an era or in 西暦.

    Years before 令和 (FY2019) are written in 平成 whatever ``era`` says.
    """
    if era == "reiwa" and fiscal_year < 2019:
        era = "heisei"
    if era == "reiwa":
        number = fiscal_year - 2018
        return f"令和{'元' if number == 1 else number}年度よろず支援拠点相談等実績"
    if era == "heisei":
        return f"平成{fiscal_year - 1988}年度よろず支援拠点相談等実績"
    if era == "western":
        return f"{fiscal_year}年度よろず支援拠点相談等実績"
    raise ValueError(f"unknown era {era!r}")


def render_report(
    *,
    fiscal_year: int,
    months: Sequence[int],
    values: Mapping[tuple[str, str, int, str], int],
    title: str | None = None,
    cumulative: bool = True,
    links: Mapping[str, str] | None = None,
    era: str = "reiwa",
) -> str:
    """A report giving ``values`` for every catalogued indicator they mention, in catalogue order.

    Every indicator needs a value for each prefecture, month and catalogued breakdown.
    The 合計 row prints the sums; 累計値 (when ``cumulative`` and the indicator prints one)
    prints each row's sum over ``months``. ``links`` maps prefecture codes to hrefs.
    """
    ordered = sorted(set(months), key=fiscal_index)
    codes = {key[0] for key in values}
    unknown = codes - {spec.code for spec in indicator_catalogue()}
    if unknown:
        raise ValueError(f"not catalogued indicators: {sorted(unknown)}")
    stray = {key[2] for key in values} - set(ordered)
    if stray:
        raise ValueError(f"values for months {sorted(stray)} not in months {ordered}")
    lines = [f"# {title or report_title(fiscal_year, era)}", ""]
    section = ""
    for spec in indicator_catalogue():
        if spec.code not in codes:
            continue
        heading = f"{_SECTION_NUMBERS[spec.section]}{SECTION_TITLES[spec.section]}"
        # The sample marks the first section header and repeats it unmarked before later tables.
        lines += [f"## {heading}" if spec.section != section else heading, ""]
        section = spec.section
        lines += _table(spec, ordered, values, cumulative and spec.prints_cumulative, links)
    return "\n".join(lines) + "\n"


def _table(
    spec: IndicatorSpec,
    months: list[int],
    values: Mapping[tuple[str, str, int, str], int],
    cumulative: bool,
    links: Mapping[str, str] | None,
) -> list[str]:
    if spec.number.startswith("⑨"):
        lines = [GROUP_HEADING, "", f"{spec.number[1:]} {spec.name}", ""]
    else:
        lines = [f"### {spec.number}.{spec.name}", ""]
    groups = [f"{m}月" for m in months] + (["累計値"] if cumulative else [])
    breakdowns = spec.breakdowns
    if len(breakdowns) == 1:
        lines.append("\t" + "\t".join(groups))
    else:
        lines.append("\t" + "\t".join("\t".join([g] + [""] * (len(breakdowns) - 1)) for g in groups))
        lines.append("\t" + "\t".join(_LABELS[b] for b in breakdowns * len(groups)))
    rows = {p.code: _row(spec, p.code, months, values, cumulative) for p in prefectures()}
    total = [sum(column) for column in zip(*rows.values(), strict=True)]
    # The breakdown table prints its 合計 row without a label.
    lines.append(("合計" if len(breakdowns) == 1 else "") + "\t" + "\t".join(f"{v:,}" for v in total))
    for pref in sorted(prefectures(), key=lambda p: p.report_order):
        label = pref.name
        if links is not None:
            label = f'<a href="{html.escape(links.get(pref.code, "#"))}">{pref.name}</a>'
        lines.append(label + "\t" + "\t".join(f"{v:,}" for v in rows[pref.code]))
    return [*lines, "", NOTE, "", f"◆◆{spec.name}：対象期間の{spec.name}。", ""]


def _row(
    spec: IndicatorSpec,
    pref: str,
    months: list[int],
    values: Mapping[tuple[str, str, int, str], int],
    cumulative: bool,
) -> list[int]:
    try:
        by_month = [[values[(spec.code, pref, m, b)] for b in spec.breakdowns] for m in months]
    except KeyError as missing:
        raise ValueError(f"no value for {missing.args[0]}") from None
    row = [v for group in by_month for v in group]
    if cumulative:
        row += [sum(group[i] for group in by_month) for i in range(len(spec.breakdowns))]
    return row


@cache
def _expected() -> dict[str, object]:
    data: dict[str, object] = json.loads(EXPECTED.read_text(encoding="utf-8"))
    return data


def expected() -> dict[str, object]:
    """tests/data/seed-expected.json: the sample report's exact figures and table metadata."""
    return _expected()


def seed_values() -> Figures:
    """The sample report's 658 monthly values, keyed (indicator, prefecture, month, breakdown)."""
    rows = expected()["values"]
    assert isinstance(rows, list)
    return {(r["indicator"], r["prefecture"], r["month"], r["breakdown"]): r["value"] for r in rows}


def random_figures(spec: IndicatorSpec, months: Sequence[int], rng: random.Random, *, scale: int) -> Figures:
    """Every prefecture's figures of ``spec`` for ``months``, each at most ``scale``; a breakdown
    table's 合計 is the sum of its parts (トレーニー + 出向者), as the report prints it."""
    values: Figures = {}
    for pref in prefectures():
        for month in months:
            parts = {b: rng.randrange(scale + 1) for b in spec.breakdowns if b != "total"}
            total = sum(parts.values()) if parts else rng.randrange(scale + 1)
            for breakdown, value in (parts | {"total": total}).items():
                values[(spec.code, pref.code, month, breakdown)] = value
    return values
