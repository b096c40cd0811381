"""Automatic persisted queries (Apollo's protocol) on the ASGI app: misses, registration, hits, refusals."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from gateway.documents.protocol import sha256_hex
from gateway.documents.store import MAX_DOCUMENT_CHARS, LocalDocuments, SharedDocuments
from models.members import Role
from tests.rate_limits.conftest import require_redis
from tests.transport.conftest import ClientFactory, error_codes

GRJ = "application/graphql-response+json"
JSON = "application/json"
PREFLIGHT = {"GraphQL-Require-Preflight": "1"}
NOT_FOUND = [{"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}]


def viewer_query() -> str:
    # A text of its own per test (the comment changes the hash), so no test finds another's document.
    return f"# {uuid.uuid4().hex}\nquery Viewer {{ viewer {{ account {{ name }} }} }}"


VIEWER_DATA = {"viewer": {"account": {"name": "distributor.admin"}}}


def persisted(sha: str, version: Any = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": sha}}


async def hash_only(client: httpx.AsyncClient, sha: str, *, accept: str = JSON, get: bool = False,
                    headers: dict[str, str] | None = None) -> httpx.Response:
    extensions = persisted(sha)
    all_headers = {"Accept": accept, **(headers if headers is not None else PREFLIGHT)}
    if get:
        return await client.get("/graphql", params={"extensions": json.dumps(extensions)}, headers=all_headers)
    return await client.post("/graphql", json={"extensions": extensions}, headers=all_headers)


def test_the_hash_is_sha256_of_the_utf8_text() -> None:
    assert sha256_hex("{ viewer { account { name } } }") == hashlib.sha256(b"{ viewer { account { name } } }").hexdigest()
    assert sha256_hex("{ __type(name: \"Run🏃\") { name } }") == hashlib.sha256('{ __type(name: "Run🏃") { name } }'.encode()).hexdigest()


@pytest.mark.parametrize(("accept", "status"), [(JSON, 200), (GRJ, 404)])
@pytest.mark.parametrize("get", [False, True], ids=["POST", "GET"])
async def test_an_unknown_hash_is_the_miss_apollo_client_retries_on(client: httpx.AsyncClient, accept: str, status: int,
                                                                     get: bool) -> None:
    response = await hash_only(client, sha256_hex(viewer_query()), accept=accept, get=get)
    assert response.status_code == status, response.text
    assert response.json() == {"errors": NOT_FOUND}
    assert response.headers["content-type"] == f"{accept}; charset=utf-8"
    # The same request succeeds once the document is registered: nobody may keep this answer.
    assert "no-cache" in response.headers["cache-control"]


async def test_text_and_hash_register_then_the_hash_alone_runs(client: httpx.AsyncClient) -> None:
    query = viewer_query()
    sha = sha256_hex(query)
    registered = await client.post("/graphql", json={"query": query, "extensions": persisted(sha)})
    assert registered.status_code == 200, registered.text
    assert registered.json()["data"] == VIEWER_DATA
    for accept in (JSON, GRJ):
        for get in (False, True):
            hit = await hash_only(client, sha, accept=accept, get=get)
            assert hit.status_code == 200, hit.text
            assert hit.json()["data"] == VIEWER_DATA
    # The stored text runs with the request's own variables and operation name.
    typed = "query Type($name: String!) { __type(name: $name) { name } } query Other { __typename }"
    typed_sha = sha256_hex(typed)
    first = await client.post("/graphql", json={"query": typed, "operationName": "Type", "variables": {"name": "Partner"},
                                                "extensions": persisted(typed_sha)})
    assert first.json()["data"] == {"__type": {"name": "Partner"}}, first.text
    again = await client.post("/graphql", json={"operationName": "Type", "variables": {"name": "Coupon"},
                                                "extensions": persisted(typed_sha)})
    assert again.json()["data"] == {"__type": {"name": "Coupon"}}, again.text


async def test_uppercase_hex_names_the_same_document(client: httpx.AsyncClient) -> None:
    query = viewer_query()
    await client.post("/graphql", json={"query": query, "extensions": persisted(sha256_hex(query).upper())})
    assert (await hash_only(client, sha256_hex(query))).json()["data"] == VIEWER_DATA


@pytest.mark.parametrize("accept", [JSON, GRJ])
async def test_a_hash_that_is_not_the_texts_is_refused_and_nothing_is_kept(client: httpx.AsyncClient, accept: str) -> None:
    query, other = viewer_query(), viewer_query()
    response = await client.post("/graphql", json={"query": query, "extensions": persisted(sha256_hex(other))},
                                 headers={"Accept": accept})
    assert response.status_code == 400, response.text
    assert error_codes(response) == ["PERSISTED_QUERY_HASH_MISMATCH"]
    assert "data" not in response.json()
    assert error_codes(await hash_only(client, sha256_hex(other))) == ["PERSISTED_QUERY_NOT_FOUND"]


@pytest.mark.parametrize(
    ("extensions", "words"),
    [
        (persisted("a" * 64, version=2), "version 2"),
        (persisted("a" * 64, version=None), "version None"),
        (persisted("a" * 64, version=True), "version True"),
        ({"persistedQuery": "a" * 64}, "must be an object"),
        (persisted("a" * 63), "64 hexadecimal digits"),
        (persisted("g" * 64), "64 hexadecimal digits"),
        (persisted(None), "64 hexadecimal digits"),  # type: ignore[arg-type]
    ],
)
async def test_a_malformed_persisted_query_is_400(client: httpx.AsyncClient, extensions: dict, words: str) -> None:
    for accept in (JSON, GRJ):
        response = await client.post("/graphql", json={"query": "{ __typename }", "extensions": extensions},
                                     headers={"Accept": accept})
        assert response.status_code == 400, response.text
        assert error_codes(response) == ["BAD_REQUEST"]
        assert words in response.json()["errors"][0]["message"]


async def test_other_extensions_are_left_alone(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ __typename }", "extensions": {"trace": True}})
    assert response.json()["data"] == {"__typename": "Query"}, response.text


async def test_a_hash_only_get_needs_the_preflight_header(client: httpx.AsyncClient) -> None:
    query = viewer_query()
    await client.post("/graphql", json={"query": query, "extensions": persisted(sha256_hex(query))})
    refused = await hash_only(client, sha256_hex(query), get=True, headers={})
    assert refused.status_code == 400
    assert error_codes(refused) == ["CSRF_PREFLIGHT_REQUIRED"]


async def test_a_hash_only_get_never_runs_a_mutation(client: httpx.AsyncClient) -> None:
    name = f"apq {uuid.uuid4().hex[:8]}"
    mutation = 'mutation { roleCreate(input: {name: "%s", permissions: [CUSTOMER_VIEW]}) { role { id } userErrors { code } } }' % name
    sha = sha256_hex(mutation)
    registered = await client.post("/graphql", json={"query": mutation, "extensions": persisted(sha)})
    assert registered.json()["data"]["roleCreate"]["userErrors"] == [], registered.text
    for accept in (JSON, GRJ):
        response = await hash_only(client, sha, accept=accept, get=True)
        assert response.status_code == 405, response.text
        assert response.headers["allow"] == "POST"
        assert error_codes(response) == ["METHOD_NOT_ALLOWED"]
    assert await Role.filter(name=name).count() == 1


async def test_a_browser_get_naming_a_hash_is_an_operation_not_the_graphiql_page(client: httpx.AsyncClient) -> None:
    query = viewer_query()
    await client.post("/graphql", json={"query": query, "extensions": persisted(sha256_hex(query))})
    response = await hash_only(client, sha256_hex(query), get=True, accept="text/html, application/json;q=0.9")
    assert response.headers["content-type"].startswith(JSON), response.text[:200]
    assert response.json()["data"] == VIEWER_DATA


async def test_registering_needs_credentials(client_for: ClientFactory) -> None:
    anonymous = await client_for(authenticated=False)
    query = viewer_query()
    refused = await anonymous.post("/graphql", json={"query": query, "extensions": persisted(sha256_hex(query))})
    assert refused.status_code == 401
    signed_in = await client_for()
    assert error_codes(await hash_only(signed_in, sha256_hex(query))) == ["PERSISTED_QUERY_NOT_FOUND"]


async def test_each_worker_keeps_a_bounded_number_of_documents(client_for: ClientFactory) -> None:
    client = await client_for(apq_cache_size=2)
    first, second, third = viewer_query(), viewer_query(), viewer_query()
    for query in (first, second):
        await client.post("/graphql", json={"query": query, "extensions": persisted(sha256_hex(query))})
    assert (await hash_only(client, sha256_hex(first))).json()["data"] == VIEWER_DATA  # now the most recent
    await client.post("/graphql", json={"query": third, "extensions": persisted(sha256_hex(third))})
    assert error_codes(await hash_only(client, sha256_hex(second))) == ["PERSISTED_QUERY_NOT_FOUND"]
    for kept in (first, third):
        assert (await hash_only(client, sha256_hex(kept))).json()["data"] == VIEWER_DATA


async def test_the_lru_keeps_no_oversized_document() -> None:
    store = LocalDocuments(size=10)
    await store.put("big", "x" * (MAX_DOCUMENT_CHARS + 1))
    await store.put("small", "x" * MAX_DOCUMENT_CHARS)
    assert await store.get("big") is None
    assert await store.get("small") is not None
    assert len(store) == 1


async def test_an_oversized_document_still_runs(client: httpx.AsyncClient) -> None:
    padding = "#" + "x" * MAX_DOCUMENT_CHARS + "\n"
    query = padding + "{ viewer { account { name } } }"
    response = await client.post("/graphql", json={"query": query, "extensions": persisted(sha256_hex(query))})
    assert response.json()["data"] == VIEWER_DATA, response.text
    assert error_codes(await hash_only(client, sha256_hex(query))) == ["PERSISTED_QUERY_NOT_FOUND"]


# --- Shared through Redis -------------------------------------------------------------------------


async def test_workers_sharing_redis_find_each_others_documents(client_for: ClientFactory) -> None:
    url = require_redis()
    # No rate limits: their buckets would be kept in the same Redis, outside this test's keys.
    one = await client_for(redis_url=url, rate_limit_enabled=False)
    two = await client_for(redis_url=url, rate_limit_enabled=False)
    query = viewer_query()
    sha = sha256_hex(query)
    redis = Redis.from_url(url)
    try:
        await one.post("/graphql", json={"query": query, "extensions": persisted(sha)})
        assert await redis.ttl(f"gateway:apq:{sha}") > 3600
        hit = await hash_only(two, sha)
        assert hit.json()["data"] == VIEWER_DATA, hit.text
    finally:
        await redis.delete(f"gateway:apq:{sha}")
        await redis.aclose()


async def test_a_redis_that_does_not_answer_leaves_each_worker_its_own(caplog: pytest.LogCaptureFixture) -> None:
    ticks = [0.0]
    store = SharedDocuments(Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5), LocalDocuments(10),
                            clock=lambda: ticks[0])
    with caplog.at_level(logging.WARNING, logger="gateway.documents"):
        await store.put("a", "{ __typename }")
        assert await store.get("a") == "{ __typename }"  # from the worker's own LRU
        assert await store.get("b") is None
        ticks[0] += 10  # past the retry delay: Redis is asked again, and fails again
        assert await store.get("c") is None
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "persisted-query store unavailable" in errors[0].getMessage()
    await store.close()


async def test_a_redis_store_reads_through_to_the_local_lru() -> None:
    url = require_redis()
    prefix = f"test:apq:{uuid.uuid4().hex[:12]}:"
    writer = SharedDocuments(Redis.from_url(url), LocalDocuments(10), prefix=prefix)
    reader = SharedDocuments(Redis.from_url(url), LocalDocuments(10), prefix=prefix)
    try:
        await writer.put("sha", "{ __typename }")
        assert await reader.local.get("sha") is None
        assert await reader.get("sha") == "{ __typename }"
        assert await reader.local.get("sha") == "{ __typename }"
    finally:
        redis = Redis.from_url(url)
        await redis.delete(f"{prefix}sha")
        await redis.aclose()
        await writer.close()
        await reader.close()
