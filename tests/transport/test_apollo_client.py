"""Apollo Client's persisted-query link, unchanged, against live gateways: what it sends and what it gets.

tests/transport/apollo_client/ pins @apollo/client and the rest in its package-lock.json;
client.ts (the README's snippet, compiled by tsc) builds the client, run.mjs sends the queries and
prints every request it made (through a fetch wrapper) with the answers. Skipped without Node.js,
a failure under CI=true (tests/transport/node.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.live_server import LiveServer, live_server
from tests.transport.node import npm_ci, tool

CLIENT_DIR = Path(__file__).resolve().parent / "apollo_client"
README = Path(__file__).resolve().parents[2] / "README.md"
RUN_TIMEOUT = 120
VIEWER = "query Viewer { viewer { account { name } } }"
DISPLAY_NAME = "query DisplayName { viewer { account { displayName } } }"
NOT_FOUND = [{"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture(scope="module")
def node() -> str:
    node = tool("node")
    npm_ci(CLIENT_DIR, "@apollo/client", "crypto-hash", "typescript")
    compiled = subprocess.run([node, "node_modules/typescript/bin/tsc", "-p", "."], cwd=CLIENT_DIR,
                              capture_output=True, text=True, timeout=RUN_TIMEOUT)
    assert compiled.returncode == 0, f"client.ts does not compile:\n{compiled.stdout}\n{compiled.stderr}"
    return node


def run_client(node: str, server: LiveServer, queries: list[str], accept: str | None = None) -> dict[str, Any]:
    env = {**os.environ, "GATEWAY_URL": server.url, "GATEWAY_TOKEN": server.token(), "QUERIES": json.dumps(queries)}
    env.pop("ACCEPT", None)
    if accept:
        env["ACCEPT"] = accept
    run = subprocess.run([node, "run.mjs"], cwd=CLIENT_DIR, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    assert run.returncode == 0, f"run.mjs failed:\n{run.stdout}\n{run.stderr}\n{server.output()[-3000:]}"
    return json.loads(run.stdout)


def wire(report: dict[str, Any]) -> list[tuple[str, bool, int]]:
    """Each request as (method, whether it carried the document's text, the answer's status)."""
    return [(r["method"], r["query"] is not None, r["status"]) for r in report["requests"]]


@pytest.fixture(scope="module")
def any_documents(node: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, dict[str, Any]]]:
    """One gateway with the default GATEWAY_DOCUMENTS=any; the Viewer query twice with Apollo Client's own
    Accept header, and another query twice with Accept: application/json."""
    with live_server(tmp_path_factory.mktemp("apollo-any")) as server:
        yield {
            "graphql-response+json": run_client(node, server, [VIEWER, VIEWER]),
            "json": run_client(node, server, [DISPLAY_NAME, DISPLAY_NAME], accept="application/json"),
        }


@pytest.mark.parametrize(("accept", "miss_status"), [("graphql-response+json", 404), ("json", 200)])
def test_a_miss_then_registration_then_the_hash_alone(any_documents: dict[str, dict[str, Any]], accept: str,
                                                       miss_status: int) -> None:
    report = any_documents[accept]
    assert wire(report) == [("GET", False, miss_status), ("POST", True, 200), ("GET", False, 200)], report
    miss, register, hit = report["requests"]
    assert miss["contentType"] == f"application/{accept}; charset=utf-8"
    assert miss["body"] == {"errors": NOT_FOUND}
    assert "no-cache" in miss["cacheControl"]
    # One hash throughout, and it is the SHA-256 of the text the link sent when asked for it.
    hashes = {r["extensions"]["persistedQuery"]["sha256Hash"] for r in report["requests"]}
    assert hashes == {sha256(register["query"])}
    assert all(r["extensions"]["persistedQuery"]["version"] == 1 for r in report["requests"])
    assert register["body"]["data"] == hit["body"]["data"]


def test_the_client_answers_the_data_both_times(any_documents: dict[str, dict[str, Any]]) -> None:
    viewer = any_documents["graphql-response+json"]["results"]
    assert [r["data"]["viewer"]["account"]["name"] for r in viewer] == ["distributor.admin"] * 2, viewer
    display = any_documents["json"]["results"]
    assert len(display) == 2 and all(r["data"]["viewer"]["account"]["displayName"] for r in display), display


@pytest.fixture(scope="module")
def trusted_documents(node: str, any_documents: dict[str, dict[str, Any]],
                      tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A gateway with GATEWAY_DOCUMENTS=trusted whose manifest holds the Viewer query as Apollo Client
    prints it (the text it registered above); the client then sends Viewer and DisplayName."""
    workdir = tmp_path_factory.mktemp("apollo-trusted")
    printed = any_documents["graphql-response+json"]["requests"][1]["query"]
    manifest = workdir / "persisted-documents.json"
    manifest.write_text(json.dumps({sha256(printed): printed}))
    with live_server(workdir, documents="trusted", documents_manifest=str(manifest)) as server:
        return run_client(node, server, [VIEWER, DISPLAY_NAME])


def test_trusted_a_manifest_document_runs_by_its_hash_alone(trusted_documents: dict[str, Any]) -> None:
    first = trusted_documents["requests"][0]
    assert (first["method"], first["query"], first["status"]) == ("GET", None, 200), trusted_documents
    assert trusted_documents["results"][0]["data"]["viewer"]["account"]["name"] == "distributor.admin"


def test_trusted_any_other_document_is_refused(trusted_documents: dict[str, Any]) -> None:
    # The link retries a miss with the text, which is not in the manifest: refused, and said so.
    assert wire(trusted_documents)[1:] == [("GET", False, 404), ("POST", True, 403)], trusted_documents
    refused = trusted_documents["results"][1]
    assert refused.get("codes") == ["PERSISTED_QUERY_NOT_IN_LIST"], refused


def test_the_readme_shows_the_client_the_test_runs() -> None:
    snippet = re.search(r"```ts\n(.*?)```", README.read_text(), re.S)
    assert snippet is not None, "README.md has no TypeScript snippet"
    assert snippet.group(1) == (CLIENT_DIR / "client.ts").read_text()
