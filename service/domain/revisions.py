"""Domain: which version of a figure wins, and the revisions among its versions (pure).

Every report keeps its own value of a figure; the one with the highest precedence (latest month
covered, then latest upload) is current, and the earlier values it replaced are its revisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from service.domain.fiscal import fiscal_index

#: Report ids stay far below this, so precedence orders by period first, then by upload.
_ID_SPAN = 1_000_000_000


def precedence(*, fiscal_year: int, latest_month: int, report_id: int) -> int:
    """A report's precedence: the later latest month covered first, then the later upload (higher id).

    Of a figure's versions, the one of the report with the highest precedence is current, so the
    outcome does not depend on the order in which reports were processed.
    """
    return (fiscal_year * 12 + fiscal_index(latest_month)) * _ID_SPAN + report_id


@dataclass(frozen=True, slots=True)
class Version:
    """One report's value for a figure."""

    value: int
    report_id: int
    precedence: int
    processed_at: datetime


@dataclass(frozen=True, slots=True)
class Revision:
    """An earlier value of a figure and when a newer report replaced it."""

    value: int
    report_id: int
    replaced_at: datetime


def revisions(versions: list[Version]) -> list[Revision]:
    """Earlier values, newest first, from a figure's versions (highest precedence first).

    The first version is the one shown; a version with the same value as the next newer one
    is no revision.
    """
    found = []
    for newer, older in pairwise(versions):
        if older.value != newer.value:
            replaced = max(newer.processed_at, older.processed_at)
            found.append(Revision(value=older.value, report_id=older.report_id, replaced_at=replaced))
    return found
