"""`partner-gateway serve --demo` end to end: a real server process on 127.0.0.1, a real token.

One server is started for the module (fresh SQLite file, no JWT secret in the environment,
so `serve` and `token` must agree through the development secret file) and always stopped.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from gateway.config import Settings
from gateway.cli import DEMO_ACCOUNTS
from gateway.tokens import verify_token
from tests.cli import cli_command, cli_env

HOST = "127.0.0.1"
START_TIMEOUT = 60
STOP_TIMEOUT = 10


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    workdir: Path
    port: int
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes]

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def settings(self) -> Settings:
        return Settings(database_url=self.env["GATEWAY_DATABASE_URL"], jwt_secret=None, dev_secret_file=None)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def token(self, account_name: str) -> str:
        result = subprocess.run(
            [*cli_command(), "token", account_name], cwd=self.workdir, env=self.env,
            capture_output=True, text=True, timeout=60,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout.strip()


def _stop(process: subprocess.Popen[bytes]) -> int:
    """Ctrl-C, as a user would; a kill only if the server has not stopped 10 s later."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)
    return process.returncode


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("serve-live")
    env = cli_env(f"sqlite://{workdir / 'gw.db'}")
    port = free_port()
    log = workdir / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [*cli_command(), "serve", "--demo", "--host", HOST, "--port", str(port)],
            cwd=workdir, env=env, stdout=sink, stderr=subprocess.STDOUT,
        )
    live = LiveServer(workdir, port, env, log, process)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"serve exited with {process.returncode}:\n{live.output()}", pytrace=False)
            try:
                if httpx.get(f"{live.base_url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"serve did not answer /healthz within {START_TIMEOUT} s:\n{live.output()}", pytrace=False)
            time.sleep(0.2)
        yield live
    finally:
        _stop(process)


@pytest.fixture(scope="module")
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        yield http


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
    token = server.token("distributor.admin")
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
    output = server.output()
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
