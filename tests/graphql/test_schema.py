"""The schema is a product: schema.graphql is in sync and everything carries a description."""

from __future__ import annotations

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType

from service.graphql.schema import schema
from tests.support.paths import ROOT


def test_schema_file_is_in_sync() -> None:
    written = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert written.strip() == schema.as_str().strip(), "run `make schema` and commit schema.graphql"


def test_every_type_field_and_argument_is_described() -> None:
    missing: list[str] = []
    for name, graphql_type in schema._schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not graphql_type.description:
            missing.append(name)
        if isinstance(graphql_type, GraphQLObjectType | GraphQLInputObjectType):
            for field_name, field in graphql_type.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
        if isinstance(graphql_type, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, value in graphql_type.values.items() if not value.description]
    assert missing == []


def test_the_contract_names_exist() -> None:
    sdl = schema.as_str()
    for fragment in (
        "indicators(",
        "indicator(",
        "prefectures(",
        "prefecture(",
        "regions(",
        "region(",
        "observations(",
        "report(",
        "reports(",
        "uploadReport(",
        "enum Section",
        "ONE_STOP",
        "PRODUCTIVITY",
        "enum RegionKind",
        "enum ReportStatus",
        "reportedCumulative: Int",
        "cumulative: Int!",
        "yearMonth: String!",
        "valuesStored: Int!",
        "printsCumulative: Boolean!",
    ):
        assert fragment in sdl, fragment
