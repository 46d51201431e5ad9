"""Domain: what a preview (確認) reports: the reading of an uploaded file and the figures it would change.

A worker computes a preview (``workers.preview``) and the API shows it (``service.previews``,
``service.graphql.types.previews``); both import the shapes from here, so the API never imports
the worker.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TablePreview:
    """One table as read: its indicator, title as printed and how many monthly values it gives."""

    indicator_code: str
    catalogued: bool
    section: str
    number: str
    title: str
    name: str
    months: tuple[int, ...]
    line: int
    value_count: int


@dataclass(frozen=True)
class ChangedFigure:
    """A current figure the report would change (修正): its key, the value now and the report's."""

    indicator_code: str
    prefecture_code: str
    fiscal_year: int
    month: int
    breakdown: str
    old_value: int
    new_value: int


@dataclass(frozen=True)
class Preview:
    """What storing the file would give: its reading, or the error that would fail it.

    Parameters:
        filename: the file's name.
        error, error_ja: why the file would fail (English, Japanese); None when it would be stored.
        title, fiscal_year, months: the report's title, fiscal year (年度) and months, as read.
        tables: each table read, in report order.
        warnings, warnings_ja: the warnings it would carry (English, Japanese).
        changes: current figures it would change (修正).
    """

    filename: str
    error: str | None = None
    error_ja: str | None = None
    title: str | None = None
    fiscal_year: int | None = None
    months: tuple[int, ...] = ()
    tables: tuple[TablePreview, ...] = ()
    warnings: tuple[str, ...] = ()
    warnings_ja: tuple[str, ...] = ()
    changes: tuple[ChangedFigure, ...] = ()

    @property
    def value_count(self) -> int:
        """The number of monthly values it would store."""
        return sum(table.value_count for table in self.tables)
