"""Give every error a typed `extensions.code`; never leak an unexpected exception's text."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql.error import GraphQLError
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.extensions import SchemaExtension

from resolvers.errors import ErrorCode, GatewayError

log = logging.getLogger("gateway.errors")


def typed_error(error: GraphQLError, request_id: str | None) -> GraphQLError:
    original = error.original_error
    if isinstance(original, StrawberryInputCoercionError):
        # A variable that does not parse as its scalar (e.g. "" for Decimal) is the caller's input.
        code, message, extra = ErrorCode.BAD_USER_INPUT, error.message, {}
    elif isinstance(original, GatewayError):
        code, message, extra = original.code, original.message, original.extensions
    elif original is None and (error.extensions or {}).get("code"):
        return error
    elif original is None:
        # Syntax and validation errors: the document itself is wrong.
        code, message, extra = ErrorCode.BAD_USER_INPUT, error.message, {}
    else:
        log.error("unexpected error in %s (request %s)", error.path, request_id, exc_info=original)
        code, message, extra = ErrorCode.INTERNAL_SERVER_ERROR, "Internal server error.", {"requestId": request_id}
    extensions = {**(error.extensions or {}), **extra, "code": code.value}
    return GraphQLError(message, nodes=error.nodes, source=error.source, positions=error.positions,
                        path=error.path, extensions=extensions)


class TypedErrors(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            request_id = getattr(self.execution_context.context, "request_id", None)
            result.errors = [typed_error(e, request_id) for e in result.errors]
