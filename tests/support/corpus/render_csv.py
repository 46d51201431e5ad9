"""The report as CSV: every case of ``cases`` as a wide CSV, and what only CSV files do.

CSV-only: data starting in any column under a title block, Excel's padded rows, one table per
file with the fiscal year in the file or given with the upload, and the long layout with
Japanese column names (指標, 都道府県, 年度, 月, 内訳, 値) or indicator names.
"""

from __future__ import annotations

import csv
import io

from tests.support.corpus import Rendering, edits
from tests.support.corpus.cases import SEED, Case, banded, meaning_cases, refusal_cases
from tests.support.formats import to_long_csv, to_wide_csv
from tests.support.reportgen import render_report

CONSULTATIONS = "onestop.consultations"


def _rendering(case: Case) -> Rendering:
    return Rendering(
        f"csv: {case.name}",
        "r08.csv",
        lambda: to_wide_csv(case.text()),
        case.values,
        months=case.months,
        refusal=case.refusal,
        warnings=case.warnings,
    )


def _shifted(data: bytes, columns: int, title: list[list[str]]) -> bytes:
    """Every record moved ``columns`` to the right, under a title block."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(title)
    writer.writerows([[""] * columns + row if any(row) else row for row in rows])
    return out.getvalue().encode("utf-8")


def _one_table(*, title: str | None) -> bytes:
    """The 相談実績件数 table alone: its own title (and, when given, the report's), no section."""
    values = {k: v for k, v in SEED.items() if k[0] == CONSULTATIONS}
    text = render_report(fiscal_year=2026, months=[4], values=values)
    lines = [line for line in text.split("\n") if "ワンストップ相談窓口" not in line]
    if title is None:
        lines = [line for line in lines if "よろず支援拠点相談等実績" not in line]
    else:
        lines = [title if "よろず支援拠点相談等実績" in line else line for line in lines]
    return to_wide_csv("\n".join(lines))


def _long_japanese(*, names: bool) -> bytes:
    data = to_long_csv(SEED, fiscal_year=2026, prefecture_names=True).decode()
    body = data.partition("\n")[2]
    out = "指標,都道府県,年度,月,内訳,値\n" + body
    if names:
        out = out.replace(f"{CONSULTATIONS},", "相談実績件数,")
    return out.encode("utf-8")


def _consultations() -> dict[tuple[str, str, int, str], int]:
    return {k: v for k, v in SEED.items() if k[0] == CONSULTATIONS}


RENDERINGS = [_rendering(case) for case in [*meaning_cases(), banded(), *refusal_cases()]]
RENDERINGS += [
    Rendering(
        "csv: rows padded as Excel writes them", "r08.csv", lambda: to_wide_csv(edits.seed(), pad=True), SEED
    ),
    Rendering(
        "csv: data from column C under a title block",
        "r08.csv",
        lambda: _shifted(to_wide_csv(edits.seed()), 2, [["作成日", "2026/05/10"], ["単位", "件"], []]),
        SEED,
    ),
    Rendering("csv: CP932", "r08.csv", lambda: to_wide_csv(edits.seed(), encoding="cp932"), SEED),
    Rendering(
        "csv: one table, the fiscal year given with the upload",
        "consultations.csv",
        lambda: _one_table(title=None),
        _consultations(),
        upload_fiscal_year=2026,
    ),
    Rendering(
        "csv: one table, the fiscal year in the file",
        "consultations.csv",
        lambda: _one_table(title="令和8年度よろず支援拠点相談等実績"),
        _consultations(),
    ),
    Rendering(
        "csv: one table, the file and the upload disagree",
        "consultations.csv",
        lambda: _one_table(title="令和8年度よろず支援拠点相談等実績"),
        None,
        upload_fiscal_year=2025,
        refusal=("names fiscal year 2026 but the upload gives 2025",),
    ),
    Rendering(
        "csv: one table, no fiscal year anywhere",
        "consultations.csv",
        lambda: _one_table(title=None),
        None,
        refusal=("no fiscal year (年度) in the title '2.相談実績件数'",),
    ),
    Rendering(
        "csv: long, Japanese column names",
        "r08-long.csv",
        lambda: _long_japanese(names=False),
        SEED,
    ),
    Rendering(
        "csv: long, Japanese column names and an indicator by name",
        "r08-long.csv",
        lambda: _long_japanese(names=True),
        SEED,
    ),
    Rendering(
        "csv: long, the fiscal year given with the upload agrees",
        "r08-long.csv",
        lambda: to_long_csv(SEED, fiscal_year=2026),
        SEED,
        upload_fiscal_year=2026,
    ),
    Rendering(
        "csv: long, a withheld value",
        "r08-long.csv",
        lambda: to_long_csv(SEED, fiscal_year=2026).replace(b",total,784\n", b",total,x\n", 1),
        None,
        refusal=("column 'value'", "'x' marks a figure not available or withheld"),
    ),
]
