"""SQLModel tables: the one place the storage shape is written.

Figures are stored per report (``observation.report_id``), so every value a report ever
gave is kept; ``is_current`` marks the value clients see: the one from the report with the
highest ``precedence`` (latest month covered, then latest upload).
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKey,
    Index,
    LargeBinary,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (sqlmodel stores and returns UTC)."""
    return datetime.now(UTC)


class ReportStatus(enum.StrEnum):
    """Where an uploaded report is in the pipeline."""

    QUEUED = "QUEUED"
    PROCESSING = "PROCESSING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


class Report(SQLModel, table=True):
    """An uploaded results report and what processing it gave."""

    id: int | None = Field(default=None, primary_key=True)
    filename: str
    size: int
    sha256: str = Field(unique=True, max_length=64)
    status: str = Field(default=ReportStatus.QUEUED, index=True, max_length=16)
    uploaded_by: str | None = None
    uploaded_at: datetime = Field(default_factory=utcnow)
    status_changed_at: datetime = Field(default_factory=utcnow)
    processed_at: datetime | None = None
    attempts: int = 0
    title: str | None = Field(default=None, sa_column=Column(Text))
    fiscal_year: int | None = None
    #: The fiscal year given with the upload (``fiscalYear``), for a file that names none.
    given_fiscal_year: int | None = None
    months: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    error: str | None = Field(default=None, sa_column=Column(Text))
    #: ``error`` in Japanese (for the officials who fix the file).
    error_ja: str | None = Field(default=None, sa_column=Column(Text))
    warnings: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    #: ``warnings`` in Japanese, in the same order (``[]`` by default for writers that predate it).
    warnings_ja: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    values_stored: int = 0


class ReportFile(SQLModel, table=True):
    """The raw bytes of a report, kept apart so listing reports never loads them."""

    __tablename__ = "report_file"
    report_id: int = Field(sa_column=Column(ForeignKey("report.id", ondelete="CASCADE"), primary_key=True))
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class Indicator(SQLModel, table=True):
    """An indicator (one table of the results page); catalogued or generated from a report."""

    code: str = Field(primary_key=True, max_length=80)
    section: str = Field(max_length=16)
    number: str = Field(max_length=16)
    name: str = Field(sa_column=Column(Text, nullable=False))
    name_en: str | None = Field(default=None, sa_column=Column(Text))
    unit: str = Field(max_length=16)
    breakdowns: list[str] = Field(sa_column=Column(JSON, nullable=False))
    prints_cumulative: bool = False
    catalogued: bool = True
    position: int = 0
    definition: str | None = Field(default=None, sa_column=Column(Text))
    #: Precedence of the report the definition came from: a later report's text wins.
    definition_precedence: int | None = Field(default=None, sa_column=Column(BigInteger))


class _ReportRow(SQLModel):
    """Columns of every row a report stores: deleted with the report."""

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", ondelete="CASCADE", index=True)
    #: The report's precedence (latest month covered, then upload order); highest is current.
    precedence: int = Field(sa_type=BigInteger)


class _Figure(_ReportRow):
    """Columns every figure shares; ``is_current`` marks the one clients see for its key."""

    indicator_code: str = Field(foreign_key="indicator.code", max_length=80)
    fiscal_year: int
    breakdown: str = Field(max_length=32)
    value: int = Field(sa_type=BigInteger)
    is_current: bool = False


class Observation(_Figure, table=True):
    """One monthly value of one indicator for one prefecture, as one report gave it."""

    __table_args__ = (
        UniqueConstraint(
            "report_id", "indicator_code", "prefecture_code", "fiscal_year", "month", "breakdown"
        ),
        Index("ix_observation_current", "indicator_code", "fiscal_year", "is_current"),
        Index(
            "ix_observation_key",
            "indicator_code",
            "prefecture_code",
            "fiscal_year",
            "month",
            "breakdown",
        ),
    )
    prefecture_code: str = Field(max_length=2)
    month: int


class ReportedCumulative(_Figure, table=True):
    """A printed 累計値: a prefecture's fiscal-year-to-date figure through ``through_month``."""

    __tablename__ = "reported_cumulative"
    __table_args__ = (
        UniqueConstraint(
            "report_id",
            "indicator_code",
            "prefecture_code",
            "fiscal_year",
            "through_month",
            "breakdown",
        ),
        Index("ix_reported_cumulative_current", "indicator_code", "fiscal_year", "is_current"),
        Index(
            "ix_reported_cumulative_key",
            "indicator_code",
            "prefecture_code",
            "fiscal_year",
            "through_month",
            "breakdown",
        ),
    )
    prefecture_code: str = Field(max_length=2)
    through_month: int


class ReportedTotal(_Figure, table=True):
    """A printed 合計 row value: the national total of a month, or of the year to date."""

    __tablename__ = "reported_total"
    __table_args__ = (
        UniqueConstraint("report_id", "indicator_code", "fiscal_year", "month", "breakdown", "cumulative"),
        Index("ix_reported_total_current", "indicator_code", "fiscal_year", "is_current"),
        Index("ix_reported_total_key", "indicator_code", "fiscal_year", "month", "breakdown", "cumulative"),
    )
    #: The month of the figure; for a cumulative total, the last month it covers.
    month: int
    cumulative: bool = False


class PrefectureLink(_ReportRow, table=True):
    """The case-study link (支援事例) a report gave for a prefecture's name."""

    __tablename__ = "prefecture_link"
    __table_args__ = (UniqueConstraint("report_id", "prefecture_code"),)
    prefecture_code: str = Field(max_length=2)
    url: str = Field(sa_column=Column(Text, nullable=False))


class CaseStudy(SQLModel, table=True):
    """A center's published support case (支援事例); its URL identifies it."""

    __tablename__ = "case_study"
    id: int | None = Field(default=None, primary_key=True)
    prefecture_code: str = Field(max_length=2, index=True)
    title: str = Field(sa_column=Column(Text, nullable=False))
    url: str = Field(max_length=2000, unique=True)
    summary: str | None = Field(default=None, sa_column=Column(Text))
    industry: str | None = Field(default=None, max_length=200, index=True)
    published_on: date | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class FigureChange(SQLModel, table=True):
    """A figure already stored that a report changed when it was stored (修正), kept with the report."""

    __tablename__ = "figure_change"
    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", ondelete="CASCADE", index=True)
    indicator_code: str = Field(foreign_key="indicator.code", max_length=80)
    prefecture_code: str = Field(max_length=2)
    fiscal_year: int
    month: int
    breakdown: str = Field(max_length=32)
    old_value: int = Field(sa_type=BigInteger)
    new_value: int = Field(sa_type=BigInteger)


class DataVersion(SQLModel, table=True):
    """One row: a counter that every transaction changing what queries answer bumps last.

    Response caches key answers by it, so an answer is never served after the data it was
    computed from changed (the bump commits with the change, or not at all).
    """

    __tablename__ = "data_version"

    id: int = Field(default=1, primary_key=True)
    version: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
