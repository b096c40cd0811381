"""The `OperationLimits` extension: every limit is checked before execution, each refusal typed.

Order of work per request: the raw text is scanned (tokens, nesting) before it is parsed; the parsed
operation's shape (depth, aliases, directives, root fields) is checked before it is validated;
validation stops after a handful of errors and its "did you mean" hints are narrowed to what the
caller can see; the validated operation's cost is computed and compared with the budget. The cost
goes to `context.operation_cost` (rate limits charge it) and to `extensions.cost` of the response.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any

from graphql import FragmentDefinitionNode, GraphQLError, GraphQLSchema
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import MaybeNullValidationRule, OneOfInputValidationRule

from resolvers.errors import ErrorCode
from schema.context import GatewayContext, span_of
from schema.documents import PreparedDocument
from schema.limits.caches import check_shape, cost_cache, parse_document, scan, validation_cache
from schema.limits.cost import Cost, PageSizeError, operation_cost
from schema.limits.inputs import nul_error
from schema.limits.suggestions import filter_errors
from schema.permissions.introspection import filtered_schema
from schema.permissions.policy import policy_for
from schema.settings import SchemaSettings

DEFAULT_SETTINGS = SchemaSettings()

def settings_of(context: Any) -> SchemaSettings:
    """The app's settings from the context; the defaults for an operation run without one."""
    return context.settings if isinstance(context, GatewayContext) else DEFAULT_SETTINGS


def _rules(execution_context: Any) -> tuple[Any, ...]:
    # The rules strawberry's own validation adds to the context's (schema.schema.validate_document).
    return (*execution_context.validation_rules, MaybeNullValidationRule, OneOfInputValidationRule)


class OperationLimits(SchemaExtension):
    """Refuse oversized, deep, wide or expensive operations before they run."""

    cost: Cost | None = None
    # The span of the checks, parse and validation alike (one span: each costs a traced request
    # some microseconds). Entered as parsing starts, left as validation ends; first in the schema's
    # extensions, so it encloses every extension's part of both phases.
    _checking: AbstractContextManager[Any] | None = None

    def _settings(self) -> SchemaSettings:
        return settings_of(self.execution_context.context)

    def _prepared(self) -> PreparedDocument | None:
        context = self.execution_context.context
        prepared = context.document if isinstance(context, GatewayContext) else None
        return prepared if prepared is not None and prepared.text == self.execution_context.query else None

    def on_operation(self) -> Iterator[None]:
        # Still open here only when strawberry stopped between the two phases (an operation name
        # the document lacks, an operation type the transport refuses).
        try:
            yield
        except BaseException as error:
            self._checked(error)
            raise
        self._checked(None)

    def on_parse(self) -> Iterator[None]:
        self._checking = span_of(self.execution_context.context)("graphql.validate")
        self._checking.__enter__()
        try:
            yield from self._parse()
        except BaseException as error:
            self._checked(error)
            raise

    def on_validate(self) -> Iterator[None]:
        try:
            yield from self._validate()
        except BaseException as error:
            self._checked(error)
            raise
        self._checked(None)

    def _checked(self, error: BaseException | None) -> None:
        checking, self._checking = self._checking, None
        if checking is not None:
            checking.__exit__(type(error) if error is not None else None, error, error.__traceback__ if error is not None else None)

    def _parse(self) -> Iterator[None]:
        settings = self._settings()
        query = self.execution_context.query
        if (prepared := self._prepared()) is not None:
            # Scanned and parsed at start-up, with these limits.
            self.execution_context.graphql_document = prepared.document
        elif query and self.execution_context.graphql_document is None:
            if settings.limits_enabled:
                error = scan(query, settings.limits)
                if error is not None:
                    self.cost = Cost(0, settings.cost_budget)
                    raise error
            # A syntax error propagates like strawberry's own parse failure.
            self.execution_context.graphql_document = parse_document(query)
        yield

    def _validate(self) -> Iterator[None]:
        ctx = self.execution_context
        settings = self._settings()
        document = ctx.graphql_document
        operation = get_operation_ast(document, ctx.operation_name) if document is not None else None
        prepared = self._prepared()
        known = prepared is not None and document is prepared.document
        if known:
            # Measured and validated at start-up: only what depends on the request is left.
            ctx.pre_execution_errors = []
        if settings.limits_enabled and document is not None and operation is not None and not known:
            error = check_shape(ctx.query or "", document, operation, ctx.operation_name, settings.limits)
            if error is not None:
                self.cost = Cost(0, settings.cost_budget)
                raise error
        if document is not None and (error := nul_error(ctx.query or "", document, ctx.variables)) is not None:
            raise error
        if document is not None and ctx.pre_execution_errors is None and ctx.validation_rules:
            errors = validation_cache.validate(ctx.schema._schema, ctx.query or "", document, _rules(ctx),
                                          settings.max_validation_errors)
            ctx.pre_execution_errors = filter_errors(errors, lambda: self._visible_schema(settings))
        yield
        if ctx.pre_execution_errors or document is None or operation is None:
            return
        try:
            fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
            requested = cost_cache.cost(ctx.query or "", ctx.operation_name, ctx.variables, lambda: operation_cost(
                ctx.schema._schema, fragments, operation, ctx.variables or {}))
        except PageSizeError as refusal:
            raise refusal.error from None
        self.cost = Cost(requested, settings.cost_budget)
        if isinstance(ctx.context, GatewayContext):
            ctx.context.operation_cost = max(1, requested)
        if settings.limits_enabled and requested > settings.cost_budget:
            raise GraphQLError(
                f"The operation would cost {requested}; the budget is {settings.cost_budget}. "
                "Ask for smaller pages or fewer nested connections.",
                extensions={"code": ErrorCode.QUERY_TOO_COMPLEX.value, "cost": self.cost.as_extension()},
            )

    def _visible_schema(self, settings: SchemaSettings) -> GraphQLSchema | None:
        context = self.execution_context.context
        if not settings.suggestions or not isinstance(context, GatewayContext):
            return None
        full = self.execution_context.schema._schema
        return filtered_schema(full, policy_for(full), context.principal.permissions)

    def get_results(self) -> dict[str, Any]:
        # Also on refusals: an operation that never ran requested nothing.
        cost = self.cost or Cost(0, self._settings().cost_budget)
        return {"cost": cost.as_extension()}


__all__ = ["OperationLimits"]
