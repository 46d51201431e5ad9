"""GraphQL types of case studies (支援事例): CaseStudy, its connection, input and import result."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import strawberry

from service import reference
from service.graphql.geography import Prefecture
from service.graphql.pagination import PageInfo, page
from service.models import CaseStudy as CaseStudyRow


@strawberry.type(description="A support case (支援事例) a center published.")
class CaseStudy:
    id: strawberry.ID = strawberry.field(description="The case study's id.")
    title: str = strawberry.field(description="Title (表題).")
    url: str = strawberry.field(description="Where the case is published; identifies it.")
    summary: str | None = strawberry.field(description="Short summary (概要).")
    industry: str | None = strawberry.field(description="Industry (業種), as the center names it.")
    published_on: datetime.date | None = strawberry.field(description="Publication date (掲載日).")
    prefecture_code: strawberry.Private[str]

    @strawberry.field(description="The prefecture whose center published it.")
    def prefecture(self) -> Prefecture:
        return Prefecture.of(reference.prefecture(self.prefecture_code))

    @classmethod
    def of(cls, row: CaseStudyRow) -> CaseStudy:
        """The GraphQL view of a stored case study."""
        return cls(
            id=strawberry.ID(str(row.id)),
            title=row.title,
            url=row.url,
            summary=row.summary,
            industry=row.industry,
            published_on=row.published_on,
            prefecture_code=row.prefecture_code,
        )


@strawberry.type(description="A case study in a page of case studies.")
class CaseStudyEdge:
    cursor: str = strawberry.field(description="Opaque position of this case study.")
    node: CaseStudy = strawberry.field(description="The case study.")


@strawberry.type(description="A page of case studies, newest publication first (Relay connection).")
class CaseStudyConnection:
    edges: list[CaseStudyEdge] = strawberry.field(description="The case studies of this page.")
    page_info: PageInfo = strawberry.field(description="Where this page ends.")
    total_count: int = strawberry.field(description="Number of case studies matching the filter.")

    @classmethod
    def of(cls, rows: Sequence[CaseStudyRow], *, size: int, after: str | None) -> CaseStudyConnection:
        """A page of rows that are already in order."""
        chosen, info = page(rows, kind="case", ident=lambda r: r.id or 0, size=size, after=after)
        return cls(
            edges=[CaseStudyEdge(cursor=cursor, node=CaseStudy.of(row)) for cursor, row in chosen],
            page_info=info,
            total_count=len(rows),
        )


@strawberry.input(description="A case study to add (or update, when its URL is already stored).")
class CaseStudyInput:
    prefecture: str = strawberry.field(description="Prefecture code or name.")
    title: str = strawberry.field(description="Title (表題).")
    url: str = strawberry.field(description="http(s) address where the case is published.")
    summary: str | None = strawberry.field(default=None, description="Short summary (概要).")
    industry: str | None = strawberry.field(default=None, description="Industry (業種).")
    published_on: datetime.date | None = strawberry.field(default=None, description="Publication date.")


@strawberry.type(description="What an import stored.")
class CaseStudyImport:
    created: int = strawberry.field(description="Case studies added.")
    updated: int = strawberry.field(description="Case studies whose URL was already stored, now updated.")
    case_studies: list[CaseStudy] = strawberry.field(description="Every case study of the file, as stored.")
