"""Assemble the schema."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from schema.compiled.extension import CompiledReads
from schema.errors import TypedErrors
from schema.extension_hooks import ExtensionHooks
from schema.leaf_lists import LeafListExecutionContext
from schema.limits.extension import OperationLimits
from schema.mutation import Mutation
from schema.permissions.enforcement import Authorization
from schema.query import Query
from schema.row_fields import install as install_row_fields


class GatewaySchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        # Strawberry logs every error, FORBIDDEN and BAD_USER_INPUT included, at ERROR with a
        # traceback. Expected errors are answers, not incidents; unexpected ones are logged once,
        # with the request id, where they are typed and masked (schema/errors.py).
        return None

    def create_extensions_runner(self, execution_context: ExecutionContext,
                                 extensions: list[SchemaExtension]) -> ExtensionHooks:
        # Hooks entered as strawberry does, without rebuilding each one per request (schema/extension_hooks.py).
        return ExtensionHooks(execution_context=execution_context, extensions=extensions)


def build_schema(admission: Sequence[type[SchemaExtension]] = ()) -> GatewaySchema:
    """The schema, with `admission` extensions run after an operation is validated and costed and
    before it is authorized and executed (the gateway hands in its rate limits there)."""
    built = GatewaySchema(
        query=Query,
        mutation=Mutation,
        # OperationLimits comes first: it refuses oversized documents before anything parses them, and
        # it caches parsed and validated documents (schema/limits/caches.py).
        extensions=[OperationLimits, *admission, Authorization, CompiledReads, TypedErrors],
        config=StrawberryConfig(auto_camel_case=True),
        # Lists of rows that select only plain fields are completed in one pass (schema/leaf_lists.py).
        execution_context_class=LeafListExecutionContext,
    )
    # Fields of objects built from rows read an attribute instead of running a resolver each.
    install_row_fields(built)
    return built


# The schema as tools see it (the printed SDL, the permission policy, tests without HTTP).
schema = build_schema()
