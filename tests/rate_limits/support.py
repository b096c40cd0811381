"""Helpers for rate-limit tests: principals without a database, apps with tiny budgets."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.applications import Starlette

from gateway.config import Settings
from gateway.tokens import issue_token
from models.members import AccountKind
from resolvers.principal import Principal

# Nothing listens on port 1: connections are refused at once.
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def principal(account_id: int = 1, api_key_id: int | None = None) -> Principal:
    return Principal(account_id=account_id, account_name=f"account{account_id}", kind=AccountKind.ORGANISATION_MEMBER,
                     partner_id=None, identities=frozenset(), roles=(), staff_role=None, permissions=frozenset(),
                     api_key_id=api_key_id)


@dataclass
class LimitedApp:
    """One gateway app (one limiter, as one worker has) and clients on it from any address."""

    app: Starlette
    settings: Settings
    clients: dict[str, httpx.AsyncClient] = field(default_factory=dict)

    def client(self, address: str = "10.0.0.1") -> httpx.AsyncClient:
        """An HTTP client whose requests come from `address` (the ASGI peer the limiter sees)."""
        if address not in self.clients:
            self.clients[address] = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app, client=(address, 5000)),
                                                      base_url="http://gateway.test")
        return self.clients[address]

    def headers(self, account_name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {issue_token(self.settings, account_name)}"}

    async def post(self, account_name: str, query: str, variables: dict[str, Any] | None = None, *,
                   address: str = "10.0.0.1") -> httpx.Response:
        return await self.client(address).post("/graphql", json={"query": query, "variables": variables or {}},
                                               headers=self.headers(account_name))


AppFactory = Callable[..., Awaitable[LimitedApp]]
