"""The seed as the formats already read it: the corpus's baseline."""

from __future__ import annotations

from tests.support.corpus import Rendering
from tests.support.formats import to_html, to_long_csv, to_wide_csv, to_xlsx
from tests.support.reportgen import seed_values
from tests.support.sample import sample_text

RENDERINGS = [
    Rendering("seed: text utf-8", "r08-04.txt", lambda: sample_text().encode(), seed_values()),
    Rendering("seed: html", "r08-04.html", lambda: to_html(sample_text()), seed_values()),
    Rendering(
        "seed: xlsx", "r08-04.xlsx", lambda: to_xlsx(sample_text(), one_sheet_per_table=False), seed_values()
    ),
    Rendering("seed: wide csv", "r08-04.csv", lambda: to_wide_csv(sample_text()), seed_values()),
    Rendering(
        "seed: long csv",
        "r08-04-long.csv",
        lambda: to_long_csv(seed_values(), fiscal_year=2026),
        seed_values(),
    ),
]
