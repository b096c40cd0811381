"""Read the permission decision of every field back from the built schema.

The directives on the fields are the declaration; this turns them into a lookup table
`(type name, field name) -> decision`, built once per schema.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import cast

from graphql import GraphQLInterfaceType, GraphQLObjectType, GraphQLSchema, get_named_type

from schema.permissions.directive import Public, Requires

DEFINITION = "strawberry-definition"


@dataclass(frozen=True, slots=True)
class Decision:
    """`public`, or the permissions of which the caller needs one; `undecided` denies by default."""

    public: bool = False
    any_of: tuple[str, ...] = ()

    @property
    def undecided(self) -> bool:
        return not self.public and not self.any_of

    def allows(self, permissions: frozenset[str]) -> bool:
        return self.public or any(p in permissions for p in self.any_of)

    @property
    def permission(self) -> str:
        return self.any_of[0] if self.any_of else "undecided"


PUBLIC_DECISION = Decision(public=True)
UNDECIDED = Decision()


def _directives(gql_object: object) -> list[object]:
    definition = (getattr(gql_object, "extensions", None) or {}).get(DEFINITION)
    return list(getattr(definition, "directives", None) or [])


def _decide(type_public: bool, field_directives: list[object], field_name: str, is_node: bool) -> Decision:
    for directive in field_directives:
        if isinstance(directive, Requires):
            codes = [directive.permission.value, *(p.value for p in directive.any_of or [])]
            return Decision(any_of=tuple(codes))
        if isinstance(directive, Public):
            return PUBLIC_DECISION
    if type_public or (is_node and field_name == "id"):
        # Global IDs are opaque and the objects behind them are row-scoped.
        return PUBLIC_DECISION
    return UNDECIDED


def public_by_type(schema: GraphQLSchema) -> list[str]:
    """`Type.field` of every field that is public only because its type is `@public` (no directive of
    its own): each such field is open to any caller, so a new one deserves a reviewer's look."""
    found = []
    for type_name, gql_type in sorted(schema.type_map.items()):
        if type_name.startswith("__") or not isinstance(gql_type, (GraphQLObjectType, GraphQLInterfaceType)):
            continue
        if not any(isinstance(d, Public) for d in _directives(gql_type)):
            continue
        found += [f"{type_name}.{name}" for name, gql_field in gql_type.fields.items()
                  if not any(isinstance(d, (Public, Requires)) for d in _directives(gql_field))]
    return found


def build_policy(schema: GraphQLSchema) -> dict[tuple[str, str], Decision]:
    policy: dict[tuple[str, str], Decision] = {}
    for type_name, gql_type in schema.type_map.items():
        if type_name.startswith("__") or not isinstance(gql_type, (GraphQLObjectType, GraphQLInterfaceType)):
            continue
        type_public = any(isinstance(d, Public) for d in _directives(gql_type))
        is_node = type_name == "Node" or any(i.name == "Node" for i in getattr(gql_type, "interfaces", []))
        for field_name, gql_field in gql_type.fields.items():
            policy[(type_name, field_name)] = _decide(type_public, _directives(gql_field), field_name, is_node)
    return policy


def _targets(schema: GraphQLSchema, gql_type: GraphQLObjectType | GraphQLInterfaceType, field_name: str) -> list[str]:
    target = get_named_type(gql_type.fields[field_name].type)
    if isinstance(target, GraphQLInterfaceType):
        return [t.name for t in schema.get_possible_types(target)]
    return [target.name] if isinstance(target, GraphQLObjectType) else []


def reachable_types(schema: GraphQLSchema, fields: dict[tuple[str, str], Decision], permissions: frozenset[str]) -> frozenset[str]:
    """The object types a caller can reach from Query through fields it may use.

    `node(id:)` answers only for these types: fetching by ID never reaches an object the
    caller could not reach by walking the graph, and nothing is declared twice.
    """
    seen = {"Query"}
    todo = ["Query"]
    while todo:
        gql_type = cast(GraphQLObjectType, schema.get_type(todo.pop()))
        for field_name in gql_type.fields:
            if (gql_type.name, field_name) in (("Query", "node"), ("Query", "nodes")):
                continue
            if not fields[(gql_type.name, field_name)].allows(permissions):
                continue
            for target in _targets(schema, gql_type, field_name):
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
    return frozenset(seen)


def missing_on_the_way(schema: GraphQLSchema, fields: dict[tuple[str, str], Decision], permissions: frozenset[str],
                      type_name: str) -> tuple[str, ...]:
    """The fewest permissions the caller lacks that together open a way from Query to the type, in
    the order the way meets them (empty: none opens one). For refusal messages, so computed only then.

    A search by the number of permissions added: a type is expanded again only with a set of added
    permissions that is not a superset of one it was already reached with.
    """
    frontier: list[tuple[int, int, str, tuple[str, ...]]] = [(0, 0, "Query", ())]
    reached: dict[str, list[frozenset[str]]] = {}
    order = 0
    while frontier:
        _, _, current, added = heapq.heappop(frontier)
        if current == type_name:
            return added
        added_set = frozenset(added)
        if any(earlier <= added_set for earlier in reached.get(current, ())):
            continue
        reached.setdefault(current, []).append(added_set)
        gql_type = schema.get_type(current)
        for field_name in gql_type.fields:  # type: ignore[union-attr]
            if (current, field_name) in (("Query", "node"), ("Query", "nodes")):
                continue
            decision = fields[(current, field_name)]
            ways = [added] if decision.allows(permissions) else [(*added, code) for code in decision.any_of if code not in added]
            for way in ways:
                for target in _targets(schema, gql_type, field_name):  # type: ignore[arg-type]
                    order += 1
                    heapq.heappush(frontier, (len(way), order, target, way))
    return ()


@dataclass
class Policy:
    schema: GraphQLSchema
    fields: dict[tuple[str, str], Decision]
    _reachable: dict[frozenset[str], frozenset[str]] = field(default_factory=dict)

    def may_fetch(self, type_name: str, permissions: frozenset[str]) -> bool:
        reachable = self._reachable.get(permissions)
        if reachable is None:
            # Once per distinct permission set: callers share a handful of sets.
            reachable = self._reachable[permissions] = reachable_types(self.schema, self.fields, permissions)
        return type_name in reachable

    def needed_to_fetch(self, type_name: str, permissions: frozenset[str]) -> tuple[str, ...]:
        """The permissions the caller would need besides its own to reach this type (all of them)."""
        return missing_on_the_way(self.schema, self.fields, permissions, type_name)


_POLICIES: dict[int, Policy] = {}


def policy_for(schema: GraphQLSchema) -> Policy:
    """The decisions of a built schema, computed once."""
    policy = _POLICIES.get(id(schema))
    if policy is None:
        fields = build_policy(schema)
        policy = _POLICIES[id(schema)] = Policy(schema, fields)
    return policy
