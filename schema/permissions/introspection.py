"""Per-caller introspection: each caller sees only the fields and types it may use.

The filtered schema is built from the full schema's SDL with the denied fields removed and the
types no longer reachable dropped, once per distinct permission set; it answers introspection
only (no resolvers are needed for that), so the executed schema stays the one full schema.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    ListTypeNode,
    NamedTypeNode,
    NonNullTypeNode,
    ObjectTypeDefinitionNode,
    OperationDefinitionNode,
    SelectionSetNode,
    TypeDefinitionNode,
    build_ast_schema,
    parse,
    print_schema,
)

from schema.permissions.policy import Policy

INTROSPECTION_ROOTS = {"__schema", "__type"}
_CACHE: dict[tuple[int, frozenset[str]], GraphQLSchema] = {}


def root_fields(operation: OperationDefinitionNode, document: DocumentNode) -> set[str]:
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    names: set[str] = set()

    def collect(selection_set: SelectionSetNode) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                names.add(selection.name.value)
            elif isinstance(selection, InlineFragmentNode):
                collect(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments:
                collect(fragments[selection.name.value].selection_set)

    collect(operation.selection_set)
    return names


def _named(type_node: Any) -> str:
    while isinstance(type_node, (NonNullTypeNode, ListTypeNode)):
        type_node = type_node.type
    assert isinstance(type_node, NamedTypeNode)
    return type_node.name.value


def _filter_sdl(full: GraphQLSchema, policy: Policy, permissions: frozenset[str]) -> DocumentNode:
    document = parse(print_schema(full))
    definitions: dict[str, Any] = {}
    others: list[Any] = []
    for definition in document.definitions:
        if isinstance(definition, (ObjectTypeDefinitionNode, InterfaceTypeDefinitionNode)):
            kept = tuple(
                f for f in definition.fields or ()
                if policy.fields.get((definition.name.value, f.name.value)) is not None
                and policy.fields[(definition.name.value, f.name.value)].allows(permissions)
            )
            definition = definition.__class__(**{**{k: getattr(definition, k) for k in definition.keys}, "fields": kept})
        if isinstance(definition, TypeDefinitionNode):
            definitions[definition.name.value] = definition
        else:
            others.append(definition)

    # Keep only what the caller can reach from the roots through the fields it kept.
    reachable: set[str] = set()
    todo: list[str] = [name for name in ("Query", "Mutation", "Subscription") if name in definitions]
    while todo:
        name = todo.pop()
        if name in reachable or name not in definitions:
            continue
        reachable.add(name)
        definition = definitions[name]
        if isinstance(definition, (ObjectTypeDefinitionNode, InterfaceTypeDefinitionNode)):
            todo += [i.name.value for i in getattr(definition, "interfaces", ()) or ()]
            for field in definition.fields or ():
                todo.append(_named(field.type))
                todo += [_named(arg.type) for arg in field.arguments or ()]
        elif isinstance(definition, InputObjectTypeDefinitionNode):
            todo += [_named(f.type) for f in definition.fields or ()]
    # Directive definitions name enums (Permission) and must keep them to build.
    for other in others:
        for arg in getattr(other, "arguments", ()) or ():
            reachable.add(_named(arg.type))
    kept_types = [d for n, d in definitions.items() if n in reachable]
    return DocumentNode(definitions=tuple(others + kept_types))


def filtered_schema(full: GraphQLSchema, policy: Policy, permissions: frozenset[str]) -> GraphQLSchema:
    key = (id(full), permissions)
    cached = _CACHE.get(key)
    if cached is None:
        cached = _CACHE[key] = build_ast_schema(_filter_sdl(full, policy, permissions), assume_valid_sdl=True)
    return cached
