"""Two gateways on the same demo database: compiled reads on, and off (the standard executor)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.graphql import GraphQLClient, client_with


@pytest.fixture
async def gateways(demo_db: dict[str, int]) -> AsyncIterator[tuple[GraphQLClient, GraphQLClient]]:
    async with client_with(compiled_reads="on") as on, client_with(compiled_reads="off") as off:
        yield on, off
