"""Helpers for filter inputs: global-ID arguments and criteria that skip unset values."""

from __future__ import annotations

from typing import Any

from strawberry import relay
from tortoise.expressions import Q

from resolvers.errors import BadUserInput
from schema.relay import MAX_PK


def node_pk(global_id: relay.GlobalID | None, type_name: str, argument: str) -> int | None:
    """The primary key inside a global ID, refusing an ID of another type."""
    if global_id is None:
        return None
    if global_id.type_name != type_name:
        raise BadUserInput(f"`{argument}` must be the ID of a {type_name}.", argument=argument)
    try:
        pk = int(global_id.node_id)
    except ValueError as exc:
        raise BadUserInput(f"`{argument}` is not a valid {type_name} ID.", argument=argument) from exc
    # Past the 32-bit primary keys no row exists, and the driver could not even bind the number.
    if not 0 < pk <= MAX_PK:
        raise BadUserInput(f"`{argument}` is not a valid {type_name} ID.", argument=argument)
    return pk


def criteria(**lookups: Any) -> list[Q]:
    """One Q per lookup that was given; `None` means the caller did not filter on it."""
    return [Q(**{key: value}) for key, value in lookups.items() if value is not None]


class FilterInput:
    """Base of every filter input: narrows an already scoped queryset by its criteria."""

    def lookups(self) -> list[Q]:
        raise NotImplementedError

    def apply(self, queryset: Any) -> Any:
        conditions = self.lookups()
        return queryset.filter(*conditions) if conditions else queryset
