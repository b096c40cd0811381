"""`partner-gateway serve --demo` end to end: a real server process on 127.0.0.1, a real token.

One server is started for the module (fresh SQLite file, no JWT secret in the environment,
so `serve` and `token` must agree through the development secret file) and always stopped.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser

import httpx
import pytest

from gateway.cli import DEMO_ACCOUNTS
from gateway.tokens import verify_token
from tests.cli import cli_command
from tests.live_server import LiveServer, live_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("serve-live"), demo="serve", jwt_secret=None) as live:
        yield live


@pytest.fixture(scope="module")
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        yield http


def cli_token(server: LiveServer, account_name: str) -> str:
    """`partner-gateway token`, run beside the server: it must find the same development secret."""
    result = subprocess.run(
        [*cli_command(), "token", account_name], cwd=server.workdir, env=server.env,
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


class _AssetRefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.refs.append(attributes["src"] or "")
        elif tag == "link" and attributes.get("rel") == "stylesheet":
            self.refs.append(attributes.get("href") or "")


def test_probes_answer_without_authentication(client: httpx.Client) -> None:
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["status"] == "ready"


def test_graphiql_page_and_its_assets_load(client: httpx.Client) -> None:
    page = client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200, page.text[:500]
    assert page.headers["content-type"].startswith("text/html")
    assert "GraphiQL" in page.text
    assert 'data-endpoint="/graphql"' in page.text
    parser = _AssetRefs()
    parser.feed(page.text)
    assert any(ref.endswith(".js") for ref in parser.refs) and any(ref.endswith(".css") for ref in parser.refs)
    for ref in parser.refs:
        asset = client.get(ref)
        assert asset.status_code == 200, ref
        assert len(asset.content) > 200, ref


def test_graphql_without_a_token_is_refused(client: httpx.Client) -> None:
    response = client.post("/graphql", json={"query": "{ viewer { account { name } } }"})
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert response.headers.get("x-request-id")


PARTNER_QUERY = """
query {
  viewer {
    account { name }
    partner {
      name
      members(first: 5) { totalCount nodes { id } }
      invitations(first: 5) { totalCount nodes { id } }
      specialists(first: 5) { totalCount nodes { id } }
      expertApplications(first: 5) { totalCount nodes { id } }
      solutions(first: 20) { totalCount nodes { id coSaleProducts(first: 5) { totalCount } } }
      couponQuotas(first: 5) { totalCount nodes { id } }
      coupons(first: 50) { totalCount nodes { id usageRecords(first: 5) { totalCount } } }
      couponOperations(first: 5) { totalCount nodes { id } }
      tasks(first: 20) { totalCount nodes { id details(first: 5) { totalCount } } }
    }
  }
}
"""


def test_cli_token_reads_the_distributor_demo_data(server: LiveServer, client: httpx.Client) -> None:
    token = cli_token(server, "distributor.admin")
    assert verify_token(server.settings, token) == "distributor.admin"
    response = client.post("/graphql", json={"query": PARTNER_QUERY}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert not body.get("errors"), body["errors"]
    viewer = body["data"]["viewer"]
    assert viewer["account"]["name"] == "distributor.admin"
    partner = viewer["partner"]
    assert partner is not None

    for connection in (
        "members", "invitations", "specialists", "expertApplications", "solutions",
        "couponQuotas", "coupons", "couponOperations", "tasks",
    ):
        assert partner[connection]["totalCount"] > 0, connection
        assert partner[connection]["nodes"], connection
        assert len(partner[connection]["nodes"]) <= partner[connection]["totalCount"], connection

    for parent, child in (("solutions", "coSaleProducts"), ("coupons", "usageRecords"), ("tasks", "details")):
        counts = [node[child]["totalCount"] for node in partner[parent]["nodes"]]
        assert sum(counts) > 0, f"no {parent} node has {child}: {counts}"


def test_serve_prints_a_token_and_a_curl_line_per_demo_account(server: LiveServer, client: httpx.Client) -> None:
    output = server.messages()
    assert "Seeded the demo data." in output
    url = f"{server.base_url}/graphql"
    assert f"GraphiQL: {url}" in output
    for name in DEMO_ACCOUNTS:
        match = re.search(
            rf"^{re.escape(name)}:\n\s+curl -s {re.escape(url)} -H 'Authorization: Bearer ([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)'",
            output,
            re.MULTILINE,
        )
        assert match, f"no curl line for {name}:\n{output[:3000]}"
        token = match.group(1)
        assert verify_token(server.settings, token) == name
    # A printed token works against the running server, as the curl line promises.
    match = re.search(r"^person\.alice:\n\s+curl .*Bearer ([^']+)'", output, re.MULTILINE)
    assert match
    response = client.post(
        "/graphql",
        json={"query": "{ viewer { account { name } permissions } }"},
        headers={"Authorization": f"Bearer {match.group(1)}"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["viewer"]["account"]["name"] == "person.alice"
