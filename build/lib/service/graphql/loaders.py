"""Per-request batch loading, so nested fields cost one query per kind, not one per object."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from strawberry.dataloader import DataLoader

from service.models import Indicator, Report


class Loaders:
    """The loaders of one request; they share its session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._indicators: dict[str, Indicator] | None = None
        self.report = DataLoader[int, Report | None](load_fn=self._load_reports)

    async def indicators(self) -> dict[str, Indicator]:
        """Every indicator by code, in catalogue order (a small table, read once per request)."""
        if self._indicators is None:
            rows = await self._session.exec(
                select(Indicator).order_by(col(Indicator.position), col(Indicator.code))
            )
            self._indicators = {row.code: row for row in rows.all()}
        return self._indicators

    async def _load_reports(self, ids: Sequence[int]) -> list[Report | None]:
        rows = await self._session.exec(select(Report).where(col(Report.id).in_(ids)))
        found = {row.id: row for row in rows.all()}
        return [found.get(report_id) for report_id in ids]
