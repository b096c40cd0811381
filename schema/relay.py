"""Relay building blocks: scoped nodes, cursor connections, typed ordering inputs.

Every connection field is made by `connection_field`, so paging arguments, limits,
filters, ordering and the tenant scoping of its rows behave the same everywhere.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, ClassVar, Generic, Optional, TypeVar, cast

import strawberry
from strawberry import relay
from tortoise.models import Model
from tortoise.queryset import QuerySet

from resolvers.loaders import rows_by_key
from resolvers.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, PageRequest, paginate, paginate_children
from resolvers.principal import Principal
from resolvers.scoping import Scope
from schema.enums import OrderDirection
from schema.global_ids import row_id
from schema.permissions.directive import PUBLIC, Requirement, permission_field
from schema.selection import connection_selection, fields_for, object_selection, reads, resolve_type

NodeT = TypeVar("NodeT")


class ModelNode(relay.Node):
    """A Relay node backed by a Tortoise model and read only through its scoped queryset."""

    model: ClassVar[type[Model]]
    # The model's scoped read (resolvers/scoping.py), through which every row of this type is read.
    readable: ClassVar[Scope[Any]]

    @classmethod
    def is_type_of(cls, obj: Any, info: Any) -> bool:
        return isinstance(obj, (cls, cls.model))

    @classmethod
    def row_builder(cls, principal: Principal) -> Callable[[dict[str, Any]], Any]:
        """Turns a row dict (model attribute -> value) into an instance of this type.

        No model and no dataclass __init__: the row's values become the instance's attributes,
        so plain fields read their column and resolvers read `root.<attribute>` as on a model.
        A type whose fields depend on the caller (masking) overrides this, so the rule runs once
        per row, where the row is built.
        """
        new = object.__new__

        def build(row: dict[str, Any]) -> Any:
            instance = new(cls)
            instance.__dict__ = row
            return instance

        return build

    @classmethod
    def resolve_id(cls, root: Any, *, info: Any) -> str:
        return str(root.id)

    @classmethod
    async def resolve_nodes(cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False):
        # An ID that cannot name a row is looked up as one that names no row: NOT_FOUND alike.
        ids = [row_id(node_id) for node_id in node_ids]
        wanted = [pk for pk in ids if pk is not None]
        rows = {row.id: row for row in await cls.readable(info.context.principal).filter(id__in=wanted)} if wanted else {}
        return [rows.get(pk) if pk is not None else None for pk in ids]


@strawberry.type(description="Where the current page sits in a connection.", directives=[PUBLIC])
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more items follow this page.")
    has_previous_page: bool = strawberry.field(description="Whether items precede this page.")
    start_cursor: str | None = strawberry.field(description="The cursor of the first item of this page.")
    end_cursor: str | None = strawberry.field(description="The cursor of the last item of this page.")


@strawberry.type(description="An item of a connection and the cursor that points at it.", directives=[PUBLIC])
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(description="Pass as `after` or `before` to page from this item.")
    node: NodeT = strawberry.field(description="The item.")


def _edges(root: Any) -> list[Edge[Any]]:
    # Edges and their cursors are built only when asked for: list pages mostly read `nodes`.
    return [Edge(cursor=cursor, node=row) for cursor, row in zip(root._page.cursors, root._page.rows, strict=True)]


@strawberry.type(description="A page of items with cursors to page forward and back, and the total count.", directives=[PUBLIC])
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(resolver=_edges, description="The items of this page with their cursors.")
    nodes: list[NodeT] = strawberry.field(description="The items of this page, without cursors.")
    page_info: PageInfo = strawberry.field(description="Where this page sits in the whole list.")
    total_count: int = strawberry.field(description="How many items match, across all pages.")
    _page: strawberry.Private[Page[Any]]

    @classmethod
    def from_page(cls, page: Page[Any]) -> Connection[Any]:
        return cls(
            nodes=page.rows,
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=page.has_previous,
                start_cursor=page.cursors[0] if page.cursors else None,
                end_cursor=page.cursors[-1] if page.cursors else None,
            ),
            # None when the count was skipped (not selected): totalCount is never read then.
            total_count=cast(int, page.total),
            _page=page,
        )


def order_input(type_name: str, description: str, fields: dict[str, tuple[str, str]], default: str) -> type:
    """An `orderBy` input: `{field: <TypeName>Field, direction}`; `fields` maps name -> (model field, description)."""
    field_enum = Enum(f"{type_name}Field", {name: name for name in fields})  # type: ignore[misc]
    strawberry.enum(field_enum, description=f"The fields {type_name.removesuffix('Order')} lists can be ordered by.")
    for value in field_enum.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = fields[value.name][1]

    def ordering(self: Any) -> list[str]:
        prefix = "-" if self.direction is OrderDirection.DESC else ""
        return [prefix + fields[self.field.name][0]]

    namespace = {
        "__annotations__": {"field": field_enum, "direction": OrderDirection},
        "field": strawberry.field(default=field_enum[default], description="The field to order by."),
        "direction": strawberry.field(default=OrderDirection.ASC, description="The direction to order in."),
        "ordering": ordering,
    }
    return strawberry.input(type(type_name, (), namespace), description=description)


First = Annotated[int | None, strawberry.argument(description=f"Return the first n items (default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE}).")]
After = Annotated[str | None, strawberry.argument(description="Return items after this cursor.")]
Last = Annotated[int | None, strawberry.argument(description=f"Return the last n items (at most {MAX_PAGE_SIZE}).")]
Before = Annotated[str | None, strawberry.argument(description="Return items before this cursor.")]

RowsFn = Callable[[Any, strawberry.Info], QuerySet[Any] | Awaitable[QuerySet[Any]]]


@dataclass(frozen=True)
class Children:
    """The rows of a parent: the caller's scoped `readable` rows whose `parent_key` is the parent's id.

    Declared this way (not as a per-parent query) so every parent of a list is paged in one batch.
    """

    readable: Callable[[Principal], QuerySet[Any]]
    parent_key: str
    # How to find the key value for a parent row (default: its id); may be async, None means no rows.
    key_of: Callable[[Any, strawberry.Info], Any] | None = None


def children(readable: Callable[[Principal], QuerySet[Any]], parent_key: str,
             key_of: Callable[[Any, strawberry.Info], Any] | None = None) -> Children:
    return Children(readable, parent_key, key_of)


# Field metadata key: the connection must be asked for with a page size (schema/limits/cost.py).
PAGE_SIZE_REQUIRED = "page_size_required"
# Field metadata keys: what a connection or a relation reads, for the compiled read path
# (schema/compiled/), which builds the same answer in SQL from the same scoped reads.
CONNECTION = "connection"
RELATION = "relation"
OWN_ROW = "own_row"


@dataclass(frozen=True)
class RootRows:
    """The rows of a root list: the caller's scoped `readable` rows."""

    readable: Callable[[Principal], QuerySet[Any]]

    def __call__(self, root: Any, info: strawberry.Info) -> QuerySet[Any]:
        return self.readable(info.context.principal)


def readable_rows(readable: Callable[[Principal], QuerySet[Any]]) -> RootRows:
    return RootRows(readable)


@dataclass(frozen=True)
class ConnectionSpec:
    node_type: Any
    rows: RowsFn | Children
    filter_type: type | None
    order_type: type | None
    default_order: tuple[str, ...]


@dataclass(frozen=True)
class RelationSpec:
    node_type: Any
    readable: Callable[[Principal], QuerySet[Any]]
    key: str
    key_field: str


@dataclass(frozen=True)
class OwnRow:
    """A field answering the caller's own row: the `readable` row whose id is the principal's `attribute`."""

    readable: Callable[[Principal], QuerySet[Any]]
    attribute: str


def own_row(readable: Callable[[Principal], QuerySet[Any]], attribute: str) -> dict[str, OwnRow]:
    return {OWN_ROW: OwnRow(readable, attribute)}


def connection_field(
    node_type: Any,  # a node type, or a lazy reference to one
    *,
    description: str,
    rows: RowsFn | Children,
    filter_type: type | None = None,
    order_type: type | None = None,
    default_order: tuple[str, ...] = ("id",),
    requires: Requirement | None = None,
    page_size_required: bool = False,
    **field_kwargs: Any,
) -> Any:
    """A paged, filtered, ordered connection over the scoped queryset `rows(root, info)`.

    With `requires` (a Permission, or a tuple of which any one suffices) the field is guarded and
    nullable, so a denied caller gets null and a FORBIDDEN error. `page_size_required`: a list
    that grows without bound (a history); the operation limits refuse it without `first`/`last`.
    """
    if page_size_required:
        description = f"{description} Give `first` or `last` (at most {MAX_PAGE_SIZE})."
        field_kwargs["metadata"] = {**field_kwargs.get("metadata", {}), PAGE_SIZE_REQUIRED: True}
    field_kwargs["metadata"] = {**field_kwargs.get("metadata", {}),
                                CONNECTION: ConnectionSpec(node_type, rows, filter_type, order_type, default_order)}

    def reading(info: strawberry.Info, ordering: list[str]) -> dict[str, Any]:
        """What to read for this selection: only the nodes' columns, and the total only if asked."""
        node = resolve_type(node_type)
        if not hasattr(node, "model"):
            return {}
        selection = connection_selection(info)
        return {
            "fields": fields_for(node, selection.node_fields, [name.lstrip("-") for name in ordering]),
            "build": node.row_builder(info.context.principal),
            "count": selection.total_count,
        }

    async def resolve(root: Any, info: strawberry.Info, **kwargs: Any) -> Connection[Any]:
        if isinstance(rows, Children):
            return await _batched(root, info, kwargs)
        queryset = rows(root, info)
        if not isinstance(queryset, QuerySet):  # a QuerySet is awaitable itself: only await coroutines
            queryset = await queryset
        if (filters := kwargs.get("filter")) is not None:
            queryset = filters.apply(queryset)
        order_by = kwargs.get("order_by")
        ordering = [*(order_by.ordering() if order_by is not None else default_order), "id"]
        request = PageRequest(kwargs.get("first"), kwargs.get("after"), kwargs.get("last"), kwargs.get("before"))
        return Connection.from_page(await paginate(queryset, request, ordering, **reading(info, ordering)))

    async def _batched(root: Any, info: strawberry.Info, kwargs: dict[str, Any]) -> Connection[Any]:
        assert isinstance(rows, Children)
        children = rows
        context = info.context
        request = PageRequest(kwargs.get("first"), kwargs.get("after"), kwargs.get("last"), kwargs.get("before"))
        filters, order_by = kwargs.get("filter"), kwargs.get("order_by")
        ordering = [*(order_by.ordering() if order_by is not None else default_order), "id"]

        async def load(parent_ids: list[int]) -> list[Connection[Any]]:
            queryset = children.readable(context.principal)
            if filters is not None:
                queryset = filters.apply(queryset)
            pages = await paginate_children(queryset, children.parent_key, parent_ids, request, ordering, **reading(info, ordering))
            return [Connection.from_page(pages[parent]) for parent in parent_ids]

        parent = root.id
        if children.key_of is not None:
            parent = children.key_of(root, info)
            if inspect.isawaitable(parent):
                parent = await parent
            if parent is None:
                return Connection.from_page(Page.empty())
        # Siblings asking for the same page of the same field share one batch; the same field
        # selected twice (aliases) reads what each selection needs.
        key = ("children", resolve, repr(request), repr(filters), repr(order_by), id(info._raw_info.field_nodes[0]))
        return await context.batch(key, load).load(parent)

    keyword = inspect.Parameter.KEYWORD_ONLY
    params = [
        inspect.Parameter("root", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter("info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=strawberry.Info),
        inspect.Parameter("first", keyword, annotation=First, default=None),
        inspect.Parameter("after", keyword, annotation=After, default=None),
        inspect.Parameter("last", keyword, annotation=Last, default=None),
        inspect.Parameter("before", keyword, annotation=Before, default=None),
    ]
    if filter_type is not None:
        params.append(inspect.Parameter(
            "filter", keyword, default=None,
            annotation=Annotated[filter_type | None, strawberry.argument(description="Only items matching all given criteria.")],
        ))
    if order_type is not None:
        params.append(inspect.Parameter(
            "order_by", keyword, default=None,
            annotation=Annotated[order_type | None, strawberry.argument(description="How to order the items.")],
        ))
    # A generic built at run time, for strawberry's eyes only.
    returns = Connection[node_type] | None if requires else Connection[node_type]
    resolve.__signature__ = inspect.Signature(params, return_annotation=returns)  # type: ignore[attr-defined]
    if isinstance(rows, Children) and rows.key_of is None:
        # The parent row must carry what finds its children (a `key_of` declares its own reads).
        field_kwargs["metadata"] = {**reads("id"), **field_kwargs.get("metadata", {})}
    if requires:
        return permission_field(requires=requires, resolver=resolve, description=description, **field_kwargs)
    return strawberry.field(resolver=resolve, description=description, **field_kwargs)


def related_field(
    node_type: Any, readable: Callable[[Principal], QuerySet[Any]], key: str, *, description: str,
    requires: Requirement | None = None, key_field: str = "id",
) -> Any:
    """A to-one relation: the row whose `key_field` equals `root.<key>`, through the caller's
    scoped, batched loader; null when there is none or it is not readable."""

    async def resolve(root: Any, info: strawberry.Info) -> Any:
        value = getattr(root, key)
        if value is None:
            return None
        context = info.context
        node = resolve_type(node_type)
        if not hasattr(node, "model"):
            return await context.load(readable, value, key_field=key_field, scope=resolve)
        field_nodes = info._raw_info.field_nodes

        def load(keys: list[Any]) -> Any:
            fields = fields_for(node, object_selection(info), [key_field])
            return rows_by_key(readable(context.principal), key_field, keys, fields, node.row_builder(context.principal))

        # One batch per field and selection: every parent's load of this field waits for one statement.
        return await context.batch(("related", resolve, id(field_nodes[0])), load).load(value)

    resolve.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("root", inspect.Parameter.POSITIONAL_OR_KEYWORD),
         inspect.Parameter("info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=strawberry.Info)],
        return_annotation=node_type | None if not isinstance(node_type, str) else Optional[node_type],  # noqa: UP045 - a string reference cannot use |
    )
    metadata = {**reads(key), RELATION: RelationSpec(node_type, readable, key, key_field)}
    if requires:
        return permission_field(requires=requires, resolver=resolve, description=description, metadata=metadata)
    return strawberry.field(resolver=resolve, description=description, metadata=metadata)
