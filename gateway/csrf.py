"""CSRF prevention for /graphql, as Apollo Server does it.

A browser sends a cross-site request without a CORS preflight only when it is "simple": a GET,
or a POST whose `Content-Type` is text/plain, application/x-www-form-urlencoded or
multipart/form-data (or absent). Such a request could come from any page the user visits, so it
runs only when it carries a non-empty preflight header (`GraphQL-Require-Preflight` by default):
a page can set a custom header only after a successful CORS preflight, which our allowlist
decides. A POST with `Content-Type: application/json` is never simple, so ordinary clients
need nothing extra.
"""

from __future__ import annotations

from collections.abc import Mapping

from gateway.http_refusals import RequestRefused
from gateway.media_types import parse_media_type
from resolvers.errors import ErrorCode

SIMPLE_CONTENT_TYPES = frozenset({"text/plain", "application/x-www-form-urlencoded", "multipart/form-data"})


def is_simple_request(method: str, content_type: str | None) -> bool:
    if method != "POST":
        return True
    if content_type is None:
        return True
    return parse_media_type(content_type)[0] in SIMPLE_CONTENT_TYPES


def check_preflight(method: str, headers: Mapping[str, str], header_name: str) -> None:
    """Raise CSRF_PREFLIGHT_REQUIRED for a simple request without the preflight header."""
    if not is_simple_request(method, headers.get("content-type")):
        return
    if headers.get(header_name, "").strip():
        return
    raise RequestRefused(
        400, ErrorCode.CSRF_PREFLIGHT_REQUIRED,
        "This request was blocked as a possible cross-site request forgery (CSRF). Send it as a POST with "
        f"`Content-Type: application/json`, or add a non-empty `{header_name}` header.",
        header=header_name,
    )
