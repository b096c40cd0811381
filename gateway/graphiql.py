"""Self-hosted GraphiQL for the Partner Gateway.

Stock strawberry renders a GraphiQL page that pulls React and GraphiQL from a
public CDN. Many partner networks (and our own build environment) cannot reach
that CDN, so the stock page comes up blank there. This module serves the same
IDE from files vendored under ``gateway/static/graphiql/`` (versions, checksums
and licences are listed in ``VERSIONS.txt`` there), so GraphiQL needs nothing
beyond the gateway itself.

The page has no inline script or style, so it keeps working under a strict
``Content-Security-Policy`` (``default-src 'self'``).

Deciding when ``GET /graphql`` returns this page rather than a GraphQL result
is left to the caller; this module only builds the page and the asset routes.
The app mounts them only while ``Settings.graphiql_enabled`` (on in development,
off in production unless ``GATEWAY_GRAPHIQL=on``); otherwise the page request
answers 404 ``NOT_FOUND`` (``gateway/http_transport.py``).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

GRAPHIQL_ASSETS_PATH: Path = Path(__file__).resolve().parent / "static" / "graphiql"

# Stylesheets, then scripts in dependency order: GraphiQL's UMD bundle reads the
# React and ReactDOM globals when it loads, and boot.js needs all three.
_STYLESHEETS = ("graphiql.min.css", "boot.css")
_SCRIPTS = (
    "react.production.min.js",
    "react-dom.production.min.js",
    "graphiql.min.js",
    "boot.js",
)

DEFAULT_QUERY = """\
# Partner Gateway
#
# Every request needs a bearer token.
# Get one with:
#
#   partner-gateway token distributor.admin
#
# then paste it into the Headers tab below:
#
#   {"Authorization": "Bearer <token>"}
#
query {
  viewer {
    account {
      name
    }
    permissions
  }
}
"""


def graphiql_html(endpoint: str = "/graphql", assets_prefix: str = "/graphiql-assets") -> str:
    """Return the GraphiQL page that talks to ``endpoint`` and loads assets from ``assets_prefix``."""
    prefix = assets_prefix.rstrip("/")
    styles = "\n".join(
        f'    <link rel="stylesheet" href="{escape(f"{prefix}/{name}")}">' for name in _STYLESHEETS
    )
    scripts = "\n".join(
        f'    <script src="{escape(f"{prefix}/{name}")}"></script>' for name in _SCRIPTS
    )
    return f"""<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Partner Gateway — GraphiQL</title>
    <!-- Empty data: icon so the browser does not request /favicon.ico and log a 404. -->
    <link rel="icon" href="data:,">
{styles}
  </head>
  <body>
    <div id="graphiql" data-endpoint="{escape(endpoint)}" data-default-query="{escape(DEFAULT_QUERY)}"></div>
    <noscript>GraphiQL needs JavaScript.</noscript>
{scripts}
  </body>
</html>
"""


def graphiql_routes(
    endpoint: str = "/graphql", assets_prefix: str = "/graphiql-assets"
) -> list[BaseRoute]:
    """Return the Starlette routes that serve the vendored GraphiQL assets.

    ``endpoint`` is accepted so callers can pass the same arguments here and to
    :func:`graphiql_html`; the assets themselves do not depend on it.
    """
    return [
        Mount(
            assets_prefix.rstrip("/"),
            app=StaticFiles(directory=GRAPHIQL_ASSETS_PATH),
            name="graphiql-assets",
        )
    ]
