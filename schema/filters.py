"""Helpers for filter inputs: global-ID arguments and criteria that skip unset values."""

from __future__ import annotations

from datetime import UTC, date, datetime
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


# Criteria no console asks for, which the databases refuse or mishandle: SQLite gives up on LIKE
# patterns of tens of thousands of characters, PostgreSQL on dates shifted past year 1 or 9999.
MAX_TEXT = 200
EARLIEST, LATEST = datetime(1900, 1, 1, tzinfo=UTC), datetime(9000, 1, 1, tzinfo=UTC)


def _in_range(argument: str, value: Any) -> None:
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise BadUserInput(f"`{argument}` is at most {MAX_TEXT} characters.", argument=argument)
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        if not EARLIEST <= moment < LATEST:
            raise BadUserInput(f"`{argument}` must lie between the years 1900 and 8999.", argument=argument)
    elif isinstance(value, date) and not EARLIEST.date() <= value < LATEST.date():
        raise BadUserInput(f"`{argument}` must lie between the years 1900 and 8999.", argument=argument)
    elif isinstance(value, list):
        for item in value:
            _in_range(argument, item)


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
        for field in self.__strawberry_definition__.fields:  # type: ignore[attr-defined]
            _in_range(f"filter.{field.graphql_name or to_camel_case(field.python_name)}", getattr(self, field.python_name))
        conditions = self.lookups()
        return queryset.filter(*conditions) if conditions else queryset
