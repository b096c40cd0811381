"""Apollo's persisted-query protocol as clients speak it: `extensions.persistedQuery = {version: 1,
sha256Hash}` beside (or instead of) `query`, and the answers Apollo Client's persisted-query link
acts on.

The link retries with the full query when an answer carries an error whose message is
`PersistedQueryNotFound` or whose `extensions.code` is `PERSISTED_QUERY_NOT_FOUND`, whatever the
status; it reads the body of a non-2xx application/json answer too. So the miss is 200 as
application/json (what Apollo Server answers, for clients that treat any other status as a network
failure) and 404 as application/graphql-response+json, whose 4xx statuses say "nothing was executed";
either way not cacheable, since the same request succeeds once the document is registered.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from gateway.http_refusals import RequestRefused
from resolvers.errors import ErrorCode

VERSION = 1
NOT_FOUND_MESSAGE = "PersistedQueryNotFound"
_SHA256_HEX = re.compile(r"[0-9a-fA-F]{64}")
# What Apollo Server sends with a miss: an intermediary must not keep it for the next request.
_NOT_CACHEABLE = {"Cache-Control": "private, no-cache, must-revalidate"}


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def is_sha256_hex(value: object) -> bool:
    return isinstance(value, str) and _SHA256_HEX.fullmatch(value) is not None


def _bad_request(message: str) -> RequestRefused:
    return RequestRefused(400, ErrorCode.BAD_REQUEST, message)


def requested_hash(extensions: dict[str, Any] | None) -> str | None:
    """The lowercase SHA-256 the request names in `extensions.persistedQuery`, or None without one."""
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict):
        raise _bad_request("`extensions.persistedQuery` must be an object: {\"version\": 1, \"sha256Hash\": \"<64 hex digits>\"}.")
    version = persisted.get("version")
    if version != VERSION or isinstance(version, bool):
        raise _bad_request(f"Unsupported persisted query version {version!r}: this gateway speaks version {VERSION}.")
    sha = persisted.get("sha256Hash")
    if not is_sha256_hex(sha):
        raise _bad_request("`extensions.persistedQuery.sha256Hash` must be the document's SHA-256 as 64 hexadecimal digits.")
    return str(sha).lower()


def not_found() -> RequestRefused:
    return RequestRefused(404, ErrorCode.PERSISTED_QUERY_NOT_FOUND, NOT_FOUND_MESSAGE, json_status=200,
                          headers=dict(_NOT_CACHEABLE))


def hash_mismatch(sha: str) -> RequestRefused:
    return RequestRefused(400, ErrorCode.PERSISTED_QUERY_HASH_MISMATCH,
                          f"The query's SHA-256 is not {sha}: send the hash of exactly the text in `query` (UTF-8).")


def not_in_list() -> RequestRefused:
    return RequestRefused(403, ErrorCode.PERSISTED_QUERY_NOT_IN_LIST,
                          "This gateway runs trusted documents only, and this document is not one of them: "
                          "send a document of the client's persisted-query manifest (by its SHA-256).")
