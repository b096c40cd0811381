"""Assemble the schema."""

from __future__ import annotations

import strawberry
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig

from schema.errors import TypedErrors
from schema.permissions.enforcement import Authorization
from schema.mutation import Mutation
from schema.query import Query

schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    # Parsed and validated documents are cached: clients send the same few operations again and again.
    extensions=[ParserCache(maxsize=512), ValidationCache(maxsize=512), Authorization, TypedErrors],
    config=StrawberryConfig(auto_camel_case=True),
)
