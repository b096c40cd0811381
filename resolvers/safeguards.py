"""Verification codes for sensitive operations, and idempotency keys for money mutations."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from models.partners import Partner
from models.safeguards import IdempotencyRecord, VerificationCode, VerificationPurpose
from resolvers.errors import Refusal
from resolvers.errors import UserErrorCode as Code
from resolvers.outbox import Outbox, Secret
from resolvers.principal import Principal

CODE_TTL = timedelta(minutes=5)
CODES_PER_WINDOW = 5
CODE_WINDOW = timedelta(minutes=10)


def _hash_code(account_id: int, purpose: VerificationPurpose, code: str) -> str:
    return hashlib.sha256(f"{account_id}:{purpose.value}:{code}".encode()).hexdigest()


async def issue_code(principal: Principal, purpose: VerificationPurpose) -> tuple[str, datetime]:
    """A fresh 6-digit code for the caller and purpose. Returned once: to be delivered, never stored."""
    now = datetime.now(UTC)
    recent = await VerificationCode.filter(account_id=principal.account_id, created_at__gte=now - CODE_WINDOW).count()
    if recent >= CODES_PER_WINDOW:
        raise Refusal(Code.LIMIT_EXCEEDED, f"At most {CODES_PER_WINDOW} codes per {CODE_WINDOW.seconds // 60} minutes.")
    code = f"{secrets.randbelow(1_000_000):06d}"
    expires = now + CODE_TTL
    await VerificationCode.create(account_id=principal.account_id, purpose=purpose,
                                  code_hash=_hash_code(principal.account_id, purpose, code), expires_at=expires)
    return code, expires


async def request_code(principal: Principal, *, purpose: VerificationPurpose, outbox: Outbox) -> datetime:
    """A fresh code, on its way to the caller once the request commits; when it stops working."""
    code, expires = await issue_code(principal, purpose)
    outbox.send(Secret("verification", "verification code", principal.account_name, purpose.value, code))
    return expires


async def require_code(principal: Principal, purpose: VerificationPurpose, code: str | None, field: str = "verificationCode",
                       *, always: bool = False) -> None:
    """When the caller's partner has the switch on, consume a valid code (one use, atomically). A
    customer account always confirms with a code: what it answers binds its own cloud account; so
    does every caller for an operation that is `always` confirmed (a new mobile number)."""
    if not (principal.is_customer or always):
        if principal.partner_id is None:
            return
        enabled = await Partner.filter(id=principal.partner_id).values_list("verification_code_enabled", flat=True)
        if not enabled or not enabled[0]:
            return
    if not code:
        raise Refusal(Code.VERIFICATION_FAILED, "This operation needs a verification code (verificationCodeRequest).", [field])
    now = datetime.now(UTC)
    used = await VerificationCode.filter(
        account_id=principal.account_id, purpose=purpose, code_hash=_hash_code(principal.account_id, purpose, code),
        used_at__isnull=True, expires_at__gt=now,
    ).update(used_at=now)
    if not used:
        raise Refusal(Code.VERIFICATION_FAILED, "The verification code is wrong, used or expired.", [field])


def input_hash(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


async def previous_result(principal: Principal, action: str, key: str, digest: str) -> str | None:
    """The result reference of an earlier call with this key, if there was one."""
    record = await IdempotencyRecord.get_or_none(account_id=principal.account_id, action=action, key=key)
    if record is None:
        return None
    if record.input_hash != digest:
        raise Refusal(Code.CONFLICT, "This idempotency key was used with different input.", ["idempotencyKey"])
    return record.result_ref


async def claim_key(principal: Principal, action: str, key: str, digest: str) -> IdempotencyRecord:
    """Claim the key inside the mutation's transaction; a concurrent claim of the same key fails
    on the unique constraint (after waiting for ours, on PostgreSQL) and then replays our result."""
    return await IdempotencyRecord.create(account_id=principal.account_id, action=action, key=key, input_hash=digest)
