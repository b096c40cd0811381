"""Give every error a typed `extensions.code`; never leak an unexpected exception's text."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from asyncpg.exceptions import QueryCanceledError
from graphql.error import GraphQLError
from graphql.validation.validate import ValidationAbortedError
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.extensions import SchemaExtension

from resolvers.errors import ErrorCode, GatewayError
from resolvers.principal_confirmation import PrincipalChanged
from schema.context import GatewayContext

log = logging.getLogger("gateway.errors")
# What graphql-core says when its validation budget runs out (its other abort, "Too many validation
# errors", ends a list of real errors and stays BAD_USER_INPUT).
VALIDATION_ABORTED = "Validation aborted."
TOO_COMPLEX_TO_VALIDATE = ("The operation is too complex to validate: it selects too many fields that must be compared "
                           "with each other (for example many copies of one field, or large fragments spread many "
                           "times). Select each field once, or split the operation.")


def statement_timed_out(error: BaseException) -> bool:
    """PostgreSQL cancelled a statement at `statement_timeout` (Tortoise wraps asyncpg's error), or
    SQLite's reader stopped one at the statement deadline (a TimeoutError below, gateway/sqlite_backend.py)."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, (QueryCanceledError, TimeoutError)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def typed_error(error: GraphQLError, request_id: str | None, *, mask: bool = True) -> GraphQLError:
    original = error.original_error
    if isinstance(original, GraphQLError) and (error.extensions or {}).get("code"):
        return error
    if isinstance(original, (StrawberryInputCoercionError, GraphQLError)):
        # A variable that does not parse as its scalar (e.g. "" for Decimal), or that graphql-core
        # could not coerce (e.g. null for `ID!`, wrapped around an inner GraphQLError), is the
        # caller's input, not a failure of ours.
        code, message, extra = ErrorCode.BAD_USER_INPUT, error.message, {}
    elif isinstance(original, GatewayError):
        code, message, extra = original.code, original.message, original.extensions
    elif original is None and (error.extensions or {}).get("code"):
        return error
    elif original is None and isinstance(error, ValidationAbortedError) and error.message == VALIDATION_ABORTED:
        # graphql-core gave up: comparing overlapping fields (or expanding shared fragments) would
        # cost more than its budget. Not a wrong document but too big a one, and the client can fix it.
        code, message, extra = ErrorCode.OPERATION_LIMIT_EXCEEDED, TOO_COMPLEX_TO_VALIDATE, {"limit": "validation"}
    elif original is None:
        # Syntax and validation errors: the document itself is wrong.
        code, message, extra = ErrorCode.BAD_USER_INPUT, error.message, {}
    elif isinstance(original, PrincipalChanged):
        # Never seen by a client: the request is answered again from the start (gateway/auth.py).
        code, message, extra = ErrorCode.UNAUTHENTICATED, str(original), {}
    elif statement_timed_out(original):
        log.error("database statement timed out in %s (request %s)", error.path, request_id, exc_info=original)
        code, message, extra = ErrorCode.TIMEOUT, "The database did not answer in time.", {"requestId": request_id}
    else:
        log.error("unexpected error in %s (request %s)", error.path, request_id, exc_info=original)
        # Masked: exception text can hold SQL, table names or data. Unmasked only when a
        # developer turned masking off outside production (Settings forces it on there).
        message = "Internal server error." if mask else f"Internal server error: {type(original).__name__}: {original}"
        code, extra = ErrorCode.INTERNAL_SERVER_ERROR, {"requestId": request_id}
    extensions = {**(error.extensions or {}), **extra, "code": code.value}
    return GraphQLError(message, nodes=error.nodes, source=error.source, positions=error.positions,
                        path=error.path, extensions=extensions)


def ensure_typed(error: GraphQLError, request_id: str | None, mask: bool = True) -> GraphQLError:
    """`error` if it already has a code, else its typed (and, if unexpected, masked) form."""
    if (error.extensions or {}).get("code"):
        return error
    return typed_error(error, request_id, mask=mask)


class TypedErrors(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            context = self.execution_context.context
            typed = isinstance(context, GatewayContext)
            request_id = context.request_id if typed else None
            mask = context.settings.mask_errors if typed else True
            result.errors = [typed_error(e, request_id, mask=mask) for e in result.errors]
