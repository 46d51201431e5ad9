"""GraphQL types of uploaded reports: Report, ReportStatus and the Relay-style ReportConnection."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from service.graphql.context import Context

if TYPE_CHECKING:
    from service.graphql.history import Change

from service.graphql.errors import BadUserInput
from service.graphql.pagination import PageInfo
from service.models import Report as ReportRow


@strawberry.enum(description="Where an uploaded report is in the pipeline (処理状況).")
class ReportStatus(enum.Enum):
    QUEUED = strawberry.enum_value("QUEUED", description="Recorded and waiting for a worker.")
    PROCESSING = strawberry.enum_value("PROCESSING", description="A worker is parsing and storing it.")
    SUCCEEDED = strawberry.enum_value("SUCCEEDED", description="Its figures are stored and queryable.")
    FAILED = strawberry.enum_value(
        "FAILED", description="It could not be used; `error` says why. Nothing was stored."
    )


@strawberry.type(description="An uploaded results report (実績報告) and the outcome of processing it.")
class Report:
    id: strawberry.ID = strawberry.field(description="The report's id.")
    filename: str = strawberry.field(description="The uploaded file's name (for display only).")
    size: int = strawberry.field(description="Size in bytes.")
    sha256: str = strawberry.field(description="SHA-256 of the bytes; the same bytes are one report.")
    status: ReportStatus = strawberry.field(description="Processing status.")
    uploaded_at: datetime = strawberry.field(description="When the upload was recorded (UTC).")
    uploaded_by: str | None = strawberry.field(description="Name of the API token that uploaded it.")
    processed_at: datetime | None = strawberry.field(description="When processing finished (UTC).")
    fiscal_year: int | None = strawberry.field(
        description="Fiscal year (年度) the report covers, from its title."
    )
    months: list[int] = strawberry.field(
        description="Calendar months the report gives figures for, in fiscal order."
    )
    title: str | None = strawberry.field(
        description="The report's title as printed, e.g. 令和8年度よろず支援拠点相談等実績."
    )
    error: str | None = strawberry.field(
        description="Why the report failed: names the file, table, line and column."
    )
    warnings: list[str] = strawberry.field(
        description="Consistency problems that left the figures usable (e.g. a 合計 that is not the sum)."
    )
    values_stored: int = strawberry.field(description="Number of monthly values stored from it.")

    @strawberry.field(
        description="Figures already stored that this report changed (修正箇所); new figures are not listed."
    )
    async def changes(
        self, info: strawberry.Info[Context, None]
    ) -> list[Annotated[Change, strawberry.lazy("service.graphql.history")]]:
        from service.graphql.history import Change

        return [Change.of(c) for c in await info.context.loaders.changes(int(self.id))]

    @classmethod
    def of(cls, row: ReportRow) -> Report:
        """The GraphQL view of a stored report."""
        assert row.id is not None
        return cls(
            id=strawberry.ID(str(row.id)),
            filename=row.filename,
            size=row.size,
            sha256=row.sha256,
            status=ReportStatus(row.status),
            uploaded_at=row.uploaded_at,
            uploaded_by=row.uploaded_by,
            processed_at=row.processed_at,
            fiscal_year=row.fiscal_year,
            months=list(row.months),
            title=row.title,
            error=row.error,
            warnings=list(row.warnings),
            values_stored=row.values_stored,
        )


@strawberry.type(description="A report in a page of reports.")
class ReportEdge:
    cursor: str = strawberry.field(description="Opaque position of this report.")
    node: Report = strawberry.field(description="The report.")


@strawberry.type(description="A page of reports, newest first.")
class ReportConnection:
    edges: list[ReportEdge] = strawberry.field(description="The reports of this page.")
    page_info: PageInfo = strawberry.field(description="Where this page ends.")
    total_count: int = strawberry.field(description="Number of reports matching the filter.")


def parse_report_id(value: str) -> int:
    """A report id argument as an integer; BAD_USER_INPUT otherwise."""
    try:
        number = int(value)
    except ValueError:
        number = -1
    if not 0 <= number < 2**63:  # past a database integer the lookup itself would fail
        raise BadUserInput(f"invalid report id {value[:40]!r}: ids are numbers like '1'")
    return number
