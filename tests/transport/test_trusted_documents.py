"""Trusted documents (GATEWAY_DOCUMENTS=trusted) and the manifest, on the ASGI app."""

from __future__ import annotations

import json
import subprocess
from collections import OrderedDict
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

import schema.limits.extension as limits_extension
import schema.permissions.enforcement as enforcement
from gateway.app import create_app
from gateway.config import Settings
from gateway.documents import ManifestError
from gateway.documents.protocol import sha256_hex
from gateway.posture import security_posture
from tests.cli import cli_command, cli_env
from tests.live_server import free_port
from tests.transport.conftest import JWT_SECRET, ClientFactory, error_codes

GRJ = "application/graphql-response+json"
JSON = "application/json"
PREFLIGHT = {"GraphQL-Require-Preflight": "1"}
VIEWER = "query Viewer { viewer { account { name } } }"
VIEWER_DATA = {"viewer": {"account": {"name": "distributor.admin"}}}
TYPE = "query Type($name: String!) { __type(name: $name) { name } }"
# A partner's balance: distributor.admin may read it, service.admin may not (tests/permissions/).
DENIED_FOR_SOME = "query Balance { viewer { partner { name balance { amount } } } }"
NOT_IN_MANIFEST = "{ viewer { account { displayName } } }"


def persisted(sha: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha}}


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data))
    return path


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    """graphql-codegen's format: SHA-256 → document."""
    return write(tmp_path / "persisted-documents.json", {sha256_hex(text): text for text in (VIEWER, TYPE, DENIED_FOR_SOME)})


@pytest.fixture
async def trusted(client_for: ClientFactory, manifest: Path) -> httpx.AsyncClient:
    return await client_for(documents="trusted", documents_manifest=str(manifest))


async def test_a_manifest_document_runs_by_its_hash_alone(trusted: httpx.AsyncClient) -> None:
    for accept in (JSON, GRJ):
        posted = await trusted.post("/graphql", json={"extensions": persisted(sha256_hex(VIEWER))}, headers={"Accept": accept})
        assert posted.status_code == 200, posted.text
        assert posted.json()["data"] == VIEWER_DATA
    fetched = await trusted.get("/graphql", params={"extensions": json.dumps(persisted(sha256_hex(TYPE))),
                                                     "variables": '{"name": "Partner"}'}, headers=PREFLIGHT)
    assert fetched.json()["data"] == {"__type": {"name": "Partner"}}, fetched.text


async def test_a_manifest_document_runs_as_its_exact_text(trusted: httpx.AsyncClient) -> None:
    plain = await trusted.post("/graphql", json={"query": VIEWER})
    assert plain.json()["data"] == VIEWER_DATA, plain.text
    # What Apollo Client's link sends after a miss: text and hash together.
    both = await trusted.post("/graphql", json={"query": VIEWER, "extensions": persisted(sha256_hex(VIEWER))})
    assert both.json()["data"] == VIEWER_DATA, both.text


@pytest.mark.parametrize(("accept", "status"), [(JSON, 200), (GRJ, 404)])
async def test_an_unknown_hash_is_not_found(trusted: httpx.AsyncClient, accept: str, status: int) -> None:
    response = await trusted.post("/graphql", json={"extensions": persisted(sha256_hex(NOT_IN_MANIFEST))},
                                  headers={"Accept": accept})
    assert response.status_code == status
    assert error_codes(response) == ["PERSISTED_QUERY_NOT_FOUND"]


@pytest.mark.parametrize("accept", [JSON, GRJ])
@pytest.mark.parametrize(
    "query",
    [NOT_IN_MANIFEST, VIEWER + " ", "{ this is not GraphQL", "{" * 5000],
    ids=["other document", "manifest text plus a space", "syntax error", "nesting"],
)
async def test_any_other_text_is_refused_before_it_is_parsed(trusted: httpx.AsyncClient, accept: str, query: str) -> None:
    for body in ({"query": query}, {"query": query, "extensions": persisted(sha256_hex(query))}):
        response = await trusted.post("/graphql", json=body, headers={"Accept": accept})
        assert response.status_code == 403, response.text
        assert error_codes(response) == ["PERSISTED_QUERY_NOT_IN_LIST"]
        assert "data" not in response.json()


async def test_nothing_is_registered_in_trusted_mode(trusted: httpx.AsyncClient) -> None:
    await trusted.post("/graphql", json={"query": NOT_IN_MANIFEST, "extensions": persisted(sha256_hex(NOT_IN_MANIFEST))})
    again = await trusted.post("/graphql", json={"extensions": persisted(sha256_hex(NOT_IN_MANIFEST))})
    assert error_codes(again) == ["PERSISTED_QUERY_NOT_FOUND"]


async def test_a_hash_that_is_not_the_texts_is_refused(trusted: httpx.AsyncClient) -> None:
    response = await trusted.post("/graphql", json={"query": VIEWER, "extensions": persisted(sha256_hex(TYPE))})
    assert response.status_code == 400
    assert error_codes(response) == ["PERSISTED_QUERY_HASH_MISMATCH"]


async def test_a_trusted_get_still_needs_the_preflight_header(trusted: httpx.AsyncClient) -> None:
    response = await trusted.get("/graphql", params={"extensions": json.dumps(persisted(sha256_hex(VIEWER)))})
    assert error_codes(response) == ["CSRF_PREFLIGHT_REQUIRED"]


async def test_a_prepared_document_is_neither_parsed_nor_validated_again(trusted: httpx.AsyncClient,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*_: object, **__: object) -> None:
        raise AssertionError("a manifest document was parsed or validated for a request")

    monkeypatch.setattr(limits_extension, "parse_document", never)
    monkeypatch.setattr(limits_extension, "scan", never)
    monkeypatch.setattr(limits_extension, "check_shape", never)
    monkeypatch.setattr(limits_extension.validation_cache, "validate", never)
    response = await trusted.post("/graphql", json={"extensions": persisted(sha256_hex(TYPE)), "variables": {"name": "Coupon"}})
    assert response.json()["data"] == {"__type": {"name": "Coupon"}}, response.text
    # The request's own parts are still checked: here the variables.
    missing = await trusted.post("/graphql", json={"extensions": persisted(sha256_hex(TYPE))})
    assert error_codes(missing) == ["BAD_USER_INPUT"], missing.text


async def test_permissions_listed_at_start_up_spare_the_walk_only_for_callers_holding_them(
        client_for: ClientFactory, manifest: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    walks: list[str] = []
    real = enforcement.find_denials

    def counted(*args: Any, **kwargs: Any) -> Any:
        walks.append("walk")
        return real(*args, **kwargs)

    monkeypatch.setattr(enforcement, "find_denials", counted)
    monkeypatch.setattr(enforcement, "_cleared", OrderedDict())  # nothing remembered from an earlier request
    admin = await client_for(documents="trusted", documents_manifest=str(manifest))
    allowed = await admin.post("/graphql", json={"extensions": persisted(sha256_hex(DENIED_FOR_SOME))})
    assert allowed.json()["data"]["viewer"]["partner"]["balance"]["amount"], allowed.text
    assert walks == []
    service = await client_for(documents="trusted", documents_manifest=str(manifest))
    service.headers["Authorization"] = f"Bearer {_token('service.admin')}"
    denied = await service.post("/graphql", json={"extensions": persisted(sha256_hex(DENIED_FOR_SOME))})
    assert error_codes(denied) == ["FORBIDDEN"], denied.text
    assert denied.json()["data"]["viewer"]["partner"]["balance"] is None
    assert walks == ["walk"]


def _token(account: str) -> str:
    from gateway.tokens import issue_token

    return issue_token(Settings(jwt_secret=JWT_SECRET, database_url="sqlite://:memory:"), account)


async def test_apollo_manifests_are_read_too(client_for: ClientFactory, tmp_path: Path) -> None:
    path = write(tmp_path / "persisted-query-manifest.json", {
        "format": "apollo-persisted-query-manifest", "version": 1,
        "operations": [{"id": sha256_hex(VIEWER), "name": "Viewer", "type": "query", "body": VIEWER}],
    })
    client = await client_for(documents="trusted", documents_manifest=str(path))
    response = await client.post("/graphql", json={"extensions": persisted(sha256_hex(VIEWER))})
    assert response.json()["data"] == VIEWER_DATA, response.text


async def test_in_any_mode_manifest_documents_need_no_registration(client_for: ClientFactory, manifest: Path) -> None:
    client = await client_for(documents_manifest=str(manifest))
    known = await client.post("/graphql", json={"extensions": persisted(sha256_hex(VIEWER))})
    assert known.json()["data"] == VIEWER_DATA, known.text
    free = await client.post("/graphql", json={"query": NOT_IN_MANIFEST})
    assert "errors" not in free.json(), free.text
    assert free.json()["data"]["viewer"]["account"]["displayName"]


def test_trusted_mode_needs_a_manifest() -> None:
    with pytest.raises(ValidationError, match="GATEWAY_DOCUMENTS=trusted needs GATEWAY_DOCUMENTS_MANIFEST"):
        Settings(documents="trusted", jwt_secret=JWT_SECRET)


def _apollo(*operations: dict) -> dict:
    return {"format": "apollo-persisted-query-manifest", "version": 1, "operations": list(operations)}


SHA1_OF_VIEWER = "0" * 40
BAD_MANIFESTS = {
    "not JSON": ("{", "not JSON"),
    "a list": ([VIEWER], "must be a JSON object"),
    "empty": ({}, "holds no documents"),
    "a SHA-1": ({SHA1_OF_VIEWER: VIEWER}, "is not a SHA-256"),
    "another text's hash": ({sha256_hex(TYPE): VIEWER}, "is not the SHA-256 of its document"),
    "a document that is no string": ({sha256_hex(VIEWER): {"query": VIEWER}}, "must be a non-empty string"),
    "a syntax error": ({sha256_hex("{ viewer {"): "{ viewer {"}, "syntax error"),
    "an unknown field": ({sha256_hex("{ nope }"): "{ nope }"}, "Cannot query field 'nope' on type 'Query'"),
    "too deep": ({sha256_hex("{ viewer " + "{ partner " * 11 + "{ name }" + " }" * 11 + " }"):
                  "{ viewer " + "{ partner " * 11 + "{ name }" + " }" * 11 + " }"}, "maximum depth of 10"),
    "an unknown format": ({"format": "relay", "documents": {}}, "unknown manifest format 'relay'"),
    "an Apollo manifest of version 2": ({**_apollo(), "version": 2}, "version 1 is supported"),
    "an Apollo operation without an id": (_apollo({"name": "Viewer", "body": VIEWER}), "operation 1 (Viewer): None is not a SHA-256"),
}


@pytest.mark.parametrize(("content", "words"), list(BAD_MANIFESTS.values()), ids=list(BAD_MANIFESTS))
def test_a_manifest_that_cannot_be_served_stops_the_app(tmp_path: Path, content: object, words: str) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    settings = Settings(jwt_secret=JWT_SECRET, database_url="sqlite://:memory:", documents="trusted", documents_manifest=path)
    with pytest.raises(ManifestError) as refused:
        create_app(settings, manage_database=False)
    assert str(refused.value).startswith(f"GATEWAY_DOCUMENTS_MANIFEST {path}: ")
    assert words in str(refused.value)


def test_a_missing_manifest_stops_the_app(tmp_path: Path) -> None:
    settings = Settings(jwt_secret=JWT_SECRET, database_url="sqlite://:memory:", documents="trusted",
                        documents_manifest=tmp_path / "absent.json")
    with pytest.raises(ManifestError, match="cannot read it: No such file or directory"):
        create_app(settings, manage_database=False)


def test_serve_refuses_to_start_with_a_bad_manifest_in_one_line(tmp_path: Path) -> None:
    path = write(tmp_path / "manifest.json", {sha256_hex("{ nope }"): "{ nope }"})
    env = cli_env(f"sqlite://{tmp_path / 'gw.db'}")
    env.update(GATEWAY_DOCUMENTS="trusted", GATEWAY_DOCUMENTS_MANIFEST=str(path))
    run = subprocess.run([*cli_command(), "serve", "--port", str(free_port())], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 2, run.stdout + run.stderr
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Refusing to start: GATEWAY_DOCUMENTS_MANIFEST"), run.stderr
    assert "Cannot query field 'nope'" in lines[0]


def test_the_posture_says_which_documents_run(manifest: Path) -> None:
    trusted = security_posture(Settings(jwt_secret=JWT_SECRET, documents="trusted", documents_manifest=manifest))
    assert f"documents: trusted: only the documents of {manifest}" in trusted
    shared = security_posture(Settings(jwt_secret=JWT_SECRET, redis_url="redis://127.0.0.1:6379/0", apq_cache_size=50))
    assert "documents: any text, or by hash once registered (50 per worker, shared in Redis)" in shared
