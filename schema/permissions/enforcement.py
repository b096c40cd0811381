"""Check an operation against the caller's permissions before any resolver runs.

One walk over the executed operation (fragments expanded) finds the fields the caller may not
use. A query runs with each denied field swapped for a harmless `__typename` under the same
response key, which is then set to null with one FORBIDDEN error per denied field; a mutation
(or any operation in `reject` mode) does not run at all. The cost is one walk per request,
nothing per resolved field.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, cast

from graphql import (
    BooleanValueNode,
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    NameNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    Visitor,
    execute,
    get_named_type,
    visit,
)
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension

from models.audit import AuditOutcome
from resolvers.audit.services import write_audit
from resolvers.errors import ErrorCode
from schema.context import GatewayContext
from schema.limits.caches import CACHE_SIZE, CACHEABLE_CHARS, variables_key
from schema.permissions.introspection import INTROSPECTION_ROOTS, filtered_schema, root_fields
from schema.permissions.policy import Decision, policy_for


@dataclass(frozen=True, slots=True)
class Denial:
    path: tuple[str, ...]
    type_names: frozenset[str]
    field: str
    permission: str
    node: FieldNode

    def error(self) -> GraphQLError:
        return GraphQLError(
            f"You need the permission `{self.permission}` to read `{self.field}`.",
            nodes=[self.node],
            path=list(self.path),
            extensions={"code": ErrorCode.FORBIDDEN.value, "permission": self.permission},
        )


def _condition(node: Any, directive: str, variables: dict[str, Any]) -> bool | None:
    """The value of `@skip(if:)` / `@include(if:)` on a node: a literal or a variable."""
    for applied in node.directives or ():
        if applied.name.value == directive:
            for argument in applied.arguments:
                if argument.name.value == "if":
                    if isinstance(argument.value, BooleanValueNode):
                        return argument.value.value
                    if isinstance(argument.value, VariableNode):
                        return bool(variables.get(argument.value.name.value))
    return None


def _included(node: Any, variables: dict[str, Any]) -> bool:
    return _condition(node, "skip", variables) is not True and _condition(node, "include", variables) is not False


class _Walker:
    def __init__(self, schema: GraphQLSchema, policy: dict[tuple[str, str], Decision], permissions: frozenset[str],
                 fragments: dict[str, FragmentDefinitionNode], variables: dict[str, Any]) -> None:
        self.schema, self.policy, self.permissions = schema, policy, permissions
        self.fragments, self.variables = fragments, variables
        self.denials: list[Denial] = []

    def _type_names(self, parent: GraphQLNamedType) -> frozenset[str]:
        if isinstance(parent, GraphQLInterfaceType):
            return frozenset(t.name for t in self.schema.get_possible_types(parent))
        return frozenset({parent.name})

    def walk(self, selection_set: SelectionSetNode, parent: GraphQLNamedType, path: tuple[str, ...]) -> None:
        self._selections(selection_set, parent, path, as_directed=True)

    def _selections(self, selection_set: SelectionSetNode, parent: GraphQLNamedType, path: tuple[str, ...], *,
                    as_directed: bool) -> None:
        """Each field of the selection set, through fragments; `as_directed`: only those `@skip` and
        `@include` let through."""
        for selection in selection_set.selections:
            if as_directed and not _included(selection, self.variables):
                continue
            if isinstance(selection, FieldNode):
                self._field(selection, parent, path)
            elif isinstance(selection, InlineFragmentNode):
                condition = self.schema.get_type(selection.type_condition.name.value) if selection.type_condition else parent
                if condition is not None:  # validation refuses unknown types; nothing to walk then
                    self.walk(selection.selection_set, condition, path)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                target = self.schema.get_type(fragment.type_condition.name.value) if fragment is not None else None
                if fragment is not None and target is not None:
                    self.walk(fragment.selection_set, target, path)

    def _field(self, node: FieldNode, parent: GraphQLNamedType, path: tuple[str, ...]) -> None:
        name = node.name.value
        if name.startswith("__") or not isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
            return
        key = node.alias.value if node.alias else name
        decision = self.policy.get((parent.name, name))
        if decision is None or not decision.allows(self.permissions):
            permission = decision.permission if decision else "undecided"
            self.denials.append(Denial((*path, key), self._type_names(parent), name, permission, node))
            return
        field = parent.fields.get(name)
        if field is not None and node.selection_set is not None:
            self.walk(node.selection_set, get_named_type(field.type), (*path, key))


class _Requirements(_Walker):
    """Every field an operation could select, whatever `@skip`/`@include` decide, with its decision."""

    def __init__(self, schema: GraphQLSchema, policy: dict[tuple[str, str], Decision],
                 fragments: dict[str, FragmentDefinitionNode]) -> None:
        super().__init__(schema, policy, frozenset(), fragments, {})
        self.needs: set[tuple[str, ...]] = set()
        self.seen: set[tuple[str, int]] = set()

    def walk(self, selection_set: SelectionSetNode, parent: GraphQLNamedType, path: tuple[str, ...]) -> None:
        # A fragment spread many times under one type is listed once.
        if (parent.name, id(selection_set)) in self.seen:
            return
        self.seen.add((parent.name, id(selection_set)))
        self._selections(selection_set, parent, path, as_directed=False)

    def _field(self, node: FieldNode, parent: GraphQLNamedType, path: tuple[str, ...]) -> None:
        name = node.name.value
        if name.startswith("__") or not isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
            return
        decision = self.policy.get((parent.name, name))
        if decision is None or not decision.public:
            self.needs.add(decision.any_of if decision is not None else ())
        field = parent.fields.get(name)
        if field is not None and node.selection_set is not None:
            self.walk(node.selection_set, get_named_type(field.type), path)


def requirements(schema: GraphQLSchema, policy: dict[tuple[str, str], Decision], document: DocumentNode,
                 operation: OperationDefinitionNode) -> frozenset[tuple[str, ...]]:
    """For every field `operation` could select, the permissions of which a caller needs one (`()`:
    nobody may read it). A caller holding all of them is denied nothing, whatever the variables."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    walker = _Requirements(schema, policy, fragments)
    root = schema.get_root_type(operation.operation)
    if root is not None:
        walker.walk(operation.selection_set, root, ())
    return frozenset(walker.needs)


def find_denials(schema: GraphQLSchema, policy: dict[tuple[str, str], Decision], document: DocumentNode,
                 operation: OperationDefinitionNode, permissions: frozenset[str], variables: dict[str, Any]) -> list[Denial]:
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    defaults = {
        d.variable.name.value: d.default_value.value
        for d in operation.variable_definitions or ()
        if isinstance(d.default_value, BooleanValueNode)
    }
    variables = {**defaults, **variables}
    root = schema.get_root_type(operation.operation)
    walker = _Walker(schema, policy, permissions, fragments, variables)
    if root is not None:
        walker.walk(operation.selection_set, root, ())
    return walker.denials


class _SwapDenied(Visitor):
    def __init__(self, denied: set[int]) -> None:
        super().__init__()
        self.denied = denied

    def enter_field(self, node: FieldNode, *_: Any) -> Any:
        if id(node) in self.denied:
            key = node.alias.value if node.alias else node.name.value
            return FieldNode(alias=NameNode(value=key), name=NameNode(value="__typename"), arguments=(), directives=())
        return None


def _null_out(value: Any, path: tuple[str, ...], type_names: frozenset[str]) -> None:
    if isinstance(value, list):
        for item in value:
            _null_out(item, path, type_names)
        return
    if not isinstance(value, dict) or path[0] not in value:
        return
    if len(path) == 1:
        # Only where the swapped-in `__typename` answered, not a same-named field of another fragment.
        if value[path[0]] in type_names:
            value[path[0]] = None
        return
    _null_out(value[path[0]], path[1:], type_names)


def _refusal(message: str, code: ErrorCode) -> ExecutionResult:
    return ExecutionResult(data=None, errors=[GraphQLError(message, extensions={"code": code.value})])


# Operations found to ask for nothing the caller may not read, by schema, text, operation name,
# permission set and variables (which can switch fields on and off). Only the empty answer is kept:
# a denial names nodes of one parsed document, and is worked out afresh each time.
_cleared: OrderedDict[tuple[Any, ...], None] = OrderedDict()


class Authorization(SchemaExtension):
    """Enforce the `@requires` decisions before execution."""

    def _introspect(self, context: GatewayContext, names: set[str]) -> ExecutionResult | None:
        """Answer an introspection operation from the caller's filtered schema (None: run as usual)."""
        mode = context.settings.introspection
        if mode == "off":
            return _refusal("Introspection is disabled on this gateway.", ErrorCode.FORBIDDEN)
        if mode == "full":
            return None
        if names - INTROSPECTION_ROOTS - {"__typename"}:
            return _refusal("Send introspection (`__schema`, `__type`) in an operation of its own.", ErrorCode.BAD_USER_INPUT)
        ctx = self.execution_context
        gql_schema = ctx.schema._schema
        visible = filtered_schema(gql_schema, policy_for(gql_schema), context.principal.permissions)
        assert ctx.graphql_document is not None
        # Introspection resolves synchronously: graphql-core answers a result, never an awaitable, here.
        return cast(ExecutionResult, execute(visible, ctx.graphql_document, variable_values=ctx.variables,
                                             operation_name=ctx.operation_name))

    async def _audit_denials(self, context: GatewayContext, operation: OperationDefinitionNode, denials: list[Denial]) -> None:
        # Every denial is a security event (docs/domain.md §4.13). Mutations: one record per refused root field.
        roots = sorted({d.path[0] for d in denials}) if operation.operation is OperationType.MUTATION else ["query"]
        fields = sorted({".".join(d.path) for d in denials})
        for action in roots:
            await write_audit(context.principal, action=action, outcome=AuditOutcome.DENIED, request_id=context.request_id,
                              target=", ".join(fields), input={"permissions": sorted({d.permission for d in denials})})

    async def on_execute(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        context = ctx.context
        document = ctx.graphql_document
        operation = get_operation_ast(document, ctx.operation_name) if document else None
        if not isinstance(context, GatewayContext) or document is None or operation is None:
            yield
            return
        with context.span("graphql.authorize"):
            denials = await self._authorize(context, document, operation)
        yield
        if not denials:
            return
        result = ctx.result
        if result is not None and result.data is not None:
            for denial in denials:
                _null_out(result.data, denial.path, denial.type_names)
        if result is not None:
            result.errors = [*(d.error() for d in denials), *(result.errors or [])]

    async def _authorize(self, context: GatewayContext, document: DocumentNode, operation: OperationDefinitionNode) -> list[Denial]:
        """Decide before execution. Answers the denials the executed query's answer must show; none
        when nothing was denied or nothing will run (the refusal is then the execution's result)."""
        ctx = self.execution_context
        gql_schema = ctx.schema._schema
        names = root_fields(operation, document)
        if names & INTROSPECTION_ROOTS:
            ctx.result = self._introspect(context, names)
            return []
        prepared = context.document
        if prepared is not None and document is prepared.document and prepared.authorizes(operation, context.principal.permissions):
            # Listed at start-up: the caller may read every field this operation could select.
            context.authorized_in_full = True
            return []
        clear_key = (id(gql_schema), ctx.query, ctx.operation_name, context.principal.permissions,
                     variables_key(ctx.variables))
        denials = [] if ctx.query and clear_key in _cleared else find_denials(
            gql_schema, policy_for(gql_schema).fields, document, operation, context.principal.permissions, ctx.variables or {})
        if not denials and ctx.query and len(ctx.query) <= CACHEABLE_CHARS:
            _cleared[clear_key] = None
            _cleared.move_to_end(clear_key)
            while len(_cleared) > CACHE_SIZE:
                _cleared.popitem(last=False)
        if not denials:
            context.authorized_in_full = True
            return []
        await self._audit_denials(context, operation, denials)
        if operation.operation is not OperationType.QUERY or context.settings.authz_mode == "reject":
            # Nothing runs: a mutation that touches a forbidden field must have no side effect.
            ctx.result = ExecutionResult(data=None, errors=[d.error() for d in denials])
            return []
        context.denied_roots = frozenset(d.path[0] for d in denials)
        ctx.graphql_document = visit(document, _SwapDenied({id(d.node) for d in denials}))
        return denials
