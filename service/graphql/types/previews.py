"""GraphQL types of an upload's preview (確認): ReportPreview and its TablePreviews."""

from __future__ import annotations

import strawberry

from service.db.models import Report as ReportRow
from service.domain.previews import ChangedFigure, Preview
from service.domain.previews import TablePreview as TableRead
from service.graphql.types.reports import Report
from service.graphql.types.revisions import Change


@strawberry.type(description="A table of the file as the parser read it (表).")
class TablePreview:
    indicator_code: str = strawberry.field(
        description="The indicator (指標) it would be stored as: a catalogue code, or "
        "`<section>.extra_<hash>` for a table the catalogue does not know."
    )
    catalogued: bool = strawberry.field(description="Whether the indicator is in the catalogue.")
    section: str = strawberry.field(
        description="`onestop` (ワンストップ相談窓口) or `productivity` (生産性向上支援センター)."
    )
    number: str = strawberry.field(description="Its numbering as printed, normalised (`2`, `⑨b`).")
    title: str = strawberry.field(description="Its title as printed (表題).")
    name: str = strawberry.field(description="The indicator's catalogue name (指標名).")
    months: list[int] = strawberry.field(description="Calendar months it gives, in fiscal order.")
    line: int = strawberry.field(description="The line (or, in a workbook, row) its header starts on.")
    value_count: int = strawberry.field(description="Monthly values it would store (件数).")

    @classmethod
    def of(cls, table: TableRead) -> TablePreview:
        """The GraphQL view of a table read by the preview."""
        return cls(
            indicator_code=table.indicator_code,
            catalogued=table.catalogued,
            section=table.section,
            number=table.number,
            title=table.title,
            name=table.name,
            months=list(table.months),
            line=table.line,
            value_count=table.value_count,
        )


@strawberry.type(
    description="What uploading a file would store (アップロード前の確認), worked out by a worker from the "
    "same parse and ingestion as an upload; nothing of it is stored."
)
class ReportPreview:
    filename: str = strawberry.field(description="The file's name (for display only).")
    error: str | None = strawberry.field(
        description="Why the file would FAIL, naming the table, line and column; "
        "null when it would be stored."
    )
    error_ja: str | None = strawberry.field(description="`error` in Japanese (エラー).")
    title: str | None = strawberry.field(description="The report's title as printed (表題).")
    fiscal_year: int | None = strawberry.field(description="Fiscal year (年度) it would be stored under.")
    months: list[int] = strawberry.field(description="Calendar months it gives, in fiscal order.")
    tables: list[TablePreview] = strawberry.field(description="Each table read, in report order.")
    value_count: int = strawberry.field(description="Monthly values it would store.")
    warnings: list[str] = strawberry.field(description="Warnings it would carry (English).")
    warnings_ja: list[str] = strawberry.field(description="The warnings in Japanese (警告), same order.")
    changes: list[Change] = strawberry.field(
        description="Current figures it would change (修正箇所), as `Report.changes` would list them once "
        "stored; figures not stored yet are not listed."
    )
    existing_report: Report | None = strawberry.field(
        description="The report these same bytes were uploaded as, if any: uploading them again returns "
        "it (or, with another fiscalYear, is refused) instead of storing anything."
    )

    @classmethod
    def of(cls, preview: Preview, existing: ReportRow | None) -> ReportPreview:
        """The GraphQL view of a worker's preview."""
        return cls(
            filename=preview.filename,
            error=preview.error,
            error_ja=preview.error_ja,
            title=preview.title,
            fiscal_year=preview.fiscal_year,
            months=list(preview.months),
            tables=[TablePreview.of(table) for table in preview.tables],
            value_count=preview.value_count,
            warnings=list(preview.warnings),
            warnings_ja=list(preview.warnings_ja),
            changes=[_change(change) for change in preview.changes],
            existing_report=Report.of(existing) if existing is not None else None,
        )


def _change(change: ChangedFigure) -> Change:
    return Change(
        fiscal_year=change.fiscal_year,
        month=change.month,
        breakdown=change.breakdown,
        old_value=change.old_value,
        new_value=change.new_value,
        indicator_code=change.indicator_code,
        prefecture_code=change.prefecture_code,
    )
