"""GraphQL over HTTP: media types, status codes and malformed requests (ASGI, default settings)."""

from __future__ import annotations

import uuid

import httpx
import pytest

from gateway.media_types import negotiate
from models.members import Role
from tests.transport.conftest import error_codes

GRJ = "application/graphql-response+json"
JSON = "application/json"
TYPENAME = {"query": "{ __typename }"}
PREFLIGHT = {"GraphQL-Require-Preflight": "1"}


def assert_refused(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert error_codes(response) == [code], response.text
    assert "data" not in response.json()


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, JSON),
        ("", JSON),
        (JSON, JSON),
        (GRJ, GRJ),
        ("*/*", JSON),
        ("application/*", JSON),
        (f"{GRJ}, {JSON};q=0.9", GRJ),
        (f"{JSON};q=0.5, {GRJ}", GRJ),
        (f"{JSON}, {GRJ}", JSON),
        (f"*/*, {GRJ}", GRJ),
        ("text/html, */*;q=0.8", JSON),
        (f"{GRJ};q=0, {JSON}", JSON),
        ("text/plain", None),
        (f"{JSON};q=0", None),
        ("application/xml, text/html", None),
        (f"{JSON};q=oops", None),
    ],
)
def test_negotiation(accept: str | None, expected: str | None) -> None:
    assert negotiate(accept) == expected


@pytest.mark.parametrize(("accept", "media_type"), [(None, JSON), (JSON, JSON), (GRJ, GRJ), ("*/*", JSON)])
async def test_the_answer_has_the_negotiated_type_in_utf8(client: httpx.AsyncClient, accept: str | None, media_type: str) -> None:
    headers = {"Accept": accept} if accept else {}
    response = await client.post("/graphql", json={"query": '{ __type(name: "Run🏃Swim") { name } }'}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == f"{media_type}; charset=utf-8"
    assert response.json()["data"] == {"__type": None}


async def test_an_unacceptable_accept_is_406(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json=TYPENAME, headers={"Accept": "text/plain"})
    assert_refused(response, 406, "NOT_ACCEPTABLE")
    assert response.headers["content-type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize("content_type", ["application/xml", "application/graphql", "application/json; charset=latin-1",
                                          "application/json-patch+json"])
async def test_a_post_body_that_is_not_utf8_json_is_415(client: httpx.AsyncClient, content_type: str) -> None:
    response = await client.post("/graphql", content=b'{"query": "{ __typename }"}', headers={"Content-Type": content_type})
    assert_refused(response, 415, "UNSUPPORTED_MEDIA_TYPE")


async def test_json_with_a_utf8_charset_is_accepted(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", content=b'{"query": "{ __typename }"}',
                                 headers={"Content-Type": "application/json; charset=UTF-8"})
    assert response.status_code == 200
    assert response.json()["data"] == {"__typename": "Query"}


@pytest.mark.parametrize(
    "body",
    [
        b'{ "not a JSON',
        b"",
        b"0",
        b'"query"',
        b'[{"query": "{ __typename }"}]',
        b'{"notquery": "{ __typename }"}',
        b'{"query": {"obj": "ect"}}',
        b'{"query": 0}',
        b'{"query": "{ __typename }", "variables": "string"}',
        b'{"query": "{ __typename }", "variables": ["array"]}',
        b'{"query": "{ __typename }", "operationName": false}',
        b'{"query": "{ __typename }", "extensions": 0}',
        b"\xff\xfe{}",
    ],
)
@pytest.mark.parametrize("accept", [JSON, GRJ])
async def test_malformed_requests_are_400_with_a_typed_error(client: httpx.AsyncClient, body: bytes, accept: str) -> None:
    response = await client.post("/graphql", content=body, headers={"Content-Type": JSON, "Accept": accept})
    assert_refused(response, 400, "BAD_REQUEST")
    assert response.headers["content-type"] == f"{accept}; charset=utf-8"


@pytest.mark.parametrize(
    "request_body",
    [
        {"query": "{"},
        {"query": "{ 8f31403dfe404bccbb0e835f2629c6a7 }"},
        {"query": "{ noSuchField }"},
        {"query": "query($n: Int) { viewer { partner { members(first: $n) { totalCount } } } }", "variables": {"n": "many"}},
    ],
    ids=["syntax", "validation-1", "validation-2", "coercion"],
)
async def test_request_errors_are_400_without_data_for_graphql_response_json(client: httpx.AsyncClient, request_body: dict) -> None:
    response = await client.post("/graphql", json=request_body, headers={"Accept": GRJ})
    assert response.status_code == 400, response.text
    body = response.json()
    assert "data" not in body
    assert body["errors"]


@pytest.mark.parametrize(
    "request_body",
    [
        {"query": "{"},
        {"query": "{ noSuchField }"},
        {"query": "query CoerceFailure($id: ID!) { node(id: $id) { id } }", "variables": {"id": None}},
    ],
    ids=["syntax", "validation", "coercion"],
)
async def test_request_errors_are_200_for_legacy_application_json(client: httpx.AsyncClient, request_body: dict) -> None:
    response = await client.post("/graphql", json=request_body, headers={"Accept": JSON})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"] is None
    assert body["errors"]


async def test_a_field_error_during_execution_is_200_with_data(client: httpx.AsyncClient) -> None:
    # Another tenant's (here: a non-existent) object: NOT_FOUND at its path, execution went on.
    query = '{ node(id: "UGFydG5lcjo5OTk5OTk=") { id } viewer { account { name } } }'
    for accept in (JSON, GRJ):
        response = await client.post("/graphql", json={"query": query}, headers={"Accept": accept})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["data"]["viewer"]["account"]["name"] == "distributor.admin"
        assert body["errors"][0]["path"] == ["node"]


async def test_null_variables_operation_name_and_extensions_are_allowed(client: httpx.AsyncClient) -> None:
    for parameter in ("variables", "operationName", "extensions"):
        response = await client.post("/graphql", json={"query": "{ __typename }", parameter: None})
        assert response.status_code == 200, response.text
        assert "errors" not in response.json()


async def test_operation_name_selects_the_operation(client: httpx.AsyncClient) -> None:
    document = "query A { __typename } query B { viewer { account { name } } }"
    response = await client.post("/graphql", json={"query": document, "operationName": "B"})
    assert response.json()["data"] == {"viewer": {"account": {"name": "distributor.admin"}}}
    unknown = await client.post("/graphql", json={"query": document, "operationName": "C"})
    assert_refused(unknown, 400, "BAD_REQUEST")


async def test_get_runs_a_query_with_json_variables(client: httpx.AsyncClient) -> None:
    params = {"query": "query Type($name: String!) { __type(name: $name) { name } }", "variables": '{"name": "Partner"}'}
    for accept in (JSON, GRJ):
        response = await client.get("/graphql", params=params, headers={**PREFLIGHT, "Accept": accept})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == f"{accept}; charset=utf-8"
        assert response.json()["data"] == {"__type": {"name": "Partner"}}


@pytest.mark.parametrize("variables", ['{"name": ', "[1]", '"x"'])
async def test_get_with_malformed_variables_is_400(client: httpx.AsyncClient, variables: str) -> None:
    params = {"query": "query Type($name: String!) { __type(name: $name) { name } }", "variables": variables}
    assert_refused(await client.get("/graphql", params=params, headers=PREFLIGHT), 400, "BAD_REQUEST")


ROLE_CREATE = 'mutation { roleCreate(input: {name: "%s", permissions: [CUSTOMER_VIEW]}) { role { id } userErrors { code } } }'


async def test_get_never_runs_a_mutation(client: httpx.AsyncClient) -> None:
    via_get, via_post = f"via GET {uuid.uuid4().hex[:8]}", f"via POST {uuid.uuid4().hex[:8]}"
    for accept in (JSON, GRJ):
        response = await client.get("/graphql", params={"query": ROLE_CREATE % via_get}, headers={**PREFLIGHT, "Accept": accept})
        assert_refused(response, 405, "METHOD_NOT_ALLOWED")
        assert response.headers["allow"] == "POST"
    assert not await Role.exists(name=via_get)
    # The same mutation over POST runs: the refusal above was the method's, not the document's.
    posted = await client.post("/graphql", json={"query": ROLE_CREATE % via_post})
    assert posted.json()["data"]["roleCreate"]["userErrors"] == [], posted.text
    assert await Role.exists(name=via_post)


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"])
async def test_other_methods_are_405_with_allow(client: httpx.AsyncClient, method: str) -> None:
    response = await client.request(method, "/graphql", json=TYPENAME)
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    if method != "HEAD":
        assert error_codes(response) == ["METHOD_NOT_ALLOWED"]


async def test_refusals_carry_the_request_id(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json=TYPENAME, headers={"Accept": "text/plain", "X-Request-ID": "transport-1"})
    assert response.status_code == 406
    assert response.headers["x-request-id"] == "transport-1"
