"""A query operation compiled into one SQL statement whose result is the answer's `data`.

The walk follows the operation's selections (fragments, inline fragments, aliases, @skip and
@include) over the schema and, for every field, uses what the field already declares:

- a plain field is its column, spelled as the API answers it (enums by name, times as isoformat,
  decimals as text, global IDs as base64 of "Type:id");
- `connection_field` and `related_field` (schema/relay.py) name their node type and the caller's
  scoped read: that read's own SQL, from Tortoise, is the row source, narrowed to the parent's rows,
  bounded by the page's cursors and ordered and limited as resolvers/pagination.py does;
- a field computed in Python declares its SQL twin (schema/sql_values.py), built from the same rule.

Whatever has no such declaration raises `Fallback` naming it, and the root field it is under runs
on the standard executor (schema/compiled/extension.py), as does anything that would answer an
error: the compiled path only ever answers what the standard one answers without errors. Root
fields are independent of one another, so the others still compile; an operation none of whose
root fields compiles raises `Fallback` whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from functools import cache
from types import SimpleNamespace
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLIncludeDirective,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLSkipDirective,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    print_ast,
)
from graphql.execution.values import VariableValues, get_argument_values, get_directive_values
from strawberry.types.arguments import convert_arguments
from tortoise import fields as tortoise_fields
from tortoise.fields import DecimalField

from resolvers import rows
from resolvers.errors import GatewayError
from resolvers.pagination import CURSOR_VERSION, PageRequest, order_sql, order_tag, reverse, sort_keys
from resolvers.principal import Principal
from schema.compiled.statement import NOW, Statement, literal
from schema.global_ids import row_id
from schema.node_lookup import NODE_LOOKUP, check_count, node_target
from schema.relay import CONNECTION, OWN_ROW, RELATION, Children, ConnectionSpec, ModelNode, OwnRow, RelationSpec, RootRows
from schema.selection import resolve_type
from schema.sql_values import AS_STORED, FROM_CALLER, MONEY, RELATED_MONEY, SQL_VALUE, STATELESS, RelatedMoney, SqlValue


class Fallback(Exception):
    """The operation needs the standard executor; the message says which field or feature."""


class FallbackForValues(Fallback):
    """The standard executor answers these values (an ID it refuses), not every run of the operation."""


@dataclass(frozen=True)
class Plan:
    """A compiled operation: the statement answering the root fields it covers, and the rest.

    `keys` are every root response key in answer order; `fallback` maps those the statement does
    not answer to why, and `rest` is the operation cut down to them, for the standard executor
    (None when the statement answers everything)."""

    sql: str
    params: list[Any]
    keys: tuple[str, ...]
    fallback: dict[str, str]
    rest: DocumentNode | None
    # Root keys looked up by global ID (`node`, `nodes`): a null there is an object missing or not the
    # caller's, whose NOT_FOUND error the standard executor answers, so it answers the operation.
    found_only: tuple[str, ...] = ()
    # The operation cut down to the fallback root fields and those: what the executor answers then.
    rest_if_missing: DocumentNode | None = None
    # Root keys the statement answers with a constant (`__typename`), not a read.
    constants: tuple[str, ...] = ()

    def answers_beside(self, executed: set[str]) -> bool:
        """Whether the statement reads anything for the root fields the executor does not answer."""
        return any(key not in executed and key not in self.constants for key in self.keys)


# Subqueries nested in subqueries: SQLite's parser stack ends somewhere past this (five levels of
# pages and relations overflowed it, tests/compiled/test_differential.py); PostgreSQL has no such
# limit near it.
SQLITE_NESTING = 4


# Fields answered with no declaration: a connection's own parts.
_CONNECTION_PARTS = {"nodes", "edges", "pageInfo", "totalCount", "__typename"}


@dataclass
class _Row:
    """A row of a node type inside the statement: its alias and the columns its fields read."""

    alias: str
    model: Any
    columns: set[str]
    principal: Principal
    statement: Statement
    now: Any  # NOW: the time of the request that runs the statement

    @property
    def dialect(self) -> str:
        return self.statement.dialect

    def column(self, name: str) -> str:
        if name not in self.model._meta.fields_db_projection:
            raise Fallback(f"{self.model.__name__}.{name} is not a column")
        self.columns.add(name)
        return f'"{self.alias}"."{name}"'

    def number(self, name: str) -> str:
        return self.statement.number(self.column(name))

    def two_places(self, expression: str) -> str:
        return self.statement.two_places(expression)

    def bind(self, value: Any) -> str:
        return self.statement.bind(value)


class Compiler:
    def __init__(self, schema: Any, document: Any, operation: OperationDefinitionNode, variables: VariableValues,
                 principal: Principal, dialect: str, now: Any = NOW) -> None:
        self.schema = schema  # the strawberry schema
        self.gql: GraphQLSchema = schema._schema
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.operation = operation
        self.variables = variables
        self.principal = principal
        self.statement = Statement(dialect)
        self.now = now
        self.depth = 0
        self.found_only: list[str] = []

    @contextmanager
    def _nested(self, what: str) -> Iterator[None]:
        self.depth += 1
        if not self.statement.postgres and self.depth > SQLITE_NESTING:
            raise Fallback(f"{what}: nested deeper than SQLite parses")
        try:
            yield
        finally:
            self.depth -= 1

    # --- entry --------------------------------------------------------------------------------

    def compile(self, document: DocumentNode, skip: frozenset[str] = frozenset()) -> Plan:
        """The plan of the operation in `document`; the root fields in `skip` go to the executor."""
        root = self.gql.query_type
        assert root is not None
        collected = self._collect(root, [self.operation.selection_set])
        pairs: list[tuple[str, str]] = []
        fallback: dict[str, str] = {}
        constants: list[str] = []
        for_values = False
        for key, nodes in collected:
            name = nodes[0].name.value
            if key in skip:
                fallback[key] = "asks for something denied"
                continue
            if name == "__typename":
                pairs.append((key, literal(root.name)))
                constants.append(key)
                continue
            try:
                pairs.append((key, self._root_field(root, name, root.fields[name], nodes)))
                if NODE_LOOKUP in self._metadata(root, name):
                    self.found_only.append(key)
            except Fallback as reason:
                for_values = for_values or isinstance(reason, FallbackForValues)
                # A half-built field leaves nothing behind: its values are bound by markers the
                # finished text never names, and `finish` keeps only the named ones.
                fallback[key] = str(reason)
        if len(constants) == len(pairs):  # nothing but `__typename` left to read
            raise (FallbackForValues if for_values else Fallback)("; ".join(fallback.values()) or "nothing to read")
        text = f"SELECT {self.statement.data(pairs)}"
        sql, params = self.statement.finish(text)
        def cut(keys: set[str]) -> DocumentNode | None:
            return self._cut(document, [node for key, nodes in collected if key in keys for node in nodes]) if keys else None

        return Plan(sql, params, tuple(key for key, _ in collected), fallback, cut(set(fallback)), tuple(self.found_only),
                    cut({*fallback, *self.found_only}) if self.found_only else None, tuple(constants))

    def _cut(self, document: DocumentNode, fields: list[FieldNode]) -> DocumentNode:
        """The operation with only `fields` at its root (found with fragments and directives
        applied), beside the document's fragments: what the standard executor is to answer."""
        operation = OperationDefinitionNode(
            operation=self.operation.operation, name=self.operation.name, directives=self.operation.directives,
            variable_definitions=self.operation.variable_definitions, selection_set=SelectionSetNode(selections=tuple(fields)),
        )
        return DocumentNode(definitions=(operation, *self.fragments.values()))

    def _root_field(self, parent: GraphQLObjectType, name: str, field_def: GraphQLField, nodes: list[FieldNode]) -> str:
        meta = self._metadata(parent, name)
        if CONNECTION in meta:
            return self._connection(meta[CONNECTION], parent.name, field_def, nodes, parent_row=None)
        if meta.get(STATELESS) and not field_def.args:
            target = _object_type(field_def.type)
            return self._stateless(target, nodes)
        if NODE_LOOKUP in meta:
            return self._node_lookup(meta[NODE_LOOKUP], parent.name, name, field_def, nodes)
        raise Fallback(f"{parent.name}.{name}")

    def _node_lookup(self, kind: str, parent_name: str, name: str, field_def: GraphQLField, nodes: list[FieldNode]) -> str:
        """`node(id:)` or `nodes(ids:)`: each ID the object's row from its type's scoped read, as the
        resolvers look it up (schema/node_lookup.py); an ID they would refuse is theirs to answer."""
        kwargs = self._arguments(parent_name, name, field_def, nodes[0])
        if kind == "one":
            return self._node_by_id(kwargs["id"], nodes)
        try:
            check_count(kwargs["ids"])
        except GatewayError as refused:
            raise FallbackForValues(f"nodes: {refused.message}") from None
        return self.statement.array([self._node_by_id(raw, nodes) for raw in kwargs["ids"]])

    def _node_by_id(self, raw: str, nodes: list[FieldNode]) -> str:
        try:
            node_class, type_name, node_id = node_target(self.schema, raw, self.principal)
        except GatewayError as refused:
            raise FallbackForValues(f"node: {refused.message}") from None
        pk = row_id(node_id)
        if pk is None:
            raise FallbackForValues("node: an ID that names no row")
        object_type = _object_type(self.gql.type_map[type_name])
        row = self._row(node_class.model)
        try:
            with self._nested(object_type.name):
                value = self._node_object(object_type, row, nodes)
        except Fallback as reason:
            # The type is the ID's, a variable's value: another ID of the same document may compile.
            raise FallbackForValues(str(reason)) from None
        return self._one_row(row, value, node_class.readable(self.principal), "id", self.statement.bind(pk))

    # --- selections ---------------------------------------------------------------------------

    def _collect(self, object_type: GraphQLObjectType, selection_sets: list[SelectionSetNode]) -> list[tuple[str, list[FieldNode]]]:
        """The fields selected on `object_type`, by response key, in order (merged like the executor's)."""
        found: dict[str, list[FieldNode]] = {}
        visited: set[str] = set()

        def walk(selection_set: SelectionSetNode) -> None:
            for selection in selection_set.selections:
                if not self._included(selection):
                    continue
                if isinstance(selection, FieldNode):
                    key = selection.alias.value if selection.alias else selection.name.value
                    found.setdefault(key, []).append(selection)
                elif isinstance(selection, InlineFragmentNode):
                    if selection.type_condition is None or self._applies(selection.type_condition.name.value, object_type):
                        walk(selection.selection_set)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    if name in visited:
                        continue
                    visited.add(name)
                    fragment = self.fragments[name]
                    if self._applies(fragment.type_condition.name.value, object_type):
                        walk(fragment.selection_set)

        for selection_set in selection_sets:
            walk(selection_set)
        return list(found.items())

    def _applies(self, condition: str, object_type: GraphQLObjectType) -> bool:
        if condition == object_type.name:
            return True
        return any(interface.name == condition for interface in object_type.interfaces)

    def _included(self, node: Any) -> bool:
        skip = get_directive_values(GraphQLSkipDirective, node, self.variables)
        if skip is not None and skip.get("if") is True:
            return False
        include = get_directive_values(GraphQLIncludeDirective, node, self.variables)
        return not (include is not None and include.get("if") is False)

    def _subselections(self, nodes: list[FieldNode]) -> list[SelectionSetNode]:
        return [node.selection_set for node in nodes if node.selection_set is not None]

    # --- objects --------------------------------------------------------------------------------

    def _metadata(self, object_type: GraphQLObjectType, name: str) -> dict[str, Any]:
        field = _strawberry_fields(self.schema, object_type.name).get(name)
        return dict(field.metadata or {}) if field is not None else {}

    def _stateless(self, object_type: GraphQLObjectType, nodes: list[FieldNode]) -> str:
        """An object without a row of its own (the viewer): each field names its own row."""
        pairs = []
        for key, sub in self._collect(object_type, self._subselections(nodes)):
            name = sub[0].name.value
            if name == "__typename":
                pairs.append((key, literal(object_type.name)))
                continue
            meta = self._metadata(object_type, name)
            field_def = object_type.fields[name]
            if meta.get(FROM_CALLER) and not field_def.args:
                pairs.append((key, self._from_caller(object_type, name, field_def)))
                continue
            if OWN_ROW not in meta or field_def.args:
                raise Fallback(f"{object_type.name}.{name}")
            pairs.append((key, self._own_row(meta[OWN_ROW], field_def, sub)))
        return self.statement.obj(pairs)

    def _from_caller(self, object_type: GraphQLObjectType, name: str, field_def: GraphQLField) -> str:
        """What the field's own resolver answers for this caller, serialized as GraphQL serializes it,
        bound as one JSON value (the plan is the caller's: the cache key holds the principal)."""
        resolver = _strawberry_fields(self.schema, object_type.name)[name].base_resolver
        if resolver is None or resolver.is_async:
            raise Fallback(f"{object_type.name}.{name}")
        value = resolver.wrapped_func(None, SimpleNamespace(context=SimpleNamespace(principal=self.principal)))
        return self.statement.json_value(orjson.dumps(_serialized(field_def.type, value)).decode())

    def _node_object(self, object_type: GraphQLObjectType, row: _Row, nodes: list[FieldNode]) -> str:
        """The JSON object of a node type's selection over `row`."""
        node_class = _node_class(self.schema, object_type.name)
        pairs = []
        for key, sub in self._collect(object_type, self._subselections(nodes)):
            name = sub[0].name.value
            pairs.append((key, self._node_field(object_type, node_class, row, name, sub)))
        if len(pairs) > 50:  # json_build_object takes at most 100 arguments
            raise Fallback(f"{object_type.name}: more than 50 fields in one selection")
        return self.statement.obj(pairs)

    def _node_field(self, object_type: GraphQLObjectType, node_class: Any, row: _Row, name: str, nodes: list[FieldNode]) -> str:
        if name == "__typename":
            return literal(object_type.name)
        if name == "id":
            return self.statement.global_id(object_type.name, row.column("id"))
        field_def = object_type.fields[name]
        field = _strawberry_fields(self.schema, object_type.name)[name]
        meta = dict(field.metadata or {})
        if RELATION in meta:
            return self._relation(meta[RELATION], field_def, nodes, row)
        if CONNECTION in meta:
            return self._connection(meta[CONNECTION], object_type.name, field_def, nodes, parent_row=row)
        if field_def.args:
            raise Fallback(f"{object_type.name}.{name} takes arguments")
        if SQL_VALUE in meta:
            declared: SqlValue = meta[SQL_VALUE]
            return self._scalar(object_type, name, field_def, declared.build(row))
        if RELATED_MONEY in meta:
            return self._related_money(meta[RELATED_MONEY], field_def, nodes, row)
        if MONEY in meta:
            if isinstance(meta[MONEY], SqlValue):
                return self._money(field_def, nodes, meta[MONEY].build(row))
            if isinstance(meta[MONEY], tuple):
                minuend, *subtrahends = (row.column(name) for name in meta[MONEY])
                return self._money(field_def, nodes, self.statement.difference(minuend, subtrahends))
            column = row.column(meta[MONEY])
            # Money.of: two places, whatever the column keeps.
            return self._money(field_def, nodes, self.statement.two_places(self.statement.number(column)), null_when=column)
        if AS_STORED in meta:
            return self._scalar(object_type, name, field_def, row.column(meta[AS_STORED]), column=meta[AS_STORED], row=row)
        if field.base_resolver is None and field.python_name in row.model._meta.fields_db_projection:
            return self._scalar(object_type, name, field_def, row.column(field.python_name), column=field.python_name, row=row)
        raise Fallback(f"{object_type.name}.{name}")

    def _scalar(self, object_type: GraphQLObjectType, name: str, field_def: GraphQLField, value: str, *,
                column: str | None = None, row: _Row | None = None) -> str:
        named = get_named_type(field_def.type)
        if isinstance(get_nullable_type(field_def.type), GraphQLList):
            return self._json_list(object_type, name, named, value, column, row)
        if isinstance(named, GraphQLEnumType):
            if not _enum_by_value(named):
                raise Fallback(f"{named.name}: enum names differ from their stored values")
            return value
        if not isinstance(named, GraphQLScalarType):
            raise Fallback(f"{object_type.name}.{name}")
        kind = named.name
        if kind in ("String", "ID"):
            return value
        if kind == "Int":
            return value
        if kind == "Boolean":
            return self.statement.boolean_column(value)
        if kind == "DateTime":
            return self.statement.datetime(value)
        if kind == "Date":
            return self.statement.date(value)
        if kind == "Decimal" and row is not None and column is not None \
                and isinstance(stored := row.model._meta.fields_map[column], DecimalField):
            return f"CASE WHEN {value} IS NULL THEN NULL ELSE {self.statement.decimal(value, stored.decimal_places)} END"
        raise Fallback(f"{object_type.name}.{name}: {kind}")

    def _json_list(self, object_type: GraphQLObjectType, name: str, named: Any, value: str, column: str | None,
                   row: _Row | None) -> str:
        """A list of strings (or of enums stored by name) kept in a JSON column: the column's JSON as it is."""
        stored = row.model._meta.fields_map.get(column) if row is not None and column is not None else None
        plain = named.name in ("String", "ID") or (isinstance(named, GraphQLEnumType) and _enum_by_value(named))
        if not isinstance(stored, tortoise_fields.JSONField) or not plain:
            raise Fallback(f"{object_type.name}.{name} is a list")
        return self.statement.json_column(value)

    def _related_money(self, spec: RelatedMoney, field_def: GraphQLField, nodes: list[FieldNode], parent: _Row) -> str:
        """A Money object from a related row (a partner's wallet), through that row's scoped read."""
        queryset = spec.readable(self.principal)
        row = self._row(queryset.model)
        row.columns.add(spec.key_field)
        with self._nested("Money"):
            amount = row.column(spec.amount)
            value = self._money(field_def, nodes, self.statement.two_places(self.statement.number(amount)), null_when=amount,
                                currency=row.column(spec.currency))
        return self._one_row(row, value, queryset, spec.key_field, parent.column("id"))

    def _money(self, field_def: GraphQLField, nodes: list[FieldNode], amount: str, *, null_when: str | None = None,
               currency: str = "'CNY'") -> str:
        """A Money object of `amount` (text, two places) in `currency`; null where `null_when` (else `amount`) is NULL."""
        money_type = _object_type(field_def.type)
        pairs = []
        for key, sub in self._collect(money_type, self._subselections(nodes)):
            name = sub[0].name.value
            if name == "amount":
                pairs.append((key, amount))
            elif name == "currency":
                pairs.append((key, currency))
            elif name == "__typename":
                pairs.append((key, literal(money_type.name)))
            else:
                raise Fallback(f"{money_type.name}.{name}")
        value = self.statement.obj(pairs)
        return f"CASE WHEN {null_when or amount} IS NULL THEN NULL ELSE {value} END"

    # --- rows from scoped reads ----------------------------------------------------------------

    def _source(self, queryset: Any, columns: set[str]) -> str:
        """The scoped read's own SQL (its joins, filters and parameters), selecting `columns`."""
        sql, params, _ = rows.compiled(queryset, rows.known_fields(queryset.model, columns), ordered=False)
        return self.statement.embed(sql, params)

    def _row(self, model: Any) -> _Row:
        return _Row(self.statement.alias(), model, {"id"}, self.principal, self.statement, self.now)

    def _own_row(self, own: OwnRow, field_def: GraphQLField, nodes: list[FieldNode]) -> str:
        object_type = _object_type(field_def.type)
        node_class = _node_class(self.schema, object_type.name)
        key = getattr(self.principal, own.attribute)
        if key is None:
            return "NULL"
        row = self._row(node_class.model)
        with self._nested(object_type.name):
            value = self._node_object(object_type, row, nodes)
        return self._one_row(row, value, own.readable(self.principal), "id", self.statement.bind(key))

    def _relation(self, spec: RelationSpec, field_def: GraphQLField, nodes: list[FieldNode], parent: _Row) -> str:
        object_type = _object_type(field_def.type)
        node_class = resolve_type(spec.node_type)
        if not (isinstance(node_class, type) and issubclass(node_class, ModelNode)):
            raise Fallback(f"{object_type.name}: not a model node")
        row = self._row(node_class.model)
        row.columns.add(spec.key_field)
        with self._nested(object_type.name):
            value = self._node_object(object_type, row, nodes)
        return self._one_row(row, value, spec.readable(self.principal), spec.key_field, parent.column(spec.key))

    def _one_row(self, row: _Row, value: str, queryset: Any, column: str, equals: str) -> str:
        """`value` (built over `row`) for the one row of the scoped read whose `column` is `equals`
        (SQL); NULL when there is none the caller may read."""
        source = self._source(queryset, row.columns)
        return self.statement.nested(f'SELECT {value} FROM ({source}) AS "{row.alias}" '
                                     f'WHERE "{row.alias}"."{column}" = {equals} LIMIT 1')

    def _arguments(self, parent_type: str, name: str, field_def: GraphQLField, node: FieldNode) -> dict[str, Any]:
        raw = get_argument_values(field_def, node, self.variables)
        field = _strawberry_fields(self.schema, parent_type)[name]
        return convert_arguments(raw, field.arguments, scalar_registry=self.schema.schema_converter.scalar_registry,
                                 config=self.schema.config)

    def _connection(self, spec: ConnectionSpec, parent_name: str, field_def: GraphQLField, nodes: list[FieldNode],
                    parent_row: _Row | None) -> str:
        with self._nested(parent_name):
            return self._page(spec, parent_name, field_def, nodes, parent_row)

    def _page(self, spec: ConnectionSpec, parent_name: str, field_def: GraphQLField, nodes: list[FieldNode],
              parent_row: _Row | None) -> str:
        if len({_arguments_key(node) for node in nodes}) > 1:
            raise Fallback("one connection asked with different arguments under one key")
        connection_type = _object_type(field_def.type)
        node_type = _object_type(connection_type.fields["nodes"].type)
        node_class = resolve_type(spec.node_type)
        if not (isinstance(node_class, type) and issubclass(node_class, ModelNode)):
            raise Fallback(f"{connection_type.name}: not a model node")
        kwargs = self._arguments(parent_name, nodes[0].name.value, field_def, nodes[0])
        request = PageRequest(kwargs.get("first"), kwargs.get("after"), kwargs.get("last"), kwargs.get("before"))
        request.validate()
        if isinstance(spec.rows, Children):
            if spec.rows.key_of is not None or parent_row is None:
                raise Fallback(f"{connection_type.name}: rows found by a key function")
            queryset = spec.rows.readable(self.principal)
            parent_key: str | None = spec.rows.parent_key
        elif isinstance(spec.rows, RootRows):
            queryset = spec.rows.readable(self.principal)
            parent_key = None
        else:
            raise Fallback(f"{connection_type.name}: rows from a resolver")
        if (filters := kwargs.get("filter")) is not None:
            queryset = filters.apply(queryset)
        order_by = kwargs.get("order_by")
        ordering = [*(order_by.ordering() if order_by is not None else spec.default_order), "id"]
        keys = sort_keys(ordering)
        order = [("-" if k.descending else "") + k.name for k in keys]
        travel = reverse(order) if request.backward else order
        model = node_class.model
        row = self._row(model)
        row.columns.update(k.name for k in keys)
        if parent_key is not None:
            row.columns.add(parent_key)

        # Cursors are decoded (and refused) whether or not the page's rows are read.
        bounded = request.bounded(queryset, keys)
        where = (lambda alias: f' WHERE "{alias}"."{parent_key}" = {parent_row.column("id")}') if parent_key and parent_row else (lambda alias: "")
        pairs = []
        reads_page = False  # whether any part aggregates the page's rows (else the page is not read at all)
        for key, sub in self._collect(connection_type, self._subselections(nodes)):
            name = sub[0].name.value
            if name == "__typename":
                pairs.append((key, literal(connection_type.name)))
            elif name == "nodes":
                pairs.append((key, self._array(self._node_object(node_type, row, sub), row, model, order)))
                reads_page = True
            elif name == "edges":
                pairs.append((key, self._edges(_object_type(connection_type.fields["edges"].type), node_type, row, sub, model, keys, order)))
                reads_page = True
            elif name == "pageInfo":
                info, aggregates = self._page_info(_object_type(connection_type.fields["pageInfo"].type), sub, request, row, model, keys,
                                                   order, lambda: self._more(bounded, where, request.size, {parent_key} if parent_key else set()))
                pairs.append((key, info))
                reads_page = reads_page or aggregates
            elif name == "totalCount":
                counted = self._row(model)
                if parent_key is not None:
                    counted.columns.add(parent_key)
                source = self._source(queryset, counted.columns)
                pairs.append((key, f'(SELECT count(*) FROM ({source}) AS "{counted.alias}"{where(counted.alias)})'))
            else:
                raise Fallback(f"{connection_type.name}.{name}")
        if not reads_page:
            # An aggregate over no rows is still one row; a plain select over none is none (null).
            return self.statement.nested(f"SELECT {self.statement.obj(pairs)}")
        inner = f"{row.alias}_s"
        source = self._source(bounded, row.columns)
        page = (f'SELECT "{inner}".* FROM ({source}) AS "{inner}"{where(inner)} '
                f"ORDER BY {order_sql(model, travel, inner, self.statement.dialect)} LIMIT {self.statement.bind(request.size)}")
        if not self.statement.postgres and request.backward:
            # SQLite's aggregates read rows in the order the subquery gives them (no ORDER BY inside
            # them before 3.44): a page taken backwards, back in the list's order. A page taken
            # forwards is in it already; sorting it again cost Q1 (50 pages of 20) 13 % of its statement.
            page = f'SELECT * FROM ({page}) AS "{inner}" ORDER BY {order_sql(model, order, inner, self.statement.dialect)}'
        return self.statement.nested(f'SELECT {self.statement.obj(pairs)} FROM ({page}) AS "{row.alias}"')

    def _array(self, element: str, row: _Row, model: Any, order: list[str]) -> str:
        """The JSON array of `element` over the page's rows, in the list's order."""
        if self.statement.postgres:
            return f"COALESCE(json_agg({element} ORDER BY {order_sql(model, order, row.alias, self.statement.dialect)}), '[]'::json)"
        return f"json_group_array({element})"

    def _more(self, bounded: Any, where: Any, size: int, columns: set[str]) -> str:
        """Whether rows lie beyond the page in the direction of travel: one more than the page holds."""
        alias = self.statement.alias()
        source = self._source(bounded, columns)
        return self.statement.boolean(
            f'(SELECT count(*) FROM (SELECT 1 FROM ({source}) AS "{alias}"{where(alias)} LIMIT {self.statement.bind(size + 1)}) '
            f'AS "{alias}_m") > {self.statement.bind(size)}')

    def _cursor(self, row: _Row, model: Any, keys: Any) -> str:
        """resolvers/pagination.py `encode_cursor`, in SQL: base64url of [version, order tag, key values]."""
        tag = order_tag(model, keys)
        fields_map = model._meta.fields_map
        values = []
        for key in keys:
            column = row.column(key.name)
            field = fields_map[key.name]
            if isinstance(field, tortoise_fields.DatetimeField):
                value = self.statement.datetime(column)
            elif isinstance(field, tortoise_fields.DateField):
                value = self.statement.date(column)
            elif isinstance(field, DecimalField):
                value = self.statement.decimal(column, field.decimal_places)
            elif field.field_type in (int, str) or getattr(field, "enum_type", None) is not None:
                value = column
            else:
                raise Fallback(f"{model.__name__}.{key.name}: a cursor over this kind of column")
            values.append(f"CASE WHEN {column} IS NULL THEN NULL ELSE {value} END")
        if self.statement.postgres:
            parts = " || ',' || ".join(f"COALESCE(to_json({v})::text, 'null')" for v in values)
            document = f"'[{CURSOR_VERSION},\"{tag}\",[' || {parts} || ']]'"
            return f"translate(encode(convert_to({document}, 'UTF8'), 'base64'), E'+/\\n', '-_')"
        return f"gateway_cursor(json_array({CURSOR_VERSION}, '{tag}', json_array({', '.join(values)})))"

    def _edges(self, edge_type: GraphQLObjectType, node_type: GraphQLObjectType, row: _Row, nodes: list[FieldNode],
               model: Any, keys: Any, order: list[str]) -> str:
        pairs = []
        for key, sub in self._collect(edge_type, self._subselections(nodes)):
            name = sub[0].name.value
            if name == "node":
                pairs.append((key, self._node_object(node_type, row, sub)))
            elif name == "cursor":
                pairs.append((key, self._cursor(row, model, keys)))
            elif name == "__typename":
                pairs.append((key, literal(edge_type.name)))
            else:
                raise Fallback(f"{edge_type.name}.{name}")
        return self._array(self.statement.obj(pairs), row, model, order)

    def _page_info(self, info_type: GraphQLObjectType, nodes: list[FieldNode], request: PageRequest, row: _Row, model: Any,
                   keys: Any, order: list[str], more: Any) -> tuple[str, bool]:
        """The pageInfo object, and whether it aggregates the page's rows (its first and last cursor)."""
        pairs = []
        aggregates = False
        for key, sub in self._collect(info_type, self._subselections(nodes)):
            name = sub[0].name.value
            if name == "hasNextPage":
                pairs.append((key, self.statement.constant(request.before is not None) if request.backward else more()))
            elif name == "hasPreviousPage":
                pairs.append((key, more() if request.backward else self.statement.constant(request.after is not None)))
            elif name in ("startCursor", "endCursor"):
                cursors = self._array(self._cursor(row, model, keys), row, model, order)
                at = "0" if name == "startCursor" else "-1"
                if self.statement.postgres:
                    pairs.append((key, f"({cursors} ->> {at})"))
                else:
                    pairs.append((key, f"json_extract({cursors}, '$[{'0' if at == '0' else '#-1'}]')"))
                aggregates = True
            elif name == "__typename":
                pairs.append((key, literal(info_type.name)))
            else:
                raise Fallback(f"{info_type.name}.{name}")
        return self.statement.obj(pairs), aggregates


# --- schema facts, computed once per schema ------------------------------------------------------

def _arguments_key(node: FieldNode) -> str:
    return ",".join(print_ast(argument) for argument in node.arguments or ())


def _serialized(gql_type: Any, value: Any) -> Any:
    """A leaf or a list of leaves as the executor completes it (graphql-core's `serialize`)."""
    if isinstance(gql_type, GraphQLNonNull):
        return _serialized(gql_type.of_type, value)
    if value is None:
        return None
    if isinstance(gql_type, GraphQLList):
        return [_serialized(gql_type.of_type, item) for item in value]
    if isinstance(gql_type, (GraphQLScalarType, GraphQLEnumType)):
        return gql_type.serialize(value)
    raise Fallback(f"{gql_type} is not a leaf")


def _object_type(gql_type: Any) -> GraphQLObjectType:
    """The object type of a field, through non-null and list wrappers."""
    named = get_named_type(gql_type)
    if not isinstance(named, GraphQLObjectType):
        raise Fallback(f"{named} is not an object type")
    return named


@cache
def _enum_by_value(enum_type: GraphQLEnumType) -> bool:
    """Whether every value's name is what the database stores (the enum's Python value)."""
    for name, value in enum_type.values.items():
        python = value.value
        stored = python.value if isinstance(python, Enum) else python
        if stored != name:
            return False
    return True


_FIELDS: dict[tuple[int, str], dict[str, Any]] = {}


def _strawberry_fields(schema: Any, type_name: str) -> dict[str, Any]:
    key = (id(schema), type_name)
    found = _FIELDS.get(key)
    if found is None:
        definition = schema.get_type_by_name(type_name)
        names = schema.config.name_converter
        found = {names.get_graphql_name(f): f for f in getattr(definition, "fields", [])}
        _FIELDS[key] = found
    return found


def _node_class(schema: Any, type_name: str) -> Any:
    definition = schema.get_type_by_name(type_name)
    origin = getattr(definition, "origin", None)
    if not (isinstance(origin, type) and issubclass(origin, ModelNode)):
        raise Fallback(f"{type_name} is not a model node")
    return origin
