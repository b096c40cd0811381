"""CSRF prevention (preflight header on simple requests), the CORS allowlist and GraphiQL gating."""

from __future__ import annotations

import httpx
import pytest

from gateway.config import Environment
from gateway.csrf import is_simple_request
from tests.transport.conftest import ClientFactory, error_codes

QUERY = b'{"query": "{ __typename }"}'
SIMPLE_CONTENT_TYPES = ["text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x", "Text/Plain"]
ORIGIN = "https://partner-portal.example.com"


@pytest.mark.parametrize(
    ("method", "content_type", "simple"),
    [
        ("GET", None, True),
        ("POST", None, True),
        ("POST", "text/plain", True),
        ("POST", "application/x-www-form-urlencoded", True),
        ("POST", "multipart/form-data; boundary=--x", True),
        ("POST", "application/json", False),
        ("POST", "application/json; charset=utf-8", False),
        ("POST", "application/graphql-response+json", False),
    ],
)
def test_which_requests_are_simple(method: str, content_type: str | None, simple: bool) -> None:
    assert is_simple_request(method, content_type) is simple


@pytest.mark.parametrize("content_type", SIMPLE_CONTENT_TYPES)
async def test_a_simple_post_without_the_preflight_header_is_refused(client: httpx.AsyncClient, content_type: str) -> None:
    response = await client.post("/graphql", content=QUERY, headers={"Content-Type": content_type})
    assert response.status_code == 400
    assert error_codes(response) == ["CSRF_PREFLIGHT_REQUIRED"]
    assert "GraphQL-Require-Preflight" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("content_type", SIMPLE_CONTENT_TYPES)
async def test_with_the_header_a_simple_post_gets_past_csrf_but_only_json_is_parsed(client: httpx.AsyncClient, content_type: str) -> None:
    response = await client.post("/graphql", content=QUERY, headers={"Content-Type": content_type, "GraphQL-Require-Preflight": "1"})
    assert response.status_code == 415
    assert error_codes(response) == ["UNSUPPORTED_MEDIA_TYPE"]


async def test_a_post_without_content_type_needs_the_header_too(client: httpx.AsyncClient) -> None:
    request = client.build_request("POST", "/graphql", content=QUERY)
    assert "content-type" not in request.headers
    response = await client.send(request)
    assert response.status_code == 400
    assert error_codes(response) == ["CSRF_PREFLIGHT_REQUIRED"]


async def test_a_get_runs_only_with_a_non_empty_preflight_header(client: httpx.AsyncClient) -> None:
    params = {"query": "{ __typename }"}
    for headers in ({}, {"GraphQL-Require-Preflight": ""}, {"GraphQL-Require-Preflight": "  "}):
        refused = await client.get("/graphql", params=params, headers=headers)
        assert refused.status_code == 400
        assert error_codes(refused) == ["CSRF_PREFLIGHT_REQUIRED"]
    allowed = await client.get("/graphql", params=params, headers={"graphql-require-preflight": "true"})
    assert allowed.status_code == 200
    assert allowed.json()["data"] == {"__typename": "Query"}


async def test_a_json_post_needs_no_preflight_header(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 200


async def test_csrf_is_checked_before_authentication(client_for: ClientFactory) -> None:
    client = await client_for(authenticated=False)
    forged = await client.post("/graphql", content=QUERY, headers={"Content-Type": "text/plain"})
    assert error_codes(forged) == ["CSRF_PREFLIGHT_REQUIRED"]
    unauthenticated = await client.post("/graphql", json={"query": "{ __typename }"})
    assert unauthenticated.status_code == 401


async def test_the_preflight_header_name_is_configurable(client_for: ClientFactory) -> None:
    client = await client_for(csrf_preflight_header="X-Partner-Preflight")
    params = {"query": "{ __typename }"}
    default_name = await client.get("/graphql", params=params, headers={"GraphQL-Require-Preflight": "1"})
    assert error_codes(default_name) == ["CSRF_PREFLIGHT_REQUIRED"]
    assert "X-Partner-Preflight" in default_name.json()["errors"][0]["message"]
    assert (await client.get("/graphql", params=params, headers={"X-Partner-Preflight": "1"})).status_code == 200


async def test_with_csrf_prevention_off_a_get_needs_no_header(client_for: ClientFactory) -> None:
    client = await client_for(csrf_prevention=False)
    response = await client.get("/graphql", params={"query": "{ __typename }"})
    assert response.status_code == 200


async def test_cors_is_closed_by_default(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ __typename }"}, headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    preflight = await client.options("/graphql", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type"})
    assert preflight.status_code == 405
    assert "access-control-allow-origin" not in preflight.headers


async def test_cors_allowlist_answers_preflights_without_credentials(client_for: ClientFactory) -> None:
    client = await client_for(authenticated=False, cors_allow_origins=[ORIGIN])
    preflight = await client.options("/graphql", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, graphql-require-preflight"})
    assert preflight.status_code == 200, preflight.text
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    allowed_headers = preflight.headers["access-control-allow-headers"].lower()
    for header in ("authorization", "content-type", "graphql-require-preflight"):
        assert header in allowed_headers
    assert "access-control-allow-credentials" not in preflight.headers

    stranger = await client.options("/graphql", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert stranger.status_code == 400
    assert "access-control-allow-origin" not in stranger.headers


async def test_cors_allowlist_marks_answers_for_listed_origins_only(client_for: ClientFactory) -> None:
    client = await client_for(cors_allow_origins=[ORIGIN])
    listed = await client.post("/graphql", json={"query": "{ __typename }"}, headers={"Origin": ORIGIN})
    assert listed.status_code == 200
    assert listed.headers["access-control-allow-origin"] == ORIGIN
    assert "x-request-id" in listed.headers["access-control-expose-headers"].lower()
    other = await client.post("/graphql", json={"query": "{ __typename }"}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    refused = await client.post("/graphql", content=QUERY, headers={"Origin": ORIGIN, "Content-Type": "text/plain"})
    assert error_codes(refused) == ["CSRF_PREFLIGHT_REQUIRED"]
    assert refused.headers["access-control-allow-origin"] == ORIGIN


async def page(client: httpx.AsyncClient) -> httpx.Response:
    return await client.get("/graphql", headers={"Accept": "text/html"})


async def test_graphiql_is_on_in_development(client_for: ClientFactory) -> None:
    client = await client_for(authenticated=False)
    response = await page(client)
    assert response.status_code == 200
    assert "GraphiQL" in response.text
    assert (await client.get("/graphiql-assets/boot.js")).status_code == 200


async def test_graphiql_is_off_in_production(client_for: ClientFactory) -> None:
    client = await client_for(authenticated=False, env=Environment.PRODUCTION)
    response = await page(client)
    assert response.status_code == 404
    assert error_codes(response) == ["NOT_FOUND"]
    assert "GraphiQL" in response.json()["errors"][0]["message"]
    assert (await client.get("/graphiql-assets/boot.js")).status_code == 404


async def test_graphiql_can_be_switched_on_in_production_and_off_in_development(client_for: ClientFactory) -> None:
    production = await client_for(authenticated=False, env=Environment.PRODUCTION, graphiql="on")
    assert (await page(production)).status_code == 200
    development = await client_for(authenticated=False, graphiql="off")
    assert (await page(development)).status_code == 404
