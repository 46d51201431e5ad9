"""Per-request batch loading over the reads of ``service.db``, so nested fields cost one query per
kind, not one per object."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from typing import TypeVar

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from strawberry.dataloader import DataLoader

from service.db.figures import availability, load_year_figures
from service.db.history import load_versions, report_changes
from service.db.models import CaseStudy, FigureChange, Indicator, PrefectureLink, Report
from service.domain.figures import FigureKey, YearFigures
from service.domain.revisions import Version

K = TypeVar("K")
V = TypeVar("V")


class SharedLoader(DataLoader[K, V]):
    """A DataLoader whose answers survive the cancellation of one of the fields waiting for them.

    Fields asking for the same key share one future, and graphql-core cancels the fields still
    pending beside a field whose error propagates: awaited bare, the shared future would be
    cancelled with them and every other field waiting for it would fail too.
    """

    def load(self, key: K) -> Awaitable[V]:
        return asyncio.shield(super().load(key))


class Loaders:
    """The loaders of one request; they share its session.

    Sibling fields resolve concurrently, but a session runs one statement at a time: every
    statement goes through ``_lock``.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._lock = asyncio.Lock()
        self._indicators: asyncio.Task[dict[str, Indicator]] | None = None
        self._links: dict[str, str] | None = None
        #: Every report's value of a key's figures, newest first.
        self.versions = SharedLoader[FigureKey, dict[tuple[str, int], list[Version]]](
            load_fn=self._load_versions
        )
        #: A prefecture's case studies, newest first; one statement for all prefectures asked.
        self.prefecture_case_studies = SharedLoader[str, list[CaseStudy]](
            load_fn=self._load_prefecture_case_studies
        )
        self.report = SharedLoader[int, Report | None](load_fn=self._load_reports)
        self.case_study = SharedLoader[int, CaseStudy | None](load_fn=self._load_case_studies)
        #: Current figures of an (indicator, fiscal year, breakdown), batched across the request.
        self.year_figures = SharedLoader[FigureKey, YearFigures](load_fn=self._load_year_figures)

    def forget(self) -> None:
        """Drop what the operation loaded, once its answer is complete.

        Each loader holds its load function, a method of this object: the loaders form a cycle,
        and everything they hold (a dashboard's ~10,000 computed points) would otherwise wait
        for the garbage collector, which then has to walk it, instead of being freed at once.
        """
        for loader in [value for value in vars(self).values() if isinstance(value, DataLoader)]:
            loader.clear_all()
            loader.batch = None
        self._indicators = None

    async def indicators(self) -> dict[str, Indicator]:
        """Every indicator by code, in catalogue order (a small table, read once per request).

        One read that every caller awaits, so they all resume together: sibling fields (aliases)
        then reach their figure loads in the same turn of the loop and share one batch.
        """
        task = self._indicators
        if task is None or (task.done() and task.exception() is not None):  # a failed read is retried
            task = self._indicators = asyncio.ensure_future(self._read_indicators())
        return await asyncio.shield(task)

    async def _read_indicators(self) -> dict[str, Indicator]:
        async with self._lock:
            rows = await self._session.exec(
                select(Indicator).order_by(col(Indicator.position), col(Indicator.code))
            )
            return {row.code: row for row in rows.all()}

    async def report_ids(self, *, status: str | None) -> list[int]:
        """The numbers of the reports with ``status`` (all by default), newest first.

        Only the numbers: a page then loads its own rows through ``report``, so a long history
        of reports costs one small column, not every report's warnings and errors."""
        query = select(Report.id)
        if status is not None:
            query = query.where(col(Report.status) == status)
        async with self._lock:
            rows = await self._session.exec(query.order_by(col(Report.id).desc()))
            return [row for row in rows.all() if row is not None]

    async def case_study_urls(self) -> dict[str, str]:
        """Prefecture code → the case-study link of the report with the highest precedence."""
        async with self._lock:
            if self._links is None:
                rows = await self._session.exec(
                    select(PrefectureLink.prefecture_code, PrefectureLink.url).order_by(
                        col(PrefectureLink.precedence)
                    )
                )
                # Later (higher precedence) rows overwrite earlier ones.
                self._links = dict(rows.all())
        return self._links

    async def case_studies(
        self, *, prefectures: Sequence[str] | None = None, industry: str | None = None
    ) -> list[CaseStudy]:
        """Case studies, newest publication first, optionally of some prefectures or an industry."""
        query = select(CaseStudy)
        if prefectures is not None:
            query = query.where(col(CaseStudy.prefecture_code).in_(prefectures))
        if industry is not None:
            query = query.where(CaseStudy.industry == industry)
        query = query.order_by(
            col(CaseStudy.published_on).is_(None),
            col(CaseStudy.published_on).desc(),
            col(CaseStudy.id).desc(),
        )
        async with self._lock:
            return list((await self._session.exec(query)).all())

    async def _load_prefecture_case_studies(self, codes: Sequence[str]) -> list[list[CaseStudy]]:
        rows = await self.case_studies(prefectures=codes)
        return [[row for row in rows if row.prefecture_code == code] for code in codes]

    async def changes(self, report_id: int) -> list[FigureChange]:
        """Figures already stored that a report changed."""
        async with self._lock:
            return await report_changes(self._session, report_id)

    async def _load_versions(self, keys: Sequence[FigureKey]) -> list[dict[tuple[str, int], list[Version]]]:
        async with self._lock:
            loaded = await load_versions(self._session, keys)
        return [loaded[key] for key in keys]

    async def availability(self) -> dict[int, dict[str, list[int]]]:
        """Fiscal year → indicator → months with current figures."""
        async with self._lock:
            return await availability(self._session)

    async def _load_year_figures(self, keys: Sequence[FigureKey]) -> list[YearFigures]:
        async with self._lock:
            loaded = await load_year_figures(self._session, keys)
        return [loaded[key] for key in keys]

    async def _load_reports(self, ids: Sequence[int]) -> list[Report | None]:
        async with self._lock:
            rows = await self._session.exec(select(Report).where(col(Report.id).in_(ids)))
            found = {row.id: row for row in rows.all()}
        return [found.get(report_id) for report_id in ids]

    async def _load_case_studies(self, ids: Sequence[int]) -> list[CaseStudy | None]:
        async with self._lock:
            rows = await self._session.exec(select(CaseStudy).where(col(CaseStudy.id).in_(ids)))
            found = {row.id: row for row in rows.all()}
        return [found.get(case_study_id) for case_study_id in ids]
