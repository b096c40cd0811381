"""Keep "Did you mean …?" hints from naming what the caller cannot see.

graphql-core suggests names from the full schema; the caller's introspection shows a filtered one,
so an unfiltered hint would undo it. Hints are kept only when every part of them can be checked
against the caller's filtered schema, and are dropped altogether when suggestions are off.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from graphql import GraphQLEnumType, GraphQLError, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType, GraphQLSchema
from graphql.pyutils import did_you_mean

_HINT = re.compile(r" Did you mean (?P<sub>the enum value |to use an inline fragment on )?(?P<names>'.*')\?$")
_NAME = re.compile(r"'([^']+)'")
_FIELD_ON_TYPE = re.compile(r"^Cannot query field '[^']+' on type '(?P<type>[^']+)'\.")
_ARGUMENT = re.compile(r"^Unknown argument '[^']+' on field '(?P<type>[^'.]+)\.(?P<field>[^']+)'\.")
_UNKNOWN_TYPE = re.compile(r"^Unknown type '[^']+'\.")
_INPUT_FIELD = re.compile(r"Field '[^']+' is not defined by type '(?P<type>[^']+)'\.")
_ENUM_VALUE = re.compile(r"Value '[^']*' does not exist in '(?P<type>[^']+)' enum\.")


def _fields(visible: GraphQLSchema, type_name: str) -> set[str]:
    type_ = visible.get_type(type_name)
    if isinstance(type_, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
        return set(type_.fields)
    return set()


def _allowed_names(message: str, sub: str | None, visible: GraphQLSchema) -> set[str] | None:
    """The names this hint may mention, or None when the hint cannot be checked."""
    if match := _FIELD_ON_TYPE.match(message):
        if sub:  # "to use an inline fragment on 'T'": type names
            return set(visible.type_map)
        return _fields(visible, match["type"])
    if match := _ARGUMENT.match(message):
        type_ = visible.get_type(match["type"])
        if isinstance(type_, (GraphQLObjectType, GraphQLInterfaceType)) and match["field"] in type_.fields:
            return set(type_.fields[match["field"]].args)
        return set()
    if _UNKNOWN_TYPE.match(message):
        return set(visible.type_map)
    if match := _INPUT_FIELD.search(message):
        return _fields(visible, match["type"])
    if match := _ENUM_VALUE.search(message):
        type_ = visible.get_type(match["type"])
        return set(type_.values) if isinstance(type_, GraphQLEnumType) else set()
    return None


def filter_message(message: str, visible: GraphQLSchema | None) -> str:
    """The message with its hint narrowed to visible names (no hint when `visible` is None)."""
    match = _HINT.search(message)
    if match is None:
        return message
    head = message[: match.start()]
    if visible is None:
        return head
    allowed = _allowed_names(head, match["sub"], visible)
    names = [n for n in _NAME.findall(match["names"]) if allowed is not None and n in allowed]
    if not names:
        return head
    return head + did_you_mean(names, match["sub"].strip() if match["sub"] else None)


def filter_errors(errors: Iterable[GraphQLError], visible: Callable[[], GraphQLSchema | None]) -> list[GraphQLError]:
    """Copies of `errors` with filtered hints; `visible` is called only if some error has a hint."""
    result: list[GraphQLError] = []
    schema: GraphQLSchema | None = None
    looked_up = False
    for error in errors:
        if " Did you mean " not in error.message:
            result.append(error)
            continue
        if not looked_up:
            schema, looked_up = visible(), True
        result.append(GraphQLError(filter_message(error.message, schema), nodes=error.nodes, source=error.source,
                                   positions=error.positions, path=error.path, original_error=error.original_error,
                                   extensions=error.extensions))
    return result
