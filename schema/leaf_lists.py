"""Complete lists of objects that select only plain leaf fields in one pass.

graphql-core completes a list of objects field by field: for every item and every selected field
it builds a resolve info, calls the resolver, completes and serializes the value (about 5 µs a
field here). For the pages this gateway serves most, a list of rows whose selection is only
attributes (`members { nodes { name email } }`), that machinery is the bulk of a request.

When every field selected on the list's object type is a function of the item alone (a plain
strawberry field, a row attribute or node id from schema/row_fields.py, or a sync resolver that
takes only its parent: `status`, `faceValue`), and each value is a leaf, a list of leaves or an
object selected the same way (`Money`), the list is completed here in a tight loop with the same
serialization. Anything else (a resolver that needs `info` or arguments, an async one, a
connection, @defer/@stream, field middleware, an item that is not what the plan expects, a null
or a value that does not serialize) takes graphql-core's own path for the whole list, so errors
and their locations are exactly what graphql-core produces.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

from graphql import GraphQLEnumType, GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLScalarType, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.row_fields import plain_getter

DEFINITION = "strawberry-definition"
_NO_PLAN = object()


class _Fallback(Exception):
    """The plan does not fit this list: complete it the ordinary way."""


def _pure_resolver(definition: Any) -> Callable[[Any], Any] | None:
    """A sync resolver that takes only its parent (no info, no arguments) is a function of the row."""
    resolver = definition.base_resolver
    if resolver is None or resolver.is_async or resolver.arguments or resolver.info_parameter is not None:
        return None
    names = [p.name for p in (resolver.parent_parameter, resolver.root_parameter) if p is not None]
    if resolver.self_parameter is not None:
        return lambda item: resolver(item, **dict.fromkeys(names, item))
    return lambda item: resolver(**dict.fromkeys(names, item))


def _field_getter(field_def: Any) -> Callable[[Any], Any] | None:
    """How to read this field from an item, or None when it needs graphql-core's full path."""
    if field_def.args:
        return None
    plain = plain_getter(field_def.resolve)
    if plain is not None:
        return plain
    definition = (field_def.extensions or {}).get(DEFINITION)
    if definition is None or definition.extensions:
        return None
    if definition.base_resolver is None:
        return attrgetter(definition.python_name)
    return _pure_resolver(definition)


def _unwrap(field_type: Any) -> tuple[Any, bool]:
    return (field_type.of_type, True) if isinstance(field_type, GraphQLNonNull) else (field_type, False)


def _leaf_coercer(leaf_type: Any, non_null: bool) -> Callable[[Any], Any]:
    coerce = leaf_type.coerce_output_value

    def complete(value: Any) -> Any:
        if value is None:
            if non_null:
                raise _Fallback
            return None
        try:
            coerced = coerce(value)
        except Exception as exc:
            raise _Fallback from exc
        if coerced is None or coerced is Undefined:
            raise _Fallback
        return coerced

    return complete


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
        object_type, _ = _unwrap(item_type)
        if not isinstance(object_type, GraphQLObjectType):
            return _NO_PLAN
        if any(d.name.value == "stream" for details in field_details_list for d in details.node.directives or ()):
            return _NO_PLAN
        read = self._object_reader(object_type, field_details_list)
        if read is None:
            return _NO_PLAN

        def complete(items: list[Any]) -> list[Any]:
            completed = []
            for item in items:
                if item is None or isinstance(item, Exception):
                    raise _Fallback  # nulls and errors get graphql-core's own handling
                completed.append(read(item))
            return completed

        return complete

    def _object_reader(self, object_type: GraphQLObjectType, field_details_list: Any) -> Callable[[Any], dict] | None:
        """A function completing one object of this type with this selection, or None if any
        selected field needs graphql-core's full path."""
        grouped, new_defer_usages, _ = self.collect_subfields(object_type, field_details_list)
        if new_defer_usages:
            return None
        readers: list[tuple[str, Callable[[Any], Any] | None, Any]] = []
        for response_key, group in grouped.items():
            details = group[0]
            if details.defer_usage is not None or details.fragment_variable_values is not None or details.node.arguments:
                return None
            name = details.node.name.value
            if name == "__typename":
                readers.append((response_key, None, object_type.name))
                continue
            field_def = object_type.fields.get(name)
            getter = _field_getter(field_def) if field_def is not None else None
            if getter is None:
                return None
            complete = self._value_completer(field_def.type, group)
            if complete is None:
                return None
            readers.append((response_key, getter, complete))
        is_type_of = object_type.is_type_of

        def read(item: Any) -> dict:
            if is_type_of is not None and is_type_of(item, None) is not True:  # type: ignore[arg-type]  # strawberry's ignores info
                raise _Fallback
            row = {}
            for response_key, getter, complete in readers:
                if getter is None:  # __typename
                    row[response_key] = complete
                    continue
                try:
                    value = getter(item)
                except Exception as exc:
                    raise _Fallback from exc
                row[response_key] = complete(value)
            return row

        return read

    def _value_completer(self, field_type: Any, group: Any) -> Callable[[Any], Any] | None:
        """Completion of a leaf, a list of leaves, or a nested object of plain fields (Money)."""
        inner, non_null = _unwrap(field_type)
        if isinstance(inner, (GraphQLScalarType, GraphQLEnumType)):
            return _leaf_coercer(inner, non_null)
        if isinstance(inner, GraphQLList):
            item_type, item_non_null = _unwrap(inner.of_type)
            if not isinstance(item_type, (GraphQLScalarType, GraphQLEnumType)):
                return None
            item = _leaf_coercer(item_type, item_non_null)

            def complete_list(value: Any) -> Any:
                if value is None:
                    if non_null:
                        raise _Fallback
                    return None
                if not isinstance(value, (list, tuple)):
                    raise _Fallback
                return [item(v) for v in value]

            return complete_list
        if isinstance(inner, GraphQLObjectType):
            read = self._object_reader(inner, group)
            if read is None:
                return None

            def complete_object(value: Any) -> Any:
                if value is None:
                    if non_null:
                        raise _Fallback
                    return None
                return read(value)

            return complete_object
        return None
