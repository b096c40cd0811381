"""Clients on the ASGI app with the settings a transport test needs, signed in as distributor.admin."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

import httpx
import pytest
import pytest_asyncio

from gateway.config import Settings
from gateway.tokens import issue_token
from tests.graphql import asgi_client

ClientFactory = Callable[..., Awaitable[httpx.AsyncClient]]
# Random-looking, so that production settings (which refuse example secrets) accept it too.
JWT_SECRET = "Kq7vR2mXw9LpZ4tN8cYb3HjF6sDg1QaE5uVo0iWkJrTy"


@pytest.hookimpl(tryfirst=True)
def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # The transport touches the database only to authenticate: SQLite is enough. A parametrize
    # mark (not a call) so that pytest drops the fixture's own sqlite/postgres params.
    if "backend" in metafunc.fixturenames:
        metafunc.definition.add_marker(pytest.mark.parametrize("backend", ["sqlite"], indirect=True, scope="session"))


def error_codes(response: httpx.Response) -> list[str]:
    return [error["extensions"]["code"] for error in response.json()["errors"]]


@pytest_asyncio.fixture
async def client_for(demo_db: dict[str, int]) -> AsyncIterator[ClientFactory]:
    """`await client_for(max_body_bytes=2048, ...)`: a client on an app built with those settings."""
    async with AsyncExitStack() as stack:
        async def make(*, authenticated: bool = True, **overrides: Any) -> httpx.AsyncClient:
            settings = Settings(jwt_secret=JWT_SECRET, database_url="sqlite://:memory:", **overrides)
            client = await stack.enter_async_context(asgi_client(settings))
            if authenticated:
                client.headers["Authorization"] = f"Bearer {issue_token(settings, 'distributor.admin')}"
            return client

        yield make


@pytest_asyncio.fixture
async def client(client_for: ClientFactory) -> httpx.AsyncClient:
    """Default settings (CSRF prevention on, CORS closed, development)."""
    return await client_for()
