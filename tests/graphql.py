"""Helpers to send GraphQL requests as a named account."""

from __future__ import annotations

import base64
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx

from gateway.app import create_app
from gateway.config import Settings
from gateway.tokens import issue_token

TEST_SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789"


def gid(type_name: str, pk: int | str) -> str:
    """The global ID the API shows for a row (any `pk`: the fuzz tests send malformed ones too)."""
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def pk_of(global_id: str) -> int:
    """The primary key inside a global ID."""
    return int(base64.b64decode(global_id).decode().partition(":")[2])


def user_error_codes(payload: dict[str, Any]) -> list[str]:
    """The codes of a mutation payload's `userErrors`, in order."""
    return [e["code"] for e in payload["userErrors"]]


@dataclass
class Response:
    status: int
    body: dict[str, Any]

    @property
    def data(self) -> Any:
        return self.body.get("data")

    @property
    def errors(self) -> list[dict[str, Any]]:
        return self.body.get("errors") or []

    @property
    def codes(self) -> list[str]:
        return [e.get("extensions", {}).get("code") for e in self.errors]

    def ok(self) -> Any:
        assert self.status == 200 and not self.errors, (self.status, self.errors)
        return self.data


@dataclass
class GraphQLClient:
    http: httpx.AsyncClient
    settings: Settings

    def token(self, account_name: str) -> str:
        return issue_token(self.settings, account_name)

    async def raw(self, query: str, variables: dict[str, Any] | None = None, *, headers: dict[str, str] | None = None) -> Response:
        response = await self.http.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers or {})
        return Response(response.status_code, response.json())

    async def as_(self, account_name: str, query: str, variables: dict[str, Any] | None = None) -> Response:
        return await self.raw(query, variables, headers={"Authorization": f"Bearer {self.token(account_name)}"})


@contextlib.asynccontextmanager
async def asgi_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on a fresh app with these settings (the test opens the database itself)."""
    app = create_app(settings, manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway.test") as http:
        yield http


@contextlib.asynccontextmanager
async def gateway_client(settings: Settings) -> AsyncIterator[GraphQLClient]:
    async with asgi_client(settings) as http:
        yield GraphQLClient(http, settings)


@contextlib.asynccontextmanager
async def client_with(**overrides: Any) -> AsyncIterator[GraphQLClient]:
    """A client on an app whose settings are the tests' defaults with `overrides` (validated, so
    production's rules apply)."""
    settings = Settings(**{"jwt_secret": TEST_SECRET, "database_url": "sqlite://:memory:", **overrides})
    async with gateway_client(settings) as client:
        yield client
