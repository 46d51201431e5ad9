"""Rows of a read as the driver returned them, where SQLAlchemy would give them unchanged.

SQLAlchemy runs the statement (its errors, its connection handling); only its ``Row`` objects are
skipped, ~0.7 µs each: 6 ms of a dashboard's 8,000 figures, and as much again for the current
rows an ingestion reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import CursorResult, Result
from sqlalchemy.engine.cursor import CursorFetchStrategy


def driver_rows(result: Result[Any]) -> Sequence[Sequence[Any]]:
    """The rows of an executed read as the driver returned them (tuples, or asyncpg's records).

    Only for results whose columns need no conversion (plain integers and strings; a test compares
    both reads on each database): where a column has a result processor, or the rows are not
    simply buffered in the cursor, ``Result.all()`` reads them.
    """
    if _as_fetched(result):
        try:
            return result.cursor.fetchall()  # type: ignore[attr-defined,no-any-return]
        finally:
            result.close()
    return result.all()


def _as_fetched(result: Result[Any]) -> bool:
    """Whether SQLAlchemy would give the cursor's rows unchanged: no conversion, filter or log
    of a row, and nothing fetched ahead (these are private attributes: the tests of
    ``driver_rows`` fail if a release renames them)."""
    if not isinstance(result, CursorResult) or type(result.cursor_strategy) is not CursorFetchStrategy:
        return False
    metadata: Any = result._metadata
    return (
        metadata._tuplefilter is None
        and not any(metadata._processors)
        and result._row_logging_fn is None
        and result._unique_filter_state is None
    )
