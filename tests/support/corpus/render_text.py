"""The report as text: every case of ``cases`` in the text layout, and what only text files do.

Text-only: Excel's "Unicode text" (UTF-16 with BOM, CRLF), CP932, columns separated by runs of
spaces, 当月/累計 columns under a month-of-report title, an uncatalogued indicator kept apart.
"""

from __future__ import annotations

import re

from service.domain.reference import prefectures
from tests.support.corpus import Rendering, edits
from tests.support.corpus.cases import SEED, Case, banded, meaning_cases, refusal_cases
from tests.support.reportgen import NOTE, render_report, report_title

NEW_TABLE = "9.新しい取組の事業者数"


def _rendering(case: Case) -> Rendering:
    refusal = case.refusal
    if case.row is not None:
        text = case.text()
        refusal = (*refusal, f"line {edits.cell_line(text, *case.row)}")
    return Rendering(
        f"text: {case.name}",
        "r08.txt",
        lambda: case.text().encode("utf-8"),
        case.values,
        months=case.months,
        refusal=refusal,
        warnings=case.warnings,
    )


def _spaced(text: str) -> str:
    """Table rows with runs of spaces for tabs, as a fixed-width export prints them."""
    return "\n".join(line.replace("\t", "   ") if "\t" in line else line for line in text.split("\n"))


def _single() -> dict[tuple[str, str, int, str], int]:
    """The seed's figures of the tables with one breakdown (spaces cannot show a spanned header)."""
    return {key: value for key, value in SEED.items() if key[0] != "onestop.skill_sharing.trainees"}


def _this_month(text: str) -> str:
    text = text.replace(report_title(2026), "令和8年4月分 よろず支援拠点相談等実績")
    return re.sub(r"^\t4月\t累計値$", "\t当月\t累計", text, flags=re.MULTILINE)


def _new_table(text: str) -> str:
    rows = [f"{p.name}\t{int(p.code)}" for p in sorted(prefectures(), key=lambda p: p.report_order)]
    total = sum(int(p.code) for p in prefectures())
    return text + "\n".join(
        ["(2)生産性向上支援センター", "", NEW_TABLE, "", "\t4月", f"合計\t{total}", *rows, "", NOTE, ""]
    )


def _new_values() -> dict[tuple[str, str, int, str], int]:
    code = edits.extra_code("productivity", "新しい取組の事業者数")
    return {(code, p.code, 4, "total"): int(p.code) for p in prefectures()}


RENDERINGS = [_rendering(case) for case in [*meaning_cases(), banded(), *refusal_cases()]]
RENDERINGS += [
    Rendering(
        "text: Excel Unicode text (UTF-16 with BOM, CRLF)",
        "r08.txt",
        lambda: edits.seed().replace("\n", "\r\n").encode("utf-16"),
        SEED,
    ),
    Rendering(
        "text: Excel Unicode text quoting figures with commas",
        "r08.txt",
        lambda: (
            re.sub(r"\t([0-9]{1,3}(?:,[0-9]{3})+)", '\t"\\1"', edits.seed())
            .replace("\n", "\r\n")
            .encode("utf-16")
        ),
        SEED,
    ),
    Rendering("text: CP932", "r08.txt", lambda: edits.seed().encode("cp932"), SEED),
    Rendering(
        "text: columns separated by spaces",
        "r08.txt",
        lambda: _spaced(render_report(fiscal_year=2026, months=[4], values=_single())).encode(),
        _single(),
    ),
    Rendering(
        "text: columns separated by spaces, a breakdown header that spaces cannot show",
        "r08.txt",
        lambda: _spaced(edits.seed()).encode(),
        None,
        refusal=("b トレーニーの受け入れ人数や出向の受け入れ人数", "line 460"),
    ),
    Rendering(
        "text: 当月 and 累計 under 令和8年4月分", "r08.txt", lambda: _this_month(edits.seed()).encode(), SEED
    ),
    Rendering(
        "text: a clearly new indicator is kept apart",
        "r08.txt",
        lambda: _new_table(edits.seed()).encode(),
        SEED | _new_values(),
        warnings=(f"table '{NEW_TABLE}'", "matches no catalogued indicator"),
    ),
    Rendering(
        "text: 当月 without a month-of-report title",
        "r08.txt",
        lambda: re.sub(r"^\t4月\t累計値$", "\t当月\t累計", edits.seed(), flags=re.MULTILINE).encode(),
        None,
        refusal=("1.名寄せ後の事業者数", "'当月'", "line 9", "names none"),
    ),
]
