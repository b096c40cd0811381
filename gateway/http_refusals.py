"""A request the transport refuses before any GraphQL runs, answered as a typed GraphQL error.

Every refusal (bad method, oversize body, missing CSRF preflight header, unacceptable `Accept`,
unsupported `Content-Type`, malformed JSON ...) has the same body shape as any other GraphQL
error, `{"errors": [{"message": ..., "extensions": {"code": ...}}]}`, with no `data` entry:
nothing was executed.
"""

from __future__ import annotations

from typing import Any

import orjson
from cross_web import HTTPException
from starlette.responses import Response

from gateway.media_types import JSON, response_content_type
from resolvers.errors import ErrorCode

# strawberry refuses a few malformed requests itself (no query, unknown operation name, JSON that
# does not parse); those keep their status and get the code that matches it.
_CODE_BY_STATUS = {
    400: ErrorCode.BAD_REQUEST,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    406: ErrorCode.NOT_ACCEPTABLE,
    413: ErrorCode.PAYLOAD_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
}


class RequestRefused(Exception):
    """`json_status`: the status when the answer is application/json, if not `status` (a request
    error that legacy clients expect as 200, as GraphQL over HTTP allows for that media type)."""

    def __init__(self, status: int, code: ErrorCode, message: str, *, headers: dict[str, str] | None = None,
                 json_status: int | None = None, **extensions: Any) -> None:
        super().__init__(message)
        self.status = status
        self.json_status = json_status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extensions = extensions

    def body(self) -> dict[str, Any]:
        return {"errors": [{"message": self.message, "extensions": {**self.extensions, "code": self.code.value}}]}

    def response(self, media_type: str) -> Response:
        status = self.json_status if self.json_status is not None and media_type == JSON else self.status
        return Response(orjson.dumps(self.body()), status_code=status, headers=self.headers,
                        media_type=response_content_type(media_type))


def refusal_from_http_exception(exc: HTTPException) -> RequestRefused:
    code = _CODE_BY_STATUS.get(exc.status_code, ErrorCode.BAD_REQUEST)
    return RequestRefused(exc.status_code, code, exc.reason)
