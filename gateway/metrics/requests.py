"""What each GraphQL request adds to the metrics, recorded once when its answer is complete.

The facts are gathered in the request's `scope["state"]` where they become known, as for the access
line: the operation's name, and its type once it has passed validation (`OperationNotes`), the
executor that answered a query (schema/compiled), the outcome and the limit that refused it
(`note_result`, from the answer), the cost (gateway/app.py). The access-log middleware, which
already times the request and counts its SQL statements, hands them to `RequestMetrics.observe`.
A request costs a handful of label lookups; nothing is done per field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from starlette.types import Scope

from gateway.metrics import families
from gateway.metrics.families import ANONYMOUS, NONE, OTHER
from resolvers.errors import ErrorCode

# Outcomes: a fixed set, documented in the README (Metrics).
OK, PARTIAL, INVALID, REFUSED, ERROR = "ok", "partial", "invalid", "refused", "error"
_REFUSING = frozenset(code.value for code in (ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN, ErrorCode.RATE_LIMITED,
                                              ErrorCode.OPERATION_LIMIT_EXCEEDED, ErrorCode.QUERY_TOO_COMPLEX))
_FAILING = frozenset(code.value for code in (ErrorCode.INTERNAL_SERVER_ERROR, ErrorCode.TIMEOUT))
_REFUSING_STATUS = frozenset({401, 403, 429})
# `extensions.limit` of OPERATION_LIMIT_EXCEEDED (schema/limits/document.py, schema/errors.py), and the cost budget.
_LIMITS = frozenset({"tokens", "depth", "aliases", "directives", "rootFields", "validation", "cost"})
# A name this long is no one's real operation; as a label it would only fill memory.
MAX_NAME_LENGTH = 100


class OperationNames:
    """Operation names as labels, bounded: the first `limit` distinct names a process sees keep
    their own series, and the rest share `(other)`. Only names of operations that passed validation
    get here, so a name is at least an operation someone could run."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.seen: set[str] = set()

    def label(self, name: str | None) -> str:
        if name is None:
            return ANONYMOUS
        if name in self.seen:
            return name
        if len(self.seen) >= self.limit or len(name) > MAX_NAME_LENGTH:
            return OTHER
        self.seen.add(name)
        return name


def note_result(state: Any, errors: Iterable[Any] | None, has_data: bool) -> None:
    """The outcome of an answered GraphQL request (and the operation limit that refused it) on
    `request.state`, from the final errors: a refusal outranks a failure, which outranks a request
    error (nothing executed) and a partial answer (data with errors at paths)."""
    codes: set[Any] = set()
    for error in errors or ():
        extensions = getattr(error, "extensions", None) or {}
        code = extensions.get("code")
        codes.add(code)
        if code == ErrorCode.QUERY_TOO_COMPLEX.value:
            state.operation_limit = "cost"
        elif code == ErrorCode.OPERATION_LIMIT_EXCEEDED.value:
            limit = extensions.get("limit")
            state.operation_limit = limit if limit in _LIMITS else OTHER
    if not codes:
        state.graphql_outcome = OK
    elif not has_data and codes & _REFUSING:
        state.graphql_outcome = REFUSED
    elif codes & _FAILING:
        state.graphql_outcome = ERROR
    else:
        state.graphql_outcome = PARTIAL if has_data else INVALID


def outcome_of_status(status: int | None) -> str:
    """For a request answered outside GraphQL (authentication, the transport, a deadline) or not at all."""
    if status is None or status >= 500:
        return ERROR
    if status in _REFUSING_STATUS:
        return REFUSED
    return INVALID if status >= 400 else OK


class RequestMetrics:
    """Records the GraphQL requests of one app (one per worker process)."""

    def __init__(self, graphql_path: str, max_operation_names: int) -> None:
        self.graphql_path = graphql_path
        self.names = OperationNames(max_operation_names)
        # prometheus_client's `labels()` validates and locks on every call; a label set seen before
        # is a dict lookup here (as many entries as the bounded labels allow).
        self._series: dict[tuple[Any, ...], Any] = {}

    def _series_of(self, family: Any, *labels: str) -> Any:
        key = (family, *labels)
        series = self._series.get(key)
        if series is None:
            series = self._series[key] = family.labels(*labels)
        return series

    def observe(self, scope: Scope, status: int | None, seconds: float, sql_statements: int) -> None:
        if scope["path"] != self.graphql_path:
            return
        state = scope.get("state", {})
        if state.get("graphiql_page"):
            return
        kind = state.get("operation_type")
        if kind is None:
            # Not validated: neither its name nor its type is known to be real.
            operation = kind = NONE
        else:
            operation = self.names.label(state.get("operation_name"))
            cost = state.get("operation_cost")
            if cost is not None:
                self._series_of(families.COST, kind).observe(cost)
        outcome = state.get("graphql_outcome") or outcome_of_status(status)
        self._series_of(families.REQUESTS, operation, kind, outcome).inc()
        self._series_of(families.DURATION, operation, kind).observe(seconds)
        self._series_of(families.SQL_STATEMENTS, kind).observe(sql_statements)
        if (executor := state.get("executor")) is not None:
            self._series_of(families.EXECUTIONS, executor).inc()
        if (limit := state.get("operation_limit")) is not None:
            self._series_of(families.OPERATION_LIMIT_REFUSALS, limit).inc()
