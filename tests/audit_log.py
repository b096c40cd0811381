"""Counting audit records, for tests that check a mutation left exactly the records it should."""

from __future__ import annotations

from models.audit import AuditOutcome, AuditRecord
from models.members import Account
from tests.callers import Caller


async def audit_count(action: str, outcome: AuditOutcome, actor: Account | Caller | str | None = None, **filters) -> int:
    """Records of `action` with `outcome`, by `actor` (an account, a caller or an account name)
    when given, narrowed by `filters` (`target="Solution:7"`)."""
    if isinstance(actor, str):
        actor = await Account.get(name=actor)
    elif isinstance(actor, Caller):
        actor = await actor.account()
    if actor is not None:
        filters["actor_id"] = actor.id
    return await AuditRecord.filter(action=action, outcome=outcome, **filters).count()
