"""Body size, JSON nesting and variables size: each refuses one byte/level over and accepts at the limit."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable

import httpx
import orjson
import pytest

from gateway.config import Settings
from gateway.request_limits import json_depth_exceeds
from tests.transport.conftest import ClientFactory, error_codes

DEFAULTS = Settings()
SMALL_BODY = 2048


def padded_body(size: int) -> bytes:
    """A valid request of exactly `size` bytes (the padding rides in `extensions`)."""
    empty = b'{"query":"{ __typename }","extensions":{"pad":""}}'
    body = empty[:-3] + b"x" * (size - len(empty)) + empty[-3:]
    assert len(body) == size
    json.loads(body)
    return body


def nested_body(depth: int) -> bytes:
    """A valid request whose JSON opens `depth` containers at once (the body object counts as one)."""
    lists = depth - 2  # the body object, then `extensions`
    return b'{"query":"{ __typename }","extensions":{"deep":' + b"[" * lists + b"]" * lists + b"}}"


async def chunks(body: bytes, size: int = 700) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start:start + size]


def post_json(client: httpx.AsyncClient, content: bytes | AsyncIterator[bytes]) -> Awaitable[httpx.Response]:
    return client.post("/graphql", content=content, headers={"Content-Type": "application/json"})


@pytest.mark.parametrize(
    ("text", "limit", "exceeds"),
    [
        (b"{}", 1, False),
        (b"{}", 0, True),
        (b'{"a": [[1], [2, [3]]]}', 4, False),
        (b'{"a": [[1], [2, [3]]]}', 3, True),
        (b'[[],[],[],[],[],[]]', 2, False),
        (b'{"a": "[[[[[[[[[[", "b": "{{{{{{"}', 1, False),
        (b'{"a": "\\"[[[[[[[[", "b": ["\\\\", ["]"]]}', 3, False),
        (b'{"a": "\\"[[[[[[[[", "b": ["\\\\", ["]"]]}', 2, True),
        ('{"é": [["ü"]]}', 3, False),
        (b'[[[[', 3, True),  # malformed, but a parser would have gone that deep before failing
        (b'{"a": 1}' * 40, 1, False),
    ],
)
def test_json_depth_counts_containers_outside_strings(text: bytes | str, limit: int, exceeds: bool) -> None:
    assert json_depth_exceeds(text, limit) is exceeds


def test_json_depth_of_the_test_bodies() -> None:
    assert not json_depth_exceeds(nested_body(32), 32)
    assert json_depth_exceeds(nested_body(33), 32)


async def test_body_at_the_default_limit_is_accepted_one_byte_more_is_413(client: httpx.AsyncClient) -> None:
    limit = DEFAULTS.max_body_bytes
    accepted = await post_json(client, padded_body(limit))
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["data"] == {"__typename": "Query"}
    refused = await post_json(client, padded_body(limit + 1))
    assert refused.status_code == 413
    assert error_codes(refused) == ["PAYLOAD_TOO_LARGE"]
    assert refused.json()["errors"][0]["extensions"]["limit"] == limit


async def test_declared_length_over_the_limit_is_refused_before_authentication(client_for: ClientFactory) -> None:
    client = await client_for(authenticated=False, max_body_bytes=SMALL_BODY)
    refused = await post_json(client, padded_body(SMALL_BODY + 1))
    assert refused.status_code == 413
    under = await post_json(client, padded_body(SMALL_BODY))
    assert under.status_code == 401


async def test_chunked_body_is_counted_while_it_streams(client_for: ClientFactory) -> None:
    client = await client_for(max_body_bytes=SMALL_BODY)
    accepted = await post_json(client, chunks(padded_body(SMALL_BODY)))
    assert accepted.status_code == 200, accepted.text
    refused = await post_json(client, chunks(padded_body(SMALL_BODY + 1)))
    assert refused.status_code == 413
    assert error_codes(refused) == ["PAYLOAD_TOO_LARGE"]


async def test_a_lying_content_length_does_not_lift_the_limit(client_for: ClientFactory) -> None:
    client = await client_for(max_body_bytes=SMALL_BODY)
    request = client.build_request("POST", "/graphql", content=chunks(padded_body(SMALL_BODY * 2)),
                                   headers={"Content-Type": "application/json", "Content-Length": "100"})
    refused = await client.send(request)
    assert refused.status_code == 413


async def test_a_content_length_that_is_not_a_number_is_400(client: httpx.AsyncClient) -> None:
    request = client.build_request("POST", "/graphql", content=chunks(b'{"query": "{ __typename }"}'),
                                   headers={"Content-Type": "application/json", "Content-Length": "12abc"})
    refused = await client.send(request)
    assert refused.status_code == 400
    assert error_codes(refused) == ["BAD_REQUEST"]


async def test_json_nesting_at_the_limit_is_accepted_one_level_more_is_refused(client: httpx.AsyncClient) -> None:
    limit = DEFAULTS.max_json_depth
    accepted = await post_json(client, nested_body(limit))
    assert accepted.status_code == 200, accepted.text
    refused = await post_json(client, nested_body(limit + 1))
    assert refused.status_code == 400
    assert error_codes(refused) == ["BAD_REQUEST"]
    assert refused.json()["errors"][0]["extensions"]["limit"] == limit


async def test_json_nesting_in_get_variables_is_limited(client_for: ClientFactory) -> None:
    client = await client_for(max_json_depth=4)
    headers = {"GraphQL-Require-Preflight": "1"}

    def params(depth: int) -> dict[str, str]:
        lists = depth - 1  # the variables object counts as one
        return {"query": "{ __typename }", "variables": '{"v": ' + "[" * lists + "]" * lists + "}"}

    assert (await client.get("/graphql", params=params(4), headers=headers)).status_code == 200
    refused = await client.get("/graphql", params=params(5), headers=headers)
    assert refused.status_code == 400
    assert "nested deeper than 4" in refused.json()["errors"][0]["message"]


VARIABLES_QUERY = "query($name: String!) { __type(name: $name) { name } }"


def variables_of_size(size: int) -> dict[str, str]:
    empty = {"name": ""}
    variables = {"name": "x" * (size - len(orjson.dumps(empty)))}
    assert len(orjson.dumps(variables)) == size
    return variables


async def test_variables_at_the_default_limit_are_accepted_one_byte_more_is_413(client: httpx.AsyncClient) -> None:
    limit = DEFAULTS.max_variables_bytes
    accepted = await client.post("/graphql", json={"query": VARIABLES_QUERY, "variables": variables_of_size(limit)})
    assert accepted.status_code == 200, accepted.text[:500]
    assert accepted.json()["data"] == {"__type": None}
    refused = await client.post("/graphql", json={"query": VARIABLES_QUERY, "variables": variables_of_size(limit + 1)})
    assert refused.status_code == 413
    assert error_codes(refused) == ["PAYLOAD_TOO_LARGE"]
    assert "variables" in refused.json()["errors"][0]["message"]


async def test_variables_in_a_get_are_limited_the_same_way(client_for: ClientFactory) -> None:
    client = await client_for(max_variables_bytes=100)
    headers = {"GraphQL-Require-Preflight": "1"}
    for size, status in ((100, 200), (101, 413)):
        params = {"query": VARIABLES_QUERY, "variables": json.dumps(variables_of_size(size))}
        assert (await client.get("/graphql", params=params, headers=headers)).status_code == status
