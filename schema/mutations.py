"""What every mutation shares: `userErrors`, one transaction, an audit record for every outcome."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Any, TypeVar

import strawberry
from tortoise.transactions import in_transaction

from models.audit import AuditOutcome
from resolvers.audit.services import write_audit
from resolvers.errors import USER_ERROR_DESCRIPTIONS, Refusal, Refusals, UserErrorCode as ModelUserErrorCode
from schema.permissions.directive import PUBLIC

log = logging.getLogger("gateway.mutations")
T = TypeVar("T")

UserErrorCode = strawberry.enum(ModelUserErrorCode, description="Why a mutation refused a change.")
for _value in UserErrorCode.__strawberry_definition__.values:  # type: ignore[attr-defined]
    _value.description = USER_ERROR_DESCRIPTIONS[ModelUserErrorCode(_value.value)]


@strawberry.type(description="A business reason a mutation refused the change; nothing was changed.", directives=[PUBLIC])
class UserError:
    field: list[str] | None = strawberry.field(description="Path to the input field at fault, if one is.")
    message: str = strawberry.field(description="What is wrong, for people.")
    code: UserErrorCode = strawberry.field(description="What is wrong, for programs.")


def _plain(value: Any) -> Any:
    """Input objects as JSON-friendly data, for the audit record."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


async def run_mutation(
    info: strawberry.Info, action: str, input: Any, change: Callable[[], Awaitable[T]], target: Callable[[T], str] = lambda _: "",
) -> tuple[T | None, list[UserError]]:
    """Run `change` in one transaction with its audit record; refusals roll back and are audited alone."""
    context = info.context
    audit = {"action": action, "request_id": context.request_id, "input": _plain(input)}
    try:
        async with in_transaction():
            result = await change()
            await write_audit(context.principal, outcome=AuditOutcome.SUCCESS, target=target(result), **audit)
        return result, []
    except (Refusal, Refusals) as exc:
        refusals = exc.refusals if isinstance(exc, Refusals) else [exc]
        await write_audit(context.principal, outcome=AuditOutcome.USER_ERROR, **audit)
        return None, [UserError(field=r.field, message=r.message, code=r.code) for r in refusals]
    except Exception:
        # The change rolled back; record the failure on its own, then let the error be masked.
        await write_audit(context.principal, outcome=AuditOutcome.FAILED, **audit)
        raise
