"""Typed failures raised below the schema; the schema maps them to `extensions.code`."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    CONFLICT = "CONFLICT"
    RATE_LIMITED = "RATE_LIMITED"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    OPERATION_LIMIT_EXCEEDED = "OPERATION_LIMIT_EXCEEDED"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    BAD_REQUEST = "BAD_REQUEST"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    NOT_ACCEPTABLE = "NOT_ACCEPTABLE"
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
    CSRF_PREFLIGHT_REQUIRED = "CSRF_PREFLIGHT_REQUIRED"
    TIMEOUT = "TIMEOUT"
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    PERSISTED_QUERY_HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
    PERSISTED_QUERY_NOT_IN_LIST = "PERSISTED_QUERY_NOT_IN_LIST"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class GatewayError(Exception):
    code: ErrorCode = ErrorCode.INTERNAL_SERVER_ERROR

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extensions = extensions


class Unauthenticated(GatewayError):
    code = ErrorCode.UNAUTHENTICATED


class Forbidden(GatewayError):
    code = ErrorCode.FORBIDDEN


class NotFound(GatewayError):
    code = ErrorCode.NOT_FOUND


class BadUserInput(GatewayError):
    code = ErrorCode.BAD_USER_INPUT


class UserErrorCode(StrEnum):
    """Why a mutation was refused for a business reason (reported in its `userErrors`)."""

    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    TOO_LONG = "TOO_LONG"
    NOT_FOUND = "NOT_FOUND"
    INVALID_STATE = "INVALID_STATE"
    NOT_ALLOWED = "NOT_ALLOWED"
    CONFLICT = "CONFLICT"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
    INSUFFICIENT_FUNDS = "INSUFFICIENT_FUNDS"
    VERIFICATION_FAILED = "VERIFICATION_FAILED"


USER_ERROR_DESCRIPTIONS = {
    UserErrorCode.INVALID: "A value is not acceptable.",
    UserErrorCode.REQUIRED: "A required value is missing or empty.",
    UserErrorCode.TOO_LONG: "A text is longer than allowed.",
    UserErrorCode.NOT_FOUND: "A referenced object does not exist or is not yours.",
    UserErrorCode.INVALID_STATE: "The object's current state does not allow this change.",
    UserErrorCode.NOT_ALLOWED: "The rules of the domain forbid this change.",
    UserErrorCode.CONFLICT: "The change conflicts with existing data (e.g. a duplicate name).",
    UserErrorCode.LIMIT_EXCEEDED: "A count, amount or rate limit would be exceeded.",
    UserErrorCode.INSUFFICIENT_FUNDS: "The quota or balance does not cover the amount.",
    UserErrorCode.VERIFICATION_FAILED: "A verification code is required, wrong, used or expired.",
}


class Refusal(Exception):
    """A business rule refused the change; the whole transaction rolls back."""

    def __init__(self, code: UserErrorCode, message: str, field: list[str] | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


class Refusals(Exception):
    """Several refusals at once (all input problems are reported together)."""

    def __init__(self, refusals: list[Refusal]) -> None:
        super().__init__("; ".join(r.message for r in refusals))
        self.refusals = refusals
