"""Reference data both processes share: prefectures, regions and the indicator catalogue.

Loaded once from the checked TSV files in ``service/data``; nothing here touches the database.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

SectionCode = Literal["onestop", "productivity"]
RegionKindCode = Literal["area", "bureau"]

SECTION_TITLES: dict[SectionCode, str] = {
    "onestop": "ワンストップ相談窓口",
    "productivity": "生産性向上支援センター",
}

#: Breakdown codes and the column labels that print them (⑨b table).
BREAKDOWN_LABELS: dict[str, str] = {
    "トレーニー": "trainee",
    "出向者": "seconded",
    "合計": "total",
    "計": "total",
}


@dataclass(frozen=True, slots=True)
class Prefecture:
    """One of the 47 prefectures and its よろず支援拠点 (JIS X 0401 code)."""

    code: str
    name: str
    short_name: str
    name_en: str
    area: str
    bureau: str
    report_order: int
    center_name: str
    center_url: str | None


@dataclass(frozen=True, slots=True)
class Region:
    """An 8-area region (地方区分) or a METI regional bureau (経済産業局)."""

    kind: RegionKindCode
    code: str
    name: str
    name_en: str


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """A catalogued indicator: the stable code clients use and how reports title it."""

    code: str
    section: SectionCode
    number: str
    name: str
    name_en: str
    unit: str
    breakdowns: tuple[str, ...]
    prints_cumulative: bool


def normalize_label(text: str) -> str:
    """NFKC-fold a printed label and drop all white space (``合 計`` → ``合計``, ``２`` → ``2``)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("service").joinpath("data", filename).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter="\t"))


@cache
def prefectures() -> tuple[Prefecture, ...]:
    """The 47 prefectures in JIS code order."""
    return tuple(
        Prefecture(
            code=row["code"],
            name=row["name"],
            short_name=row["short_name"],
            name_en=row["name_en"],
            area=row["area"],
            bureau=row["bureau"],
            report_order=int(row["report_order"]),
            center_name=row["center_name"],
            center_url=row["center_url"] or None,
        )
        for row in _rows("prefectures.tsv")
    )


@cache
def regions() -> tuple[Region, ...]:
    """Areas first, then bureaus, each in the order of ``regions.tsv``."""
    return tuple(
        Region(kind=row["kind"], code=row["code"], name=row["name"], name_en=row["name_en"])  # type: ignore[arg-type]
        for row in _rows("regions.tsv")
    )


@cache
def indicator_catalogue() -> tuple[IndicatorSpec, ...]:
    """The indicators with stable codes, in the order the results pages print them."""
    return tuple(
        IndicatorSpec(
            code=row["code"],
            section=row["section"],  # type: ignore[arg-type]
            number=row["number"],
            name=row["name"],
            name_en=row["name_en"],
            unit=row["unit"],
            breakdowns=tuple(row["breakdowns"].split(",")),
            prints_cumulative=row["prints_cumulative"] == "true",
        )
        for row in _rows("indicators.tsv")
    )


#: e-Stat's area code (地域コード) of the whole nation (全国).
NATIONAL_ESTAT_CODE = "00000"


def estat_code(code: str) -> str:
    """e-Stat's 5-digit area code of a prefecture: its JIS code and ``000`` (``13`` → ``13000``)."""
    return f"{code}000"


@cache
def _prefecture_names() -> dict[str, Prefecture]:
    names: dict[str, Prefecture] = {}
    for pref in prefectures():
        keys = (pref.code, pref.code.lstrip("0"), estat_code(pref.code), pref.name, pref.short_name)
        for key in (*keys, pref.name_en):
            names[normalize_label(key).lower()] = pref
    return names


def find_prefecture(code_or_name: str) -> Prefecture | None:
    """A prefecture by JIS code (``13``), e-Stat area code (``13000``), name (``東京都``), short name
    (``東京``) or English name."""
    return _prefecture_names().get(normalize_label(code_or_name).lower())


@cache
def _prefectures_by_code() -> dict[str, Prefecture]:
    return {pref.code: pref for pref in prefectures()}


@cache
def _regions_by_code() -> dict[str, Region]:
    return {region.code: region for region in regions()}


def prefecture(code: str) -> Prefecture:
    """The prefecture with this JIS code (exactly, e.g. ``01``); KeyError if there is none."""
    return _prefectures_by_code()[code]


def find_region(code: str) -> Region | None:
    """A region of either kind by its code (``kanto``, ``meti_kanto``) or Japanese name."""
    if code in _regions_by_code():  # the common case, without normalising
        return _regions_by_code()[code]
    key = normalize_label(code).lower()
    for region in regions():
        if key in (region.code, normalize_label(region.name)):
            return region
    return None


def region_prefectures(region: Region) -> tuple[Prefecture, ...]:
    """The prefectures of a region, in report order."""
    attribute = "area" if region.kind == "area" else "bureau"
    members = [p for p in prefectures() if getattr(p, attribute) == region.code]
    return tuple(sorted(members, key=lambda p: p.report_order))


# Numbering before a title, once folded: 1. 1) (1) ① ⑨b a. (a) — in any of these forms.
_NUMBERING = re.compile(
    r"^(?:(?:[\u2460-\u2473]|[0-9]{1,2})?\(?[a-z]\)?[.、:)]?(?=[^a-z])|\(?[0-9]{1,2}\)?[.、)]?(?=[^0-9.])|[\u2460-\u2473])"
)


def _title_key(text: str) -> str:
    """A printed title reduced to what identifies it: no numbering, quotes or white space."""
    key = normalize_label(text)
    key = _NUMBERING.sub("", key)
    return key.strip("「」\"'")


@cache
def _catalogue_keys() -> dict[tuple[str, str], IndicatorSpec]:
    return {(spec.section, _title_key(spec.name)): spec for spec in indicator_catalogue()}


def match_indicator(section: str, title: str) -> IndicatorSpec | None:
    """The catalogued indicator a table titled ``title`` in ``section`` reports, if any."""
    return _catalogue_keys().get((section, _title_key(title)))


def indicators_titled(title: str) -> tuple[IndicatorSpec, ...]:
    """The catalogued indicators of any section that a table titled ``title`` could report."""
    key = _title_key(title)
    return tuple(spec for (_, name), spec in _catalogue_keys().items() if name == key)


#: How alike (difflib's ratio) a title must be to a catalogued name to be read as a spelling of it.
NEAR_SPELLING = 0.75


def near_indicator(section: str | None, title: str) -> IndicatorSpec | None:
    """The catalogued indicator whose name ``title`` most nearly spells without matching, if any is near.

    A title that contains a catalogued name or is contained in one, or is at least
    ``NEAR_SPELLING`` alike, is a spelling of it rather than a new indicator.
    """
    key = _title_key(title)
    best: tuple[float, IndicatorSpec] | None = None
    for (spec_section, name), spec in _catalogue_keys().items():
        if section is not None and spec_section != section:
            continue
        ratio = difflib.SequenceMatcher(None, key, name).ratio()
        if name in key or key in name:
            ratio = max(ratio, NEAR_SPELLING)
        if ratio >= NEAR_SPELLING and (best is None or ratio > best[0]):
            best = (ratio, spec)
    return best[1] if best else None
