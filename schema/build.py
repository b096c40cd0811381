"""Assemble the schema."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from gateway.rate_limits.extension import RateLimits
from schema.errors import TypedErrors
from schema.limits.extension import OperationLimits
from schema.permissions.enforcement import Authorization
from schema.mutation import Mutation
from schema.query import Query
from schema.leaf_lists import LeafListExecutionContext
from schema.row_fields import install as install_row_fields

schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    # OperationLimits comes first: it refuses oversized documents before anything parses them, and
    # it caches parsed and validated documents (schema/limits/caches.py).
    extensions=[OperationLimits, RateLimits, Authorization, TypedErrors],
    config=StrawberryConfig(auto_camel_case=True),
    # Lists of rows that select only plain fields are completed in one pass (schema/leaf_lists.py).
    execution_context_class=LeafListExecutionContext,
)
# Fields of objects built from rows read an attribute instead of running a resolver each.
install_row_fields(schema)
