"""GraphQL types of case studies (支援事例): CaseStudy, its pages, input and import result.

Below places (Prefecture.caseStudies returns its pages): it names Prefecture back through
``types.lazy``."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import strawberry

from service.db.models import CaseStudy as CaseStudyRow
from service.graphql.types.lazy import PlacesModule
from service.graphql.types.node import Node
from service.graphql.types.pagination import Connection, PageRequest, SortKey, paginate


@strawberry.type(description="A support case (支援事例) a center published.")
class CaseStudy(Node):
    title: str = strawberry.field(description="Title (表題).")
    url: str = strawberry.field(description="Where the case is published; identifies it.")
    summary: str | None = strawberry.field(description="Short summary (概要).")
    industry: str | None = strawberry.field(description="Industry (業種), as the center names it.")
    published_on: datetime.date | None = strawberry.field(description="Publication date (掲載日).")
    prefecture_code: strawberry.Private[str]
    case_study_id: strawberry.Private[int]

    @strawberry.field(
        description="The prefecture whose center published it.", graphql_type=PlacesModule.type("Prefecture")
    )
    def prefecture(self) -> object:
        return PlacesModule.get("prefecture_view")(self.prefecture_code)

    def node_key(self) -> str:
        return str(self.case_study_id)

    @classmethod
    def of(cls, row: CaseStudyRow) -> CaseStudy:
        """The GraphQL view of a stored case study."""
        assert row.id is not None
        return cls(
            case_study_id=row.id,
            title=row.title,
            url=row.url,
            summary=row.summary,
            industry=row.industry,
            published_on=row.published_on,
            prefecture_code=row.prefecture_code,
        )


def _order(row: CaseStudyRow) -> SortKey:
    """Newest publication first, undated last, then newest stored first (as the loaders sort)."""
    published = row.published_on
    return (int(published is None), -(published.toordinal() if published else 0), -(row.id or 0))


def case_study_page(rows: Sequence[CaseStudyRow], request: PageRequest) -> Connection[CaseStudy]:
    """A page of case studies already in the loaders' order."""
    return paginate(rows, kind="case", order=_order, request=request, node=CaseStudy.of)


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
