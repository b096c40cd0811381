"""Under production settings, a real server refuses 100 aliased copies of an expensive field, a 50-level
deep query, a 5 MB body and a text/plain POST, and keeps serving."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.live_server import LiveServer, live_server

FIVE_MB = 5 * 1024 * 1024
QUERY = {"query": "{ viewer { account { name } } }"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(Path(tmp_path_factory.mktemp("transport-production")), env="production") as live:
        yield live


@pytest.fixture(scope="module")
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30, headers={"Authorization": f"Bearer {server.token()}"}) as http:
        yield http


def big_body() -> bytes:
    return b'{"query": "{ __typename }", "extensions": {"pad": "' + b"x" * FIVE_MB + b'"}}'


def assert_still_serving(server: LiveServer) -> None:
    # A fresh connection, so the answer does not depend on the refused one being reused.
    with httpx.Client(timeout=30) as fresh:
        response = fresh.post(server.url, json=QUERY, headers={"Authorization": f"Bearer {server.token()}"})
    assert response.status_code == 200, response.text
    assert response.json()["data"] == {"viewer": {"account": {"name": "distributor.admin"}}}


def code_of(response: httpx.Response) -> str:
    return response.json()["errors"][0]["extensions"]["code"]


def test_a_5_mb_body_is_413(server: LiveServer, client: httpx.Client) -> None:
    response = client.post(server.url, content=big_body(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413, response.text[:300]
    assert code_of(response) == "PAYLOAD_TOO_LARGE"
    assert_still_serving(server)


def test_a_5_mb_chunked_body_is_413(server: LiveServer, client: httpx.Client) -> None:
    body = big_body()

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 64 * 1024):
            yield body[start:start + 64 * 1024]

    response = client.post(server.url, content=chunks(), headers={"Content-Type": "application/json"})
    assert "content-length" not in response.request.headers
    assert response.status_code == 413, response.text[:300]
    assert code_of(response) == "PAYLOAD_TOO_LARGE"
    assert_still_serving(server)


def test_a_text_plain_post_is_refused_as_csrf(server: LiveServer, client: httpx.Client) -> None:
    response = client.post(server.url, content=b'{"query": "{ __typename }"}', headers={"Content-Type": "text/plain"})
    assert response.status_code == 400, response.text
    assert code_of(response) == "CSRF_PREFLIGHT_REQUIRED"
    assert_still_serving(server)


def test_graphiql_is_off(server: LiveServer) -> None:
    with httpx.Client(timeout=30) as anonymous:
        page = anonymous.get(server.url, headers={"Accept": "text/html"})
        assert page.status_code == 404
        assert code_of(page) == "NOT_FOUND"
        assert anonymous.get(server.url.replace("/graphql", "/graphiql-assets/boot.js")).status_code == 404


def test_the_same_connection_keeps_working_after_refusals(server: LiveServer, client: httpx.Client) -> None:
    for _ in range(3):
        assert client.post(server.url, content=b"{}", headers={"Content-Type": "text/plain"}).status_code == 400
        assert client.post(server.url, json=QUERY).status_code == 200


def test_a_hundred_aliased_copies_of_an_expensive_field_are_refused(server: LiveServer, client: httpx.Client) -> None:
    # Each copy a page of 100 partners (short enough that the 100 copies stay under the token limit).
    copies = " ".join(f"c{i}: partners(first: 100) {{ nodes {{ name }} }}" for i in range(100))
    response = client.post(server.url, json={"query": f"{{ {copies} }}"})
    assert response.status_code == 200, response.text[:300]  # application/json: a well-formed request
    body = response.json()
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["OPERATION_LIMIT_EXCEEDED"]
    assert body["errors"][0]["extensions"]["limit"] == "aliases"
    assert_still_serving(server)


def test_a_50_level_deep_query_is_refused(server: LiveServer, client: httpx.Client) -> None:
    inner = "id"
    for _ in range(47):
        inner = f"supervisor {{ {inner} }}"
    response = client.post(server.url, json={"query": f"{{ viewer {{ account {{ {inner} }} }} }}"},
                           headers={"Accept": "application/graphql-response+json"})
    assert response.status_code == 400, response.text[:300]
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"] == {"code": "OPERATION_LIMIT_EXCEEDED", "limit": "depth", "maximum": 10}
    assert_still_serving(server)


def test_the_server_printed_its_security_posture(server: LiveServer) -> None:
    output = server.output()
    assert "environment: production" in output and "error masking: on" in output and "GraphiQL: OFF" in output
