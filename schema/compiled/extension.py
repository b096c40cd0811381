"""Compiled reads: a query the compiler covers runs as one SQL statement, and the database's JSON
goes to the client as it came (an `orjson.Fragment`, spliced into the response untouched).

It runs after the operation limits and the authorization check, and only for what the standard
executor would answer without an error: a query (not a mutation or subscription), no introspection,
over HTTP (`accepts_raw_json`); a root field that asks for something denied (`denied_roots`) runs on
the standard executor, which answers the denial as ever. A root field the compiler
does not cover runs on the standard executor, which gets the operation cut down to such fields and
answers them, errors included, as it always did; the statement answers the others, and the two
halves are put back together in the operation's order. An operation none of whose root fields
compiles, and one that raises while compiling (a malformed cursor, a filter out of bounds), runs on
the standard executor whole. Both paths give the same answer (tests/compiled/).

A request whose cached principal is not yet confirmed current (resolvers/principal_confirmation.py)
reads the principal epoch in the same statement, from the same snapshot as the data: the answer is
used only when the epoch is still the one the principal was read at, so the request costs one
statement instead of two. Otherwise it is thrown away and the request answered again.

What falls back whole is remembered per document, operation name, permission set and dialect
(bounded, like the parser cache), so an operation is tried once, not on every request.
"""

from __future__ import annotations

import logging
from collections import Counter, OrderedDict
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import orjson
from graphql import GraphQLError, OperationDefinitionNode, OperationType, get_operation_ast
from graphql.execution.values import get_variable_values
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult
from tortoise.exceptions import OperationalError

from models.members import Account
from models.principal_epoch import EPOCH_VALUE
from resolvers.errors import ErrorCode
from resolvers.principal_confirmation import PrincipalChanged, unconfirmed
from schema.compiled.compiler import Compiler, Fallback, FallbackForValues, Plan
from schema.compiled.sqlite_functions import ensure_functions
from schema.compiled.statement import at
from schema.context import GatewayContext
from schema.limits.caches import variables_key

log = logging.getLogger("gateway.compiled")
FALLBACKS_KEPT = 1024
PLANS_KEPT = 512
# Queries answered by the compiled path and by the standard executor since start (for metrics and tests).
executions: Counter[str] = Counter()
_fallbacks: OrderedDict[tuple[Any, ...], str] = OrderedDict()


# Compiled statements by document, operation name, variables, caller and dialect. The caller is part
# of the key because its scoped reads are (its partner, its resellers, its book of customers); the
# statement reads live rows, so nothing but a different request makes an entry wrong.
_plans: OrderedDict[tuple[Any, ...], Plan] = OrderedDict()


def _ran(context: GatewayContext, executor: str) -> None:
    executions[executor] += 1
    context.executor = executor  # the gateway's metrics count it per request


def _remember(key: tuple[Any, ...], reason: str) -> None:
    _fallbacks[key] = reason
    _fallbacks.move_to_end(key)
    while len(_fallbacks) > FALLBACKS_KEPT:
        _fallbacks.popitem(last=False)


def compile_query(schema: Any, document: Any, operation: OperationDefinitionNode, raw_variables: dict[str, Any] | None,
                  context: GatewayContext, dialect: str, skip: frozenset[str] = frozenset()) -> Plan:
    """The statement answering `operation` for the context's caller, but for the root fields in
    `skip`; Fallback when it cannot be one."""
    variables = get_variable_values(schema._schema, operation.variable_definitions or (), raw_variables or {})
    if isinstance(variables, list):
        raise Fallback("variables that do not coerce")
    return Compiler(schema, document, operation, variables, context.principal, dialect).compile(document, skip)


class CompiledReads(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        context = ctx.context
        if not isinstance(context, GatewayContext) or ctx.graphql_document is None:
            yield
            return
        operation = get_operation_ast(ctx.graphql_document, ctx.operation_name)
        # ctx.result: answered already (a refusal), nothing executes.
        if operation is None or operation.operation is not OperationType.QUERY or ctx.result is not None:
            yield
            return
        denied = context.denied_roots
        if not context.accepts_raw_json or not (context.authorized_in_full or denied) or not context.settings.compiled_reads:
            _ran(context, "standard")
            yield
            return
        client = Account._meta.db  # every model lives on the one connection
        dialect = client.capabilities.dialect
        key = (ctx.query, ctx.operation_name, context.principal.permissions, dialect)
        if key in _fallbacks:
            _ran(context, "standard")
            yield
            return
        plan_key = (ctx.query, ctx.operation_name, variables_key(ctx.variables),
                    context.principal, dialect)
        plan = _plans.get(plan_key)
        if plan is None:
            try:
                # With denials, the document is the one the authorization extension made (each denied
                # field a `__typename`): the root fields holding one are left to the executor, which
                # answers them with their errors as for any denial.
                plan = compile_query(ctx.schema, ctx.graphql_document, operation, ctx.variables, context, dialect, skip=denied)
            except Fallback as reason:
                # Denials and IDs depend on the variables, which the key leaves out.
                if not denied and not isinstance(reason, FallbackForValues):
                    _remember(key, str(reason))
                _ran(context, "standard")
                yield
                return
            except Exception:  # an error to answer: the standard executor answers it, typed
                _ran(context, "standard")
                yield
                return
            _plans[plan_key] = plan
            while len(_plans) > PLANS_KEPT:
                _plans.popitem(last=False)
        else:
            _plans.move_to_end(plan_key)
        params = at(plan.params, datetime.now(UTC))
        if dialect == "sqlite":
            await ensure_functions(client)
        waiting = unconfirmed.get()
        confirming = waiting is not None and waiting.pending
        # The statement confirms the principal itself: the statement seam must not send one first.
        token = unconfirmed.set(None) if confirming else None
        try:
            _, found = await client.execute_query(f"{plan.sql}, {EPOCH_VALUE}" if confirming else plan.sql, params)
        except OperationalError as failure:
            if isinstance(failure.__cause__, TimeoutError) or "timeout" in str(failure).lower() or "cancel" in str(failure).lower():
                raise  # out of time: the operation's deadline answers it (gateway/timeouts.py)
            # A statement the database would not run is a compiler bug: logged, remembered, and
            # answered by the standard executor meanwhile, never a failed request.
            log.exception("compiled statement failed; the standard executor answers (request %s)", context.request_id)
            _remember(key, f"statement failed: {failure}")
            _ran(context, "standard")
            yield
            return
        finally:
            if token is not None:
                unconfirmed.reset(token)
        if confirming and waiting is not None and not waiting.settle(found[0][1]):
            # Read under a principal that is no longer current: never answered (the middleware starts over).
            changed = PrincipalChanged()
            ctx.result = ExecutionResult(data=None, errors=[GraphQLError(
                str(changed), original_error=changed, extensions={"code": ErrorCode.UNAUTHENTICATED.value})])
            yield
            return
        text = found[0][0]
        executed, rest = set(plan.fallback), plan.rest
        parsed = orjson.loads(text) if plan.found_only else None  # read once, for the check and the merge
        if parsed is not None and _not_found(parsed, plan.found_only):
            # An object missing or not the caller's: the resolvers answer those root fields again,
            # with their NOT_FOUND errors at their paths, as ever.
            executed, rest = executed | set(plan.found_only), plan.rest_if_missing
            if not plan.answers_beside(executed):
                _ran(context, "standard")
                yield
                return
        # Partly compiled counts as compiled: the statement answered at least one root field.
        _ran(context, "compiled")
        if rest is None:
            # The JSON bytes stand for the data: orjson splices a Fragment into the response as it is.
            data: Any = orjson.Fragment(text.encode() if isinstance(text, str) else text)
            ctx.result = ExecutionResult(data=data, errors=None)
            yield
            return
        document = ctx.graphql_document
        ctx.graphql_document = rest
        try:
            yield
        finally:
            ctx.graphql_document = document
        _merge(ctx.result, parsed if parsed is not None else orjson.loads(text), plan.keys, executed)


def _not_found(data: dict[str, Any], keys: tuple[str, ...]) -> bool:
    """Whether a node looked up by ID came back null (`node`), or null in its list (`nodes`)."""
    return any(data[key] is None or (isinstance(data[key], list) and None in data[key]) for key in keys)


def _merge(result: Any, compiled: dict[str, Any], keys: tuple[str, ...], executed: set[str]) -> None:
    """The executor's answer for the `executed` root fields and the statement's for the others, in
    the operation's order. A null `data` stays null: a non-null root field failed, and nulls the whole answer."""
    if result is None or not isinstance(result.data, dict):
        return
    answered = result.data
    result.data = {key: answered.get(key) if key in executed else compiled[key] for key in keys}
