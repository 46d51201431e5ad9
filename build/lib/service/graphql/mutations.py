"""The Mutation root: uploading reports (token-protected)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload

from service.graphql.context import Context
from service.graphql.errors import LimitExceeded
from service.graphql.reports import Report
from service.uploads import UploadTooLarge, read_limited, record_upload

Info = strawberry.Info[Context, None]


@strawberry.type(description="Changes to the stored reports; every mutation needs a bearer token.")
class Mutation:
    @strawberry.mutation(
        description="Upload a results report (GraphQL multipart request). It is recorded as QUEUED "
        "and processed by a worker; the same bytes uploaded again return the existing report."
    )
    async def upload_report(
        self,
        info: Info,
        file: Annotated[
            Upload,
            strawberry.argument(description="The report file (text layout of the results page)."),
        ],
    ) -> Report:
        context = info.context
        caller = context.require_caller()
        try:
            content = await read_limited(file, context.settings.max_upload_bytes)  # type: ignore[arg-type]
        except UploadTooLarge as error:
            raise LimitExceeded(str(error)) from None
        row = await record_upload(
            context.session,
            context.services.redis,
            content=content,
            filename=getattr(file, "filename", None) or "upload",
            caller=caller,
        )
        return Report.of(row)
