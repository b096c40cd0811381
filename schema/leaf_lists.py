"""Complete lists of objects that select only plain leaf fields in one pass.

graphql-core completes a list of objects field by field: for every item and every selected field
it builds a resolve info, calls the resolver, completes and serializes the value (about 5 µs a
field here). For the pages this gateway serves most, a list of rows whose selection is only
attributes (`members { nodes { name email } }`), that machinery is the bulk of a request.

When every field selected on the list's object type is answered by an attribute of the item
(a plain strawberry field, or a row attribute / node id from schema/row_fields.py), the list is
completed here in a tight loop with the same serialization. Anything else (a resolver, arguments,
a nested object, @defer/@stream, field middleware, an item that is not what the plan expects, a
null or a value that does not serialize) takes graphql-core's own path for the whole list, so
errors and their locations are exactly what graphql-core produces.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

from graphql import GraphQLEnumType, GraphQLNonNull, GraphQLObjectType, GraphQLScalarType, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.row_fields import plain_getter

DEFINITION = "strawberry-definition"
_NO_PLAN = object()


class _Fallback(Exception):
    """The plan does not fit this list: complete it the ordinary way."""


def _field_getter(field_def: Any) -> Callable[[Any], Any] | None:
    """How to read this field from an item, or None when it needs its resolver."""
    if field_def.args:
        return None
    plain = plain_getter(field_def.resolve)
    if plain is not None:
        return plain
    definition = (field_def.extensions or {}).get(DEFINITION)
    if definition is None or not definition.is_basic_field or definition.is_async:
        return None
    return attrgetter(definition.python_name)


def _leaf(field_type: Any) -> tuple[Any, bool] | None:
    """(the leaf type, whether it is non-null), or None for lists and objects."""
    non_null = isinstance(field_type, GraphQLNonNull)
    inner = field_type.of_type if non_null else field_type
    if isinstance(inner, (GraphQLScalarType, GraphQLEnumType)):
        return inner, non_null
    return None


class LeafListExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._leaf_plans: dict[tuple[int, int], tuple[Any, Any]] = {}

    def complete_iterable_value(self, item_type: Any, field_details_list: Any, info: Any, path: Any, items: Any,
                                position_context: Any) -> Any:
        if isinstance(items, list):
            plan = self._plan(item_type, field_details_list)
            if plan is not None:
                try:
                    return plan(items)
                except _Fallback:
                    pass
        return super().complete_iterable_value(item_type, field_details_list, info, path, items, position_context)

    def _plan(self, item_type: Any, field_details_list: Any) -> Callable[[list[Any]], list[Any]] | None:
        # Memoized like graphql-core's collect_subfields: on the field group's identity, kept alive.
        key = (id(item_type), id(field_details_list))
        cached = self._leaf_plans.get(key)
        if cached is None:
            cached = self._leaf_plans[key] = (field_details_list, self._make_plan(item_type, field_details_list))
        plan = cached[1]
        return None if plan is _NO_PLAN else plan

    def _make_plan(self, item_type: Any, field_details_list: Any) -> Any:
        # Strawberry always passes a manager; it wraps resolvers only when an extension resolves.
        if self.middleware_manager is not None and self.middleware_manager.middlewares:
            return _NO_PLAN
        items_non_null = isinstance(item_type, GraphQLNonNull)
        object_type = item_type.of_type if items_non_null else item_type
        if not isinstance(object_type, GraphQLObjectType):
            return _NO_PLAN
        if any(d.name.value == "stream" for details in field_details_list for d in details.node.directives or ()):
            return _NO_PLAN
        grouped, new_defer_usages, _ = self.collect_subfields(object_type, field_details_list)
        if new_defer_usages:
            return _NO_PLAN
        readers: list[tuple[str, Callable[[Any], Any] | None, Any, bool]] = []
        for response_key, group in grouped.items():
            details = group[0]
            if details.defer_usage is not None or details.fragment_variable_values is not None:
                return _NO_PLAN
            name = details.node.name.value
            if name == "__typename":
                readers.append((response_key, None, object_type.name, True))
                continue
            field_def = object_type.fields.get(name)
            leaf = _leaf(field_def.type) if field_def is not None else None
            getter = _field_getter(field_def) if leaf is not None else None
            if getter is None or details.node.arguments:
                return _NO_PLAN
            leaf_type, non_null = leaf
            readers.append((response_key, getter, leaf_type.coerce_output_value, non_null))
        is_type_of = object_type.is_type_of

        def complete(items: list[Any]) -> list[Any]:
            completed = []
            for item in items:
                if item is None or isinstance(item, Exception) or (is_type_of is not None and is_type_of(item, None) is not True):
                    raise _Fallback  # nulls, errors and strangers get graphql-core's own handling
                row = {}
                for response_key, getter, coerce, non_null in readers:
                    if getter is None:  # __typename
                        row[response_key] = coerce
                        continue
                    try:
                        value = getter(item)
                    except Exception as exc:  # noqa: BLE001 - let graphql-core report it where it happened
                        raise _Fallback from exc
                    if value is None:
                        if non_null:
                            raise _Fallback
                        row[response_key] = None
                        continue
                    try:
                        coerced = coerce(value)
                    except Exception as exc:  # noqa: BLE001
                        raise _Fallback from exc
                    if coerced is None or coerced is Undefined:
                        raise _Fallback
                    row[response_key] = coerced
                completed.append(row)
            return completed

        return complete
