"""The schema is a product: the committed SDL matches the code, and everything is documented."""

from __future__ import annotations

from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
)

from schema.build import schema

ROOT = Path(__file__).resolve().parents[2]


def test_committed_schema_matches_the_code():
    committed = (ROOT / "schema.graphql").read_text()
    printed = schema.as_str() + "\n"
    assert committed == printed, "schema.graphql is stale: run `partner-gateway schema > schema.graphql` and review the diff"


def _own_types():
    for name, gql_type in schema._schema.type_map.items():
        if not name.startswith("__") and name not in {"String", "Boolean", "Int", "Float", "ID"}:
            yield name, gql_type


def test_every_type_field_argument_and_enum_value_has_a_description():
    missing: list[str] = []
    for name, gql_type in _own_types():
        if not gql_type.description:
            missing.append(name)
        if isinstance(gql_type, (GraphQLObjectType, GraphQLInterfaceType)):
            for field_name, field in gql_type.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                missing += [f"{name}.{field_name}({arg})" for arg, a in field.args.items() if not a.description]
        elif isinstance(gql_type, GraphQLInputObjectType):
            missing += [f"{name}.{f}" for f, field in gql_type.fields.items() if not field.description]
        elif isinstance(gql_type, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, value in gql_type.values.items() if not value.description]
    assert not missing, f"undocumented: {missing}"


def test_description_check_would_catch_a_missing_one():
    # Guard against a vacuous walk: the schema must have many documented fields to check.
    fields = sum(len(t.fields) for _, t in _own_types() if isinstance(t, GraphQLObjectType))
    assert fields > 150


def test_permissions_doc_is_current():
    from schema.permissions.docs import render
    from schema.permissions.policy import policy_for

    committed = (ROOT / "docs" / "permissions.md").read_text()
    assert committed == render(policy_for(schema._schema)), (
        "docs/permissions.md is stale: run `partner-gateway permissions-doc > docs/permissions.md`")
