"""The Mutation root (token-protected): uploading reports, and deleting them through
``service.db.current``, which restores the figures the earlier reports gave."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload

from service import case_study_import, previews
from service.db.current import delete_report
from service.graphql.arguments import check_fiscal_year
from service.graphql.context import Context
from service.graphql.errors import BadUserInput, LimitExceeded, ServiceUnavailable, TimedOut
from service.graphql.types.case_studies import CaseStudy, CaseStudyImport, CaseStudyInput
from service.graphql.types.previews import ReportPreview
from service.graphql.types.reports import Report, parse_report_id
from service.uploads import (
    UploadConflict,
    UploadTooLarge,
    display_name,
    existing_upload,
    read_limited,
    record_upload,
)

Info = strawberry.Info[Context, None]
FiscalYearArgument = Annotated[
    int | None,
    strawberry.argument(
        description="The fiscal year (年度, e.g. 2026 for 令和8年度) of a file that names none, such as "
        "a one-table CSV; a file whose title names another year is refused."
    ),
]
ReportFileArgument = Annotated[
    Upload,
    strawberry.argument(description="The report file (text, HTML, XLSX or CSV)."),
]


async def _read_upload(info: Info, file: Upload, fiscal_year: int | None) -> tuple[str, bytes, str]:
    """(caller, bytes, client's file name) of an upload: token, size limit and fiscal year checked."""
    context = info.context
    caller = context.require_caller()
    check_fiscal_year(fiscal_year)
    try:
        content = await read_limited(file, context.settings.max_upload_bytes)  # type: ignore[arg-type]
    except UploadTooLarge as error:
        raise LimitExceeded(str(error)) from None
    return caller, content, getattr(file, "filename", None) or "upload"


@strawberry.type(description="Changes to the stored reports; every mutation needs a bearer token.")
class Mutation:
    @strawberry.mutation(
        description="Upload a results report (GraphQL multipart request). It is recorded as QUEUED "
        "and processed by a worker; the same bytes uploaded again return the existing report "
        "(refused with BAD_USER_INPUT when given another fiscalYear than they were)."
    )
    async def upload_report(
        self, info: Info, file: ReportFileArgument, fiscal_year: FiscalYearArgument = None
    ) -> Report:
        caller, content, filename = await _read_upload(info, file, fiscal_year)
        try:
            row = await record_upload(
                info.context.session,
                info.context.services.redis,
                content=content,
                filename=filename,
                caller=caller,
                fiscal_year=fiscal_year,
            )
        except UploadConflict as error:
            raise BadUserInput(str(error)) from None
        return Report.of(row)

    @strawberry.mutation(
        description="Check a report before storing it (確認): a worker parses it as an upload would and "
        "answers what would be stored (tables, months, warnings, the figures it would change) or the "
        "error; nothing is stored. TIMEOUT when no worker answers within PREVIEW_TIMEOUT_SECONDS, "
        "SERVICE_UNAVAILABLE when no worker is running."
    )
    async def preview_report(
        self, info: Info, file: ReportFileArgument, fiscal_year: FiscalYearArgument = None
    ) -> ReportPreview:
        _, content, filename = await _read_upload(info, file, fiscal_year)
        context = info.context
        try:
            preview = await previews.request_preview(
                context.services.redis,
                context.settings,
                content=content,
                filename=display_name(filename),
                fiscal_year=fiscal_year,
            )
        except previews.PreviewTimedOut as error:
            raise TimedOut(str(error)) from None
        except (previews.NoWorker, previews.QueueUnavailable) as error:
            raise ServiceUnavailable(str(error)) from None
        return ReportPreview.of(preview, await existing_upload(context.session, content))

    @strawberry.mutation(
        description="Delete a report with its figures; what earlier reports said becomes current again. "
        "Returns false when there is no such report."
    )
    async def delete_report(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Report id.")]
    ) -> bool:
        info.context.require_caller()
        report_id = parse_report_id(id)
        async with info.context.services.engine.begin() as connection:
            return await delete_report(connection, report_id)

    @strawberry.mutation(
        description="Import case studies (支援事例) from a CSV or JSON file with columns prefecture, title, "
        "url, summary, industry, published_on. A URL already stored is updated; a file with any bad "
        "row stores nothing and the error lists the bad rows by line."
    )
    async def import_case_studies(
        self,
        info: Info,
        file: Annotated[Upload, strawberry.argument(description="The CSV or JSON file.")],
    ) -> CaseStudyImport:
        context = info.context
        context.require_caller()
        try:
            content = await read_limited(file, context.settings.max_upload_bytes)  # type: ignore[arg-type]
            rows = case_study_import.read_file(content, display_name(getattr(file, "filename", None)))
        except UploadTooLarge as error:
            raise LimitExceeded(str(error)) from None
        except case_study_import.CaseStudyError as error:
            raise BadUserInput(str(error)) from None
        stored, created, updated = await case_study_import.store(context.session, rows)
        return CaseStudyImport(
            created=created, updated=updated, case_studies=[CaseStudy.of(row) for row in stored]
        )

    @strawberry.mutation(description="Add one case study (支援事例), or update the one with the same URL.")
    async def add_case_study(
        self,
        info: Info,
        input: Annotated[CaseStudyInput, strawberry.argument(description="The case study.")],
    ) -> CaseStudy:
        context = info.context
        context.require_caller()
        row, problems = case_study_import.validate(
            {k: v for k, v in vars(input).items() if v is not None}, "input"
        )
        if row is None:
            raise BadUserInput("; ".join(problems))
        stored, _, _ = await case_study_import.store(context.session, [row])
        return CaseStudy.of(stored[0])
