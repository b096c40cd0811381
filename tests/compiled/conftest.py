"""Two gateways on the same demo database: compiled reads on, and off (the standard executor)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.graphql import GraphQLClient, client_with


@pytest.fixture
async def gateways(demo_db: dict[str, int]) -> AsyncIterator[tuple[GraphQLClient, GraphQLClient]]:
    # Without rate limits: the two spend one budget (one client address), and a corpus sent as many
    # callers would be answered RATE_LIMITED, with the points left differing between the two sends.
    async with client_with(compiled_reads="on", rate_limit_enabled=False) as on, \
            client_with(compiled_reads="off", rate_limit_enabled=False) as off:
        yield on, off
