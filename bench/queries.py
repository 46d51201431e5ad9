"""The GraphQL queries the benchmarks send, as request bodies, with a check of each answer's shape.

``dashboard`` is ``docs/queries/dashboard.graphql`` itself; ``dashboard, aliased`` asks the same
figures as one aliased field per indicator and breakdown, and ``… with names`` selects prefecture
names as well (the shape Apollo users write). An uncached body carries a variable the
query does not declare (``_nonce``, ignored by GraphQL, different in every request), so a response
cache keyed on the request cannot answer it; a cached body is the same bytes every time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from bench.loadgen import BodyFactory, Check
from service.domain import reference

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = (ROOT / "docs" / "queries" / "dashboard.graphql").read_text(encoding="utf-8")
#: Monthly series per prefecture in the seed (12 indicators, ⑨b with 3 breakdowns).
SERIES_PER_PREFECTURE = 14

_SERIES_FIELDS = "total points { yearMonth value cumulative rank shareOfNational changeFromPreviousMonth }"


def _prefecture_page() -> str:
    series = "\n".join(
        f'    s{n}: series(indicator: "{spec.code}", fiscalYear: $fiscalYear) {{ {_SERIES_FIELDS} }}'
        for n, spec in enumerate(reference.indicator_catalogue())
    )
    return (
        "query PrefecturePage($prefecture: String!, $fiscalYear: Int!) {\n"
        "  prefecture(code: $prefecture) {\n    code name center { name url } caseStudyUrl\n"
        f"{series}\n"
        "    caseStudies(first: 5) { totalCount edges { node { title url industry publishedOn } } }\n"
        "  }\n}\n"
    )


PREFECTURE_PAGE = _prefecture_page()
#: What the dashboard query selects of each observation.
DASHBOARD_SELECTION = (
    "id indicator { id code } prefecture { id code } month breakdown value cumulative rank shareOfNational"
)
#: The selection of a dashboard written the way Apollo users compose one (issue 15).
NAMED_SELECTION = "prefecture { code name } month breakdown value cumulative"


def aliased_dashboard(selection: str = DASHBOARD_SELECTION) -> str:
    """The dashboard as one aliased ``observations`` field per indicator and breakdown (14 fields)."""
    fields = [
        f'  {spec.code.replace(".", "_")}_{breakdown}: observations(indicator: "{spec.code}", '
        f'breakdown: "{breakdown}", fiscalYear: $fiscalYear) {{ {selection} }}'
        for spec in reference.indicator_catalogue()
        for breakdown in spec.breakdowns
    ]
    return "query AliasedDashboard($fiscalYear: Int!) {\n" + "\n".join(fields) + "\n}\n"


ALIASED_DASHBOARD = aliased_dashboard()
NAMED_DASHBOARD = aliased_dashboard(NAMED_SELECTION)
REGIONAL_CHART = """query RegionalChart($indicator: String!, $fiscalYear: Int!) {
  regions(kind: AREA) { code name series(indicator: $indicator, fiscalYear: $fiscalYear) {
    total points { yearMonth value cumulative changeFromPreviousMonth } } }
}"""
NATIONAL = """query National($indicator: String!, $fiscalYear: Int!) {
  national(indicator: $indicator, fiscalYear: $fiscalYear) {
    total points { yearMonth value cumulative reportedTotal changeFromPreviousMonth changeFromPreviousYear }
  }
}"""


@dataclass(frozen=True)
class Query:
    """A benchmarked query: its name, text, variables, and a check of an answer for ``months`` months."""

    name: str
    text: str
    variables: dict[str, Any]

    def body(self, *, cached: bool) -> BodyFactory:
        """Request bodies: identical bytes when ``cached``, else a new ``_nonce`` in each."""
        if cached:
            fixed = orjson.dumps({"query": self.text, "variables": self.variables})
            return lambda _: fixed
        return lambda n: orjson.dumps({"query": self.text, "variables": {**self.variables, "_nonce": n}})


def _count(months: int, expected: int, find: Any) -> Check:
    def check(content: bytes) -> str | None:
        try:
            found = find(orjson.loads(content)["data"])
        except (KeyError, TypeError, orjson.JSONDecodeError) as error:
            return f"unexpected answer ({error!r}): {content[:200]!r}"
        return None if found == expected else f"{found} points, expected {expected}"

    return check


def _aliased_points(data: dict[str, Any]) -> int:
    return sum(len(points) for points in data.values())


def queries(fiscal_year: int, *, months: int = 12) -> dict[str, tuple[Query, Check]]:
    """The four benchmarked queries for ``fiscal_year`` (with ``months`` months stored), by name."""
    prefectures = len(reference.prefectures())
    indicators = len(reference.indicator_catalogue())
    return {
        "dashboard": (
            Query("dashboard", DASHBOARD, {"fiscalYear": fiscal_year}),
            _count(months, prefectures * SERIES_PER_PREFECTURE * months, lambda d: len(d["observations"])),
        ),
        "dashboard, aliased": (
            Query("dashboard, aliased", ALIASED_DASHBOARD, {"fiscalYear": fiscal_year}),
            _count(months, prefectures * SERIES_PER_PREFECTURE * months, _aliased_points),
        ),
        "dashboard, aliased with names": (
            Query("dashboard, aliased with names", NAMED_DASHBOARD, {"fiscalYear": fiscal_year}),
            _count(months, prefectures * SERIES_PER_PREFECTURE * months, _aliased_points),
        ),
        "prefecture page": (
            Query("prefecture page", PREFECTURE_PAGE, {"prefecture": "13", "fiscalYear": fiscal_year}),
            _count(
                months,
                indicators * months,
                lambda d: sum(len(v["points"]) for k, v in d["prefecture"].items() if k.startswith("s")),
            ),
        ),
        "regional chart": (
            Query(
                "regional chart",
                REGIONAL_CHART,
                {"indicator": "onestop.consultations", "fiscalYear": fiscal_year},
            ),
            _count(months, 8 * months, lambda d: sum(len(r["series"]["points"]) for r in d["regions"])),
        ),
        "national series": (
            Query(
                "national series", NATIONAL, {"indicator": "onestop.consultations", "fiscalYear": fiscal_year}
            ),
            _count(months, months, lambda d: len(d["national"]["points"])),
        ),
    }
