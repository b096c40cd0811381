"""The self-hosted GraphiQL page must work with no internet access.

These tests guard against the page (or a future upgrade of the vendored files)
quietly depending on a CDN again, and against a referenced asset going missing,
which would leave users with a blank page rather than an error.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from gateway.graphiql import GRAPHIQL_ASSETS_PATH, graphiql_html, graphiql_routes


class _AssetRefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.inline_scripts = 0
        self.style_blocks = 0
        self._in_script_without_src = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script":
            if attributes.get("src"):
                self.refs.append(attributes["src"])
            else:
                self._in_script_without_src = True
        elif tag == "style":
            self.style_blocks += 1
        elif tag == "link" and attributes.get("rel") == "stylesheet":
            self.refs.append(attributes["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script_without_src = False

    def handle_data(self, data: str) -> None:
        if self._in_script_without_src and data.strip():
            self.inline_scripts += 1


def _parse(html: str) -> _AssetRefs:
    parser = _AssetRefs()
    parser.feed(html)
    parser.close()
    return parser


@pytest.fixture
def client() -> TestClient:
    return TestClient(Starlette(routes=graphiql_routes()))


def test_page_references_both_scripts_and_stylesheets() -> None:
    refs = _parse(graphiql_html()).refs
    assert any(ref.endswith(".js") for ref in refs)
    assert any(ref.endswith(".css") for ref in refs)


def test_every_referenced_asset_is_served(client: TestClient) -> None:
    refs = _parse(graphiql_html()).refs
    assert refs, "the page references no assets"
    for ref in refs:
        assert ref.startswith("/graphiql-assets/"), ref
        response = client.get(ref)
        assert response.status_code == 200, ref
        content_type = response.headers["content-type"]
        if ref.endswith(".js"):
            assert "javascript" in content_type, (ref, content_type)
        else:
            assert content_type.startswith("text/css"), (ref, content_type)
        # Anything this small is an empty or truncated file, not a real bundle.
        assert len(response.content) > 200, ref


def test_vendored_bundles_are_real_builds(client: TestClient) -> None:
    # A broken copy (e.g. a Git LFS pointer or an HTML error page saved by
    # mistake) would still be a 200; insist on the sizes of the real bundles.
    for name, minimum in {
        "graphiql.min.js": 500_000,
        "graphiql.min.css": 100_000,
        "react.production.min.js": 5_000,
        "react-dom.production.min.js": 100_000,
    }.items():
        assert len(client.get(f"/graphiql-assets/{name}").content) >= minimum, name


def test_page_has_no_external_urls() -> None:
    html = graphiql_html()
    assert re.search(r"https?://", html) is None
    # Protocol-relative URLs would reach out to the network just the same.
    assert re.search(r"""(src|href)\s*=\s*["']//""", html) is None


def test_page_needs_no_inline_script_or_style() -> None:
    # Keeps the page usable under a strict Content-Security-Policy.
    parsed = _parse(graphiql_html())
    assert parsed.inline_scripts == 0
    assert parsed.style_blocks == 0
    assert " style=" not in graphiql_html()


def test_endpoint_is_embedded() -> None:
    assert 'data-endpoint="/graphql"' in graphiql_html()
    assert 'data-endpoint="/partners/graphql"' in graphiql_html(endpoint="/partners/graphql")


def test_endpoint_is_html_escaped() -> None:
    html = graphiql_html(endpoint='/graphql?x="><script>')
    assert '"><script>' not in html
    assert "&quot;&gt;&lt;script&gt;" in html


def test_custom_assets_prefix_is_used_and_served() -> None:
    prefix = "/static/gql"
    refs = _parse(graphiql_html(assets_prefix=prefix + "/")).refs
    assert refs and all(ref.startswith(prefix + "/") for ref in refs)
    client = TestClient(Starlette(routes=graphiql_routes(assets_prefix=prefix)))
    for ref in refs:
        assert client.get(ref).status_code == 200, ref


def test_page_explains_how_to_authenticate() -> None:
    html = graphiql_html()
    assert "<title>Partner Gateway — GraphiQL</title>" in html
    assert "partner-gateway token distributor.admin" in html
    assert "Headers" in html


def test_licences_ship_with_the_vendored_files() -> None:
    versions = (GRAPHIQL_ASSETS_PATH / "VERSIONS.txt").read_text()
    for package in ("graphiql@", "react@", "react-dom@"):
        assert package in versions
    licences = sorted(GRAPHIQL_ASSETS_PATH.glob("LICENSE*"))
    assert len(licences) >= 3
    for licence in licences:
        assert "MIT License" in licence.read_text()
