"""Append-only audit records of mutations and security events."""

from __future__ import annotations

from typing import Any

from models.audit import AuditOutcome, AuditRecord
from resolvers.principal import Principal

# Input keys whose values never reach the audit log.
_SECRET_MARKERS = ("secret", "token", "password", "verificationcode")
REDACTED = "[redacted]"


def _secret(key: str) -> bool:
    # Inputs arrive as snake_case or camelCase: compare without case and underscores.
    folded = key.lower().replace("_", "")
    return any(marker in folded for marker in _SECRET_MARKERS)


def redact(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: REDACTED if _secret(k) else redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


async def write_audit(
    principal: Principal, *, action: str, outcome: AuditOutcome, request_id: str,
    target: str = "", input: dict[str, Any] | None = None,
) -> AuditRecord:
    return await AuditRecord.create(
        actor_id=principal.account_id,
        partner_id=principal.partner_id,
        roles=list(principal.roles),
        action=action,
        target=target[:200],
        outcome=outcome,
        request_id=request_id,
        input=redact(input or {}),
    )
