"""GraphQL types of uploaded reports: Report and ReportStatus, and reading a report's id.

Above revisions (Report.changes lists its changes), which names Report back through ``types.lazy``."""

from __future__ import annotations

import enum
from datetime import datetime

import strawberry

from service.db.models import Report as ReportRow
from service.graphql.context import Context
from service.graphql.errors import BadUserInput
from service.graphql.types.node import Node, decode_global_id
from service.graphql.types.revisions import Change


@strawberry.enum(description="Where an uploaded report is in the pipeline (処理状況).")
class ReportStatus(enum.Enum):
    QUEUED = strawberry.enum_value("QUEUED", description="Recorded and waiting for a worker.")
    PROCESSING = strawberry.enum_value("PROCESSING", description="A worker is parsing and storing it.")
    SUCCEEDED = strawberry.enum_value("SUCCEEDED", description="Its figures are stored and queryable.")
    FAILED = strawberry.enum_value(
        "FAILED", description="It could not be used; `error` says why. Nothing was stored."
    )


@strawberry.type(description="An uploaded results report (実績報告) and the outcome of processing it.")
class Report(Node):
    number: int = strawberry.field(
        description="The report's number (1, 2, …), as the CLI prints it; `report(id:)` accepts it too."
    )
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
    given_fiscal_year: int | None = strawberry.field(
        description="The fiscal year (年度) given with the upload (`fiscalYear`), for a file that names none."
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
    error_ja: str | None = strawberry.field(
        description="`error` in Japanese (エラー), naming the table, row and column as printed."
    )
    warnings: list[str] = strawberry.field(
        description="Consistency problems that left the figures usable (e.g. a 合計 that is not the sum)."
    )
    warnings_ja: list[str] = strawberry.field(
        description="`warnings` in Japanese (警告), in the same order; empty for reports stored before "
        "Japanese messages existed."
    )
    values_stored: int = strawberry.field(description="Number of monthly values stored from it.")

    @strawberry.field(
        description="Figures already stored that this report changed (修正箇所); new figures are not listed."
    )
    async def changes(self, info: strawberry.Info[Context, None]) -> list[Change]:
        return [Change.of(c) for c in await info.context.loaders.changes(self.number)]

    def node_key(self) -> str:
        return str(self.number)

    @classmethod
    def of(cls, row: ReportRow) -> Report:
        """The GraphQL view of a stored report."""
        assert row.id is not None
        return cls(
            number=row.id,
            filename=row.filename,
            size=row.size,
            sha256=row.sha256,
            status=ReportStatus(row.status),
            uploaded_at=row.uploaded_at,
            uploaded_by=row.uploaded_by,
            processed_at=row.processed_at,
            fiscal_year=row.fiscal_year,
            given_fiscal_year=row.given_fiscal_year,
            months=list(row.months),
            title=row.title,
            error=row.error,
            error_ja=row.error_ja,
            warnings=list(row.warnings),
            warnings_ja=list(row.warnings_ja),
            values_stored=row.values_stored,
        )


def parse_report_id(value: str) -> int:
    """A report's number from its global id or from the number itself; BAD_USER_INPUT otherwise."""
    number = value.strip()
    if not _is_number(number):
        try:
            found = decode_global_id(value)
        except BadUserInput:
            found = None
        number = "" if found is None or found.type_name != "Report" else found.key
    if not _is_number(number):
        raise BadUserInput(f"invalid report id {value[:40]!r}: pass a Report's `id` or its number, like '1'")
    return int(number)


def _is_number(text: str) -> bool:
    # A 32-bit integer, as the id column holds: larger numbers would fail in the database.
    return text.isascii() and text.isdigit() and int(text) < 2**31
