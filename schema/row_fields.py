"""Fields of row-built objects answered by reading an attribute, without a resolver per field.

Strawberry wraps every field that has a resolver: a strawberry `Info` per call, argument
conversion, the extension chain. Plain attribute fields avoid most of that, but a field whose value
depends on the caller (the PII masking of `Account.email`) needs the caller, so it has a
resolver. Objects built from rows (schema/relay.py `ModelNode.row_builder`) carry such values
already decided for the caller; for them the field is a plain attribute read. Models (mutation
payloads, `node(id:)`) still take the field's own resolver, so both give the same answer.

`install(schema)` swaps in these plain resolvers on the built GraphQL schema; without it every
field still answers correctly, only slower.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLObjectType
from strawberry.relay import to_base64

ROW_ATTRIBUTE = "row_attribute"


def row_attribute(name: str) -> dict[str, str]:
    """Field metadata: on an object built from a row, this field is its attribute `name`."""
    return {ROW_ATTRIBUTE: name}


class NotARow(LookupError):
    """A plain getter met an object that is not built from a row: use the field's resolver."""


def plain_getter(resolver: Any) -> Callable[[Any], Any] | None:
    """For a resolver installed here: how to read the field from an item without `info`
    (schema/leaf_lists.py); it raises NotARow where the full resolver is needed."""
    return getattr(resolver, "plain_getter", None)


def _attribute_or(row_type: type, attribute: str, resolver: Callable[..., Any]) -> Callable[..., Any]:
    def resolve(source: Any, info: Any, **kwargs: Any) -> Any:
        if type(source) is row_type:
            return getattr(source, attribute)
        return resolver(source, info, **kwargs)

    def getter(source: Any) -> Any:
        if type(source) is row_type:
            return getattr(source, attribute)
        raise NotARow(attribute)

    resolve.plain_getter = getter  # type: ignore[attr-defined]
    return resolve


def _global_id(type_name: str, node_type: Any) -> Callable[..., Any]:
    """What strawberry's relay `id` answers (the type and `resolve_id`, base64), without its resolver."""
    kinds = (node_type, node_type.model)

    def getter(source: Any) -> Any:
        if isinstance(source, kinds):
            return to_base64(type_name, node_type.resolve_id(source, info=None))
        raise NotARow(f"{type_name}.id got a {type(source).__name__}")

    def resolve(source: Any, info: Any, **kwargs: Any) -> Any:
        return getter(source)

    resolve.plain_getter = getter  # type: ignore[attr-defined]
    return resolve


def install(schema: Any) -> None:
    from schema.relay import ModelNode

    for type_name, gql_type in schema._schema.type_map.items():
        if not isinstance(gql_type, GraphQLObjectType):
            continue
        definition = schema.get_type_by_name(type_name)
        origin = getattr(definition, "origin", None)
        if not (isinstance(origin, type) and issubclass(origin, ModelNode)):
            continue
        gql_type.fields["id"].resolve = _global_id(type_name, origin)
        for field in definition.fields:
            attribute = (field.metadata or {}).get(ROW_ATTRIBUTE)
            if attribute is not None:
                gql_field = gql_type.fields[schema.config.name_converter.get_graphql_name(field)]
                gql_field.resolve = _attribute_or(origin, attribute, gql_field.resolve)
