"""Request safety limits: body size, JSON nesting, size of `variables`.

Each check refuses before the expensive step it protects: the declared `Content-Length` before
reading, the running byte count while reading (chunked uploads declare nothing), the nesting
depth before the JSON parser recurses, the variables before GraphQL coerces them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from itertools import accumulate
from typing import Any

import orjson
from starlette.types import Message, Receive

from gateway.http_refusals import RequestRefused
from resolvers.errors import ErrorCode

# A JSON string, escapes included; brackets inside strings do not nest anything.
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKETS = b"[]{}"
_NOT_BRACKETS = bytes(b for b in range(256) if b not in _BRACKETS)
# Opening brackets become +1, closing ones -1 (0xff read as a signed byte).
_AS_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")


def body_too_large(limit: int) -> RequestRefused:
    return RequestRefused(413, ErrorCode.PAYLOAD_TOO_LARGE, f"The request body is larger than {limit} bytes.", limit=limit)


def check_content_length(headers: Mapping[str, str], limit: int) -> None:
    declared = headers.get("content-length")
    if declared is None:
        return
    if not declared.isdigit():
        raise RequestRefused(400, ErrorCode.BAD_REQUEST, "The Content-Length header is not a number.")
    if int(declared) > limit:
        raise body_too_large(limit)


def limit_body(receive: Receive, limit: int) -> Receive:
    """Wrap `receive` so that reading past `limit` body bytes raises PAYLOAD_TOO_LARGE."""
    received = 0

    async def receive_within_limit() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise body_too_large(limit)
        return message

    return receive_within_limit


def json_depth_exceeds(raw: bytes | str, limit: int) -> bool:
    """Whether a JSON text opens more than `limit` arrays/objects at once, found without parsing.

    Strings are cut out first (one regex pass in C); what remains is only structure and scalars.
    A malformed text is judged by how deep it gets before it breaks, as a parser would be.
    """
    data = raw.encode() if isinstance(raw, str) else raw
    structure = _JSON_STRING.sub(b"", data)
    if structure.count(b"[") + structure.count(b"{") <= limit:
        return False
    steps = memoryview(structure.translate(_AS_STEPS, _NOT_BRACKETS)).cast("b")
    return max(accumulate(steps)) > limit


def check_json_depth(raw: bytes | str, limit: int) -> None:
    if json_depth_exceeds(raw, limit):
        raise RequestRefused(400, ErrorCode.BAD_REQUEST, f"The JSON in the request is nested deeper than {limit} levels.",
                             limit=limit)


def check_variables_size(variables: dict[str, Any] | None, limit: int) -> None:
    # Measured as compact JSON, the same whether they came in a POST body or a GET query string.
    if variables and len(orjson.dumps(variables)) > limit:
        raise RequestRefused(413, ErrorCode.PAYLOAD_TOO_LARGE, f"The variables are larger than {limit} bytes.", limit=limit)
