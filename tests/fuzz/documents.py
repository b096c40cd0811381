"""Rewrites of a generated document before it is sent."""

from __future__ import annotations

import base64
import json
from typing import Any

import graphql

from tests.fuzz.values import PLACEHOLDER
from tests.graphql import gid

# Argument and input-field nouns that are not the name of the object type they point at.
NOUN_TYPES = {
    "member": "Account",
    "newMainAccount": "Account",
    "orgMember": "Account",
    "quota": "CouponQuota",
    "reseller": "Partner",
    "specialist": "SpecialistApplication",
    "expert": "ExpertApplication",
    "coSale": "CoSaleProduct",
}
USER_ERRORS = "userErrors"


class _GlobalIdTargets(graphql.Visitor):
    """Point placeholder global IDs at the type their argument or input field names."""

    def __init__(self, type_info: graphql.TypeInfo, node_types: list[str]) -> None:
        super().__init__()
        self.type_info = type_info
        self.node_types = node_types
        self.by_lower = {name.lower(): name for name in node_types}
        self.root_field: str | None = None
        self.depth = 0
        self.names: list[str] = []

    def enter_field(self, node: graphql.FieldNode, *_: Any) -> None:
        if self.depth == 0:
            self.root_field = node.name.value
        self.depth += 1

    def leave_field(self, *_: Any) -> None:
        self.depth -= 1

    def enter_argument(self, node: graphql.ArgumentNode, *_: Any) -> None:
        self.names.append(node.name.value)

    def leave_argument(self, *_: Any) -> None:
        self.names.pop()

    def enter_object_field(self, node: graphql.ObjectFieldNode, *_: Any) -> None:
        self.names.append(node.name.value)

    def leave_object_field(self, *_: Any) -> None:
        self.names.pop()

    def _type_for(self, name: str, pk: int) -> str:
        if name.endswith(("Id", "Ids")):
            noun = name.removesuffix("s").removesuffix("Id")
            if noun in NOUN_TYPES:
                return NOUN_TYPES[noun]
            if noun.lower() in self.by_lower:
                return self.by_lower[noun.lower()]
        elif name == "id" and self.root_field:
            # `<object><Verb>(input: {id})`: the longest type name or noun that prefixes the mutation.
            root = self.root_field
            candidates = [(len(prefix), t) for prefix, t in NOUN_TYPES.items() if root.startswith(prefix)]
            candidates += [(len(lower), t) for lower, t in self.by_lower.items() if root.lower().startswith(lower)]
            if candidates:
                return max(candidates)[1]
        # node(id:), nodes(ids:) and unknown nouns: any type, chosen by the key so it stays reproducible.
        return self.node_types[pk % len(self.node_types)]

    def enter_string_value(self, node: graphql.StringValueNode, *_: Any) -> graphql.StringValueNode | None:
        named = graphql.get_named_type(self.type_info.get_input_type())
        if named is None or named.name != "ID":
            return None
        try:
            type_name, _, raw_pk = base64.b64decode(node.value, validate=True).decode().partition(":")
            pk = int(raw_pk)
        except ValueError:
            return None
        if type_name != PLACEHOLDER or not self.names:
            return None
        return graphql.StringValueNode(value=gid(self._type_for(self.names[-1], pk), pk))


def target_global_ids(schema: graphql.GraphQLSchema, document: graphql.DocumentNode, node_types: list[str]) -> graphql.DocumentNode:
    type_info = graphql.TypeInfo(schema)
    return graphql.visit(document, graphql.TypeInfoVisitor(type_info, _GlobalIdTargets(type_info, node_types)))


def _user_errors_selection(payload: graphql.GraphQLObjectType) -> graphql.FieldNode:
    error_type = graphql.get_named_type(payload.fields[USER_ERRORS].type)
    assert isinstance(error_type, graphql.GraphQLObjectType)
    leaves = [
        graphql.FieldNode(name=graphql.NameNode(value=name))
        for name, field in error_type.fields.items()
        if graphql.is_leaf_type(graphql.get_named_type(field.type))
    ]
    return graphql.FieldNode(name=graphql.NameNode(value=USER_ERRORS), selection_set=graphql.SelectionSetNode(selections=tuple(leaves)))


def select_user_errors(schema: graphql.GraphQLSchema, document: graphql.DocumentNode) -> graphql.DocumentNode:
    """Every mutation payload also asks for its `userErrors`, so a refusal is visible and checked."""
    operation = document.definitions[0]
    assert isinstance(operation, graphql.OperationDefinitionNode)
    if operation.operation is not graphql.OperationType.MUTATION:
        return document
    assert schema.mutation_type is not None
    selections = []
    for selection in operation.selection_set.selections:
        field = schema.mutation_type.fields.get(selection.name.value) if isinstance(selection, graphql.FieldNode) else None
        # Documents made invalid on purpose may name no field or select nothing; left as they are.
        payload = graphql.get_named_type(field.type) if field is not None else None
        children = selection.selection_set.selections if getattr(selection, "selection_set", None) else ()
        asked = {child.name.value for child in children if isinstance(child, graphql.FieldNode)}
        if children and isinstance(payload, graphql.GraphQLObjectType) and USER_ERRORS in payload.fields and USER_ERRORS not in asked:
            children = (*children, _user_errors_selection(payload))
            selection = graphql.FieldNode(
                alias=selection.alias, name=selection.name, arguments=selection.arguments,
                directives=selection.directives, selection_set=graphql.SelectionSetNode(selections=children),
            )
        selections.append(selection)
    return _with_operation(document, operation, selections=tuple(selections))


def _with_operation(document: graphql.DocumentNode, operation: graphql.OperationDefinitionNode, **changes: Any) -> graphql.DocumentNode:
    fields = {key: getattr(operation, key) for key in operation.keys if key != "loc"}
    fields.update(changes)
    if "selections" in fields:
        fields["selection_set"] = graphql.SelectionSetNode(selections=fields.pop("selections"))
    return graphql.DocumentNode(definitions=(graphql.OperationDefinitionNode(**fields),))


def lift_arguments(schema: graphql.GraphQLSchema, document: graphql.DocumentNode) -> tuple[graphql.DocumentNode, dict[str, Any]]:
    """The same operation with every root-field argument sent as a variable.

    Variables go through the scalars' `parse_value` instead of `parse_literal`: another
    coercion path with its own failure modes.
    """
    operation = document.definitions[0]
    assert isinstance(operation, graphql.OperationDefinitionNode)
    root_type = schema.get_root_type(operation.operation)
    assert root_type is not None
    definitions: list[graphql.VariableDefinitionNode] = []
    variables: dict[str, Any] = {}
    selections = []
    for selection in operation.selection_set.selections:
        assert isinstance(selection, graphql.FieldNode)
        field = root_type.fields[selection.name.value]
        arguments = []
        for argument in selection.arguments:
            variable = graphql.VariableNode(name=graphql.NameNode(value=f"v{len(definitions)}"))
            definitions.append(graphql.VariableDefinitionNode(
                variable=variable, type=graphql.parse_type(str(field.args[argument.name.value].type)),
            ))
            variables[variable.name.value] = graphql.value_from_ast_untyped(argument.value)
            arguments.append(graphql.ArgumentNode(name=argument.name, value=variable))
        selections.append(graphql.FieldNode(
            alias=selection.alias, name=selection.name, arguments=tuple(arguments),
            directives=selection.directives, selection_set=selection.selection_set,
        ))
    # Fails here, in the test, if a generated value cannot travel as JSON.
    json.dumps(variables)
    return _with_operation(document, operation, variable_definitions=tuple(definitions), selections=tuple(selections)), variables
