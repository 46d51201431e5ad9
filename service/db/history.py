"""Reads of figure history: every report's value of a figure (``service.domain.revisions`` says
which wins and what was revised), and what a report changed. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import Table, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.db.figure_sql import FIGURE_VALUE, asked_for, stored_by
from service.db.models import FigureChange, Observation, Report
from service.domain.figures import FigureKey
from service.domain.fiscal import fiscal_index
from service.domain.revisions import Version

_OBS: Table = Observation.__table__  # type: ignore[attr-defined]
_REP: Table = Report.__table__  # type: ignore[attr-defined]
_CHANGE: Table = FigureChange.__table__  # type: ignore[attr-defined]


async def load_versions(
    session: AsyncSession, keys: Collection[FigureKey]
) -> dict[FigureKey, dict[tuple[str, int], list[Version]]]:
    """Every stored version of the keys' figures (by prefecture and month), newest first."""
    # Keys that differ only in ``previous_year`` name the same figures: they share one map.
    series: dict[tuple[str, int, str, datetime | None], dict[tuple[str, int], list[Version]]] = {
        (k.indicator_code, k.fiscal_year, k.breakdown, k.as_of): {} for k in keys
    }
    result = {k: series[(k.indicator_code, k.fiscal_year, k.breakdown, k.as_of)] for k in keys}
    for as_of in {key.as_of for key in keys}:
        group = [key for key in keys if key.as_of == as_of]
        rows = await session.exec(  # type: ignore[call-overload]
            select(*FIGURE_VALUE, _OBS.c.report_id, _OBS.c.precedence, _REP.c.processed_at)
            .join(_REP, _REP.c.id == _OBS.c.report_id)
            .where(
                *stored_by(as_of),
                *asked_for(
                    sorted({k.indicator_code for k in group}),
                    sorted({k.fiscal_year for k in group}),
                    sorted({k.breakdown for k in group}),
                ),
            )
            .order_by(_OBS.c.precedence.desc())
        )
        for code, year, breakdown, pref, month, value, report_id, precedence, processed_at in rows:
            if (versions := series.get((code, year, breakdown, as_of))) is not None:
                versions.setdefault((pref, month), []).append(
                    Version(value, report_id, precedence, processed_at)
                )
    return result


async def report_changes(session: AsyncSession, report_id: int) -> list[FigureChange]:
    """Figures already stored that the report changed when it was stored."""
    rows = await session.exec(  # type: ignore[call-overload]
        select(FigureChange).where(_CHANGE.c.report_id == report_id)
    )
    return sorted(
        rows.scalars().all(),
        key=lambda c: (
            c.indicator_code,
            c.fiscal_year,
            fiscal_index(c.month),
            c.prefecture_code,
            c.breakdown,
        ),
    )
