"""Helpers for filter inputs: global-ID arguments and criteria that skip unset values."""

from __future__ import annotations

from typing import Any

from strawberry import relay
from strawberry.utils.str_converters import to_camel_case
from tortoise.expressions import Q

from resolvers.errors import BadUserInput
from schema.global_ids import NODE_TYPE, WrongGlobalId, expect


def node_pk(global_id: relay.GlobalID | None, type_name: str, argument: str) -> int | None:
    """The row id inside a filter's global ID; an ID of another type is the caller's mistake."""
    if global_id is None:
        return None
    try:
        return expect(global_id, type_name)
    except WrongGlobalId:
        raise BadUserInput(f"`{argument}` must be the ID of a {type_name}.", argument=argument) from None


def criteria(**lookups: Any) -> list[Q]:
    """One Q per lookup that was given; `None` means the caller did not filter on it."""
    return [Q(**{key: value}) for key, value in lookups.items() if value is not None]


class FilterInput:
    """Base of every filter input: narrows an already scoped queryset by its criteria."""

    def pk(self, name: str) -> int | None:
        """The row id in this filter's global-ID field `name` (declared with `node_id`)."""
        field = next(f for f in self.__strawberry_definition__.fields if f.python_name == name)  # type: ignore[attr-defined]
        return node_pk(getattr(self, name), field.metadata[NODE_TYPE], field.graphql_name or to_camel_case(name))

    def lookups(self) -> list[Q]:
        raise NotImplementedError

    def apply(self, queryset: Any) -> Any:
        conditions = self.lookups()
        return queryset.filter(*conditions) if conditions else queryset
