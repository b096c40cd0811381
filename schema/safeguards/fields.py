"""The input fields of sensitive mutations: the verification code and the idempotency key."""

from __future__ import annotations

from typing import Any

import strawberry

VERIFICATION_CODE = "The one-time code (verificationCodeRequest) when your partner has verification codes switched on."
CUSTOMER_VERIFICATION_CODE = "The one-time code (verificationCodeRequest, purpose CUSTOMER_AUTHORIZATION): always required."
IDEMPOTENCY_KEY = ("Any string of 1 to 100 characters you choose per operation: a repeat with the same key answers the "
                   "first result and applies nothing again; the same key with other input is a CONFLICT.")


def code_field(description: str = VERIFICATION_CODE) -> Any:
    return strawberry.field(default=None, description=description)


def key_field() -> Any:
    return strawberry.field(default=None, description=IDEMPOTENCY_KEY)
