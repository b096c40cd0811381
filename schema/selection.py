"""Which columns a GraphQL selection reads from a node type's table.

Connections and to-one relations fetch only these columns. Each field of a node type maps to
the model attributes it reads: a plain field to its own column, a field with a resolver to the
columns it declares with `reads(...)` (`metadata={"columns": ...}`); a resolver that declares
nothing reads every column, so forgetting a declaration costs speed, never correctness.
"""

from __future__ import annotations

import importlib
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode
from strawberry.types.lazy_type import LazyType, StrawberryLazyReference
from strawberry.utils.str_converters import to_camel_case

from resolvers.rows import all_fields, known_fields

ALL = None  # a field whose columns are unknown: read them all


def reads(*columns: str) -> dict[str, tuple[str, ...]]:
    """Field metadata: the model attributes a resolver reads from its parent row."""
    return {"columns": columns}


def resolve_type(node_type: Any) -> Any:
    """The class behind a node type annotation, lazy references included."""
    if isinstance(node_type, LazyType):
        return node_type.resolve_type()
    if typing.get_origin(node_type) is typing.Annotated:
        name, *extras = typing.get_args(node_type)
        for extra in extras:
            if isinstance(extra, StrawberryLazyReference):
                module = importlib.import_module(extra.module)
                return getattr(module, name if isinstance(name, str) else name.__forward_arg__)
        return resolve_type(name)
    return node_type


@cache
def column_map(node_type: Any) -> dict[str, tuple[str, ...] | None]:
    """GraphQL field name -> the model attributes that field reads (None: all of them)."""
    model = node_type.model
    projection = model._meta.fields_db_projection
    found: dict[str, tuple[str, ...] | None] = {"id": ("id",), "__typename": ()}
    for field in node_type.__strawberry_definition__.fields:
        name = field.graphql_name or to_camel_case(field.python_name)
        if name == "id":
            continue
        declared = (field.metadata or {}).get("columns")
        if declared is not None:
            found[name] = tuple(declared)
        elif field.base_resolver is None and field.python_name in projection:
            found[name] = (field.python_name,)
        else:
            found[name] = ALL
    return found


def subfields(selection_sets: Iterable[SelectionSetNode | None], fragments: dict[str, Any]) -> Iterator[FieldNode]:
    """The fields of these selection sets, fragments expanded (whatever their type condition or
    @skip/@include: reading a column too many is harmless)."""
    for selection_set in selection_sets:
        if selection_set is None:
            continue
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                yield selection
            elif isinstance(selection, InlineFragmentNode):
                yield from subfields([selection.selection_set], fragments)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments.get(selection.name.value)
                if fragment is not None:
                    yield from subfields([fragment.selection_set], fragments)


def fields_for(node_type: Any, names: Iterable[str], extra: Iterable[str] = ()) -> tuple[str, ...]:
    """The columns to read for these selected field names, plus `extra`; every column when a
    selected field's needs are unknown."""
    mapping = column_map(node_type)
    wanted: set[str] = set(extra)
    for name in names:
        columns = mapping.get(name, ALL)
        if columns is ALL:
            return all_fields(node_type.model)
        wanted.update(columns)
    return known_fields(node_type.model, wanted)


@dataclass(frozen=True, slots=True)
class ConnectionSelection:
    node_fields: tuple[str, ...]  # GraphQL names selected on the nodes (through `nodes` or `edges.node`)
    total_count: bool  # whether `totalCount` is asked for


def connection_selection(info: Any) -> ConnectionSelection:
    raw = info._raw_info
    fragments = raw.fragments
    names: set[str] = set()
    total = False
    for field in subfields((node.selection_set for node in raw.field_nodes), fragments):
        name = field.name.value
        if name == "totalCount":
            total = True
        elif name == "nodes":
            names.update(f.name.value for f in subfields([field.selection_set], fragments))
        elif name == "edges":
            for edge_field in subfields([field.selection_set], fragments):
                if edge_field.name.value == "node":
                    names.update(f.name.value for f in subfields([edge_field.selection_set], fragments))
    return ConnectionSelection(tuple(sorted(names)), total)


def object_selection(info: Any) -> tuple[str, ...]:
    """GraphQL names selected on the object a field returns."""
    raw = info._raw_info
    return tuple(sorted({f.name.value for f in subfields((n.selection_set for n in raw.field_nodes), raw.fragments)}))
