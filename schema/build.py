"""Assemble the schema."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from schema.errors import TypedErrors
from schema.permissions.enforcement import Authorization
from schema.mutation import Mutation
from schema.query import Query

schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    extensions=[Authorization, TypedErrors],
    config=StrawberryConfig(auto_camel_case=True),
)
