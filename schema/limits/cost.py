"""The cost of an operation, computed from its selection and page sizes before it runs.

Cost approximates the rows an operation makes the gateway load: every object is 1, a connection
multiplies what is selected under its `nodes`/`edges` by its page size (so a nested connection
multiplies the parent's page), leaves are free. Directives are ignored, so the figure is an upper
bound. Mutations add a fixed weight per root field, because a write costs more than a read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_leaf_type,
    value_from_ast_untyped,
)

from resolvers.errors import ErrorCode
from resolvers.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from schema.relay import PAGE_SIZE_REQUIRED

MUTATION_WEIGHT = 10
PAGE_ARGUMENTS = ("first", "last")


class PageSizeError(Exception):
    def __init__(self, error: GraphQLError) -> None:
        super().__init__(error.message)
        self.error = error


@dataclass(frozen=True, slots=True)
class Cost:
    requested: int
    maximum: int

    def as_extension(self) -> dict[str, int]:
        return {"requested": self.requested, "maximum": self.maximum}


def is_connection(type_: Any) -> bool:
    return isinstance(type_, GraphQLObjectType) and type_.name.endswith("Connection") and "pageInfo" in type_.fields


def _list_of_objects(type_: Any) -> bool:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList) and not is_leaf_type(get_named_type(type_))


def page_size_required(field: GraphQLField) -> bool:
    definition = (field.extensions or {}).get("strawberry-definition")
    return bool(definition is not None and (definition.metadata or {}).get(PAGE_SIZE_REQUIRED))


class _CostWalker:
    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode], variables: dict[str, Any]) -> None:
        self.schema, self.fragments, self.variables = schema, fragments, variables
        self._visiting: set[str] = set()

    def _argument(self, node: FieldNode, name: str) -> Any:
        for argument in node.arguments or ():
            if argument.name.value == name:
                if isinstance(argument.value, VariableNode):
                    return self.variables.get(argument.value.name.value)
                return value_from_ast_untyped(argument.value, self.variables)
        return None

    def page_size(self, node: FieldNode, field: GraphQLField) -> int:
        sizes = []
        for name in PAGE_ARGUMENTS:
            value = self._argument(node, name)
            if value is None:
                continue
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_PAGE_SIZE:
                raise PageSizeError(GraphQLError(
                    f"`{name}` on `{node.name.value}` must be between 0 and {MAX_PAGE_SIZE}.", nodes=[node],
                    extensions={"code": ErrorCode.BAD_USER_INPUT.value, "argument": name, "maximum": MAX_PAGE_SIZE}))
            sizes.append(value)
        if sizes:
            return max(sizes)
        if page_size_required(field):
            raise PageSizeError(GraphQLError(
                f"`{node.name.value}` can be long: give `first` or `last` (at most {MAX_PAGE_SIZE}).", nodes=[node],
                extensions={"code": ErrorCode.BAD_USER_INPUT.value, "argument": "first", "maximum": MAX_PAGE_SIZE}))
        return DEFAULT_PAGE_SIZE

    def _list_size(self, node: FieldNode, page: int | None) -> int:
        if page is not None:
            return page  # `nodes`/`edges` of a connection
        ids = self._argument(node, "ids")
        # Other lists (roles, programs, `nodes(ids:)`) are short; `ids` says how long.
        return len(ids) if isinstance(ids, list) else 1

    def selection(self, selection_set: SelectionSetNode, parent: Any, page: int | None) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, page)
            elif isinstance(selection, InlineFragmentNode):
                condition = self.schema.get_type(selection.type_condition.name.value) if selection.type_condition else parent
                total += self.selection(selection.selection_set, condition or parent, page)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in self._visiting:
                    continue
                self._visiting.add(name)
                condition = self.schema.get_type(fragment.type_condition.name.value) or parent
                total += self.selection(fragment.selection_set, condition, page)
                self._visiting.discard(name)
        return total

    def field(self, node: FieldNode, parent: Any, page: int | None) -> int:
        name = node.name.value
        if name.startswith("__"):
            return 1 if name in ("__schema", "__type") else 0
        if not isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)) or name not in parent.fields:
            return 0  # validation reports unknown fields
        field = parent.fields[name]
        field_type = field.type
        named = get_named_type(field_type)
        if is_leaf_type(named) or node.selection_set is None:
            return 0
        if is_connection(named):
            size = self.page_size(node, field)
            return 1 + self.selection(node.selection_set, named, size)
        if _list_of_objects(field_type):
            return self._list_size(node, page) * (1 + self.selection(node.selection_set, named, None))
        return 1 + self.selection(node.selection_set, named, None)


def operation_cost(schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode],
                   operation: OperationDefinitionNode, variables: dict[str, Any]) -> int:
    """Raises PageSizeError when a page size is out of range or missing where required."""
    defaults = {
        d.variable.name.value: value_from_ast_untyped(d.default_value)
        for d in operation.variable_definitions or ()
        if d.default_value is not None
    }
    walker = _CostWalker(schema, fragments, {**defaults, **(variables or {})})
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    total = walker.selection(operation.selection_set, root, None)
    if operation.operation is OperationType.MUTATION:
        total += MUTATION_WEIGHT * sum(1 for s in operation.selection_set.selections if isinstance(s, FieldNode))
    return total

