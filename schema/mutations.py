"""What every mutation shares: `userErrors`, one transaction, an audit record for every outcome."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Any, TypeVar

import strawberry
from strawberry import relay
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.audit import AuditOutcome
from resolvers.audit.services import write_audit
from models.safeguards import IdempotencyRecord
from resolvers.errors import USER_ERROR_DESCRIPTIONS, Forbidden, Refusal, Refusals, UserErrorCode as ModelUserErrorCode
from resolvers.safeguards import claim_key, input_hash, previous_result
from schema.permissions.directive import PUBLIC
from schema.relay import MAX_PK

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
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


class _Replay(Exception):
    """An earlier call with the same idempotency key applied the change; leave and answer its result."""


async def _claim_or_replay(principal: Any, action: str, key: str, digest: str) -> IdempotencyRecord:
    """Inside the transaction the key protects: the earlier result, or this call's claim on the key.

    On SQLite the write transaction holds the database's write lock, so the lookup alone decides;
    on PostgreSQL a concurrent claim of the same key waits on the unique index until the first
    transaction ends, then fails and replays its result.
    """
    if await previous_result(principal, action, key, digest) is not None:
        raise _Replay
    try:
        async with in_transaction():  # a savepoint: a lost claim must not poison the transaction
            return await claim_key(principal, action, key, digest)
    except IntegrityError as exc:
        raise _Replay from exc


async def run_mutation(
    info: strawberry.Info, action: str, input: Any, change: Callable[[], Awaitable[T]],
    target: Callable[[T], str] = lambda _: "", *,
    idempotency_key: str | None = None, replay: Callable[[str], Awaitable[T]] | None = None,
) -> tuple[T | None, list[UserError]]:
    """Run `change` in one transaction with its audit record; refusals roll back and are audited alone.

    With an `idempotency_key`, the first successful result is remembered under the caller's key
    (as `target(result)`) and a repeat, even a concurrent one, answers `replay(ref)` and applies nothing.
    """
    context = info.context
    principal = context.principal
    plain = _plain(input)
    audit = {"action": action, "request_id": context.request_id, "input": plain}
    # A retry after a lost answer carries a fresh one-time code: the code is not part of "the same input".
    digest = input_hash({k: v for k, v in plain.items() if k != "verification_code"}) if idempotency_key is not None else ""
    if idempotency_key is not None and replay is None:
        raise TypeError("an idempotent mutation needs a replay function")
    try:
        if idempotency_key is not None:
            check_key(idempotency_key)
        async with in_transaction():
            claim = None
            if idempotency_key is not None:
                claim = await _claim_or_replay(principal, action, idempotency_key, digest)
            result = await change()
            ref = target(result)
            if claim is not None:
                await IdempotencyRecord.filter(id=claim.id).update(result_ref=ref)
            await write_audit(principal, outcome=AuditOutcome.SUCCESS, target=ref, **audit)
        return result, []
    except _Replay:
        # Committed by the call that applied it: read after our own transaction has ended.
        ref = await previous_result(principal, action, idempotency_key, digest)  # type: ignore[arg-type]
        return await replay(ref or ""), []  # type: ignore[misc]
    except (Refusal, Refusals) as exc:
        refusals = exc.refusals if isinstance(exc, Refusals) else [exc]
        await write_audit(principal, outcome=AuditOutcome.USER_ERROR, **audit)
        return None, [UserError(field=r.field, message=r.message, code=r.code) for r in refusals]
    except IntegrityError:
        # A constraint the service's own checks did not foresee (a race, a duplicate): the caller's
        # change conflicts with stored data. The SQL text stays in the server log.
        log.warning("constraint violation in %s (request %s)", action, context.request_id, exc_info=True)
        await write_audit(principal, outcome=AuditOutcome.USER_ERROR, **audit)
        return None, [UserError(field=None, message="The change conflicts with existing data; reload and try again.",
                                code=UserErrorCode.CONFLICT)]
    except Forbidden:
        await write_audit(principal, outcome=AuditOutcome.DENIED, **audit)
        raise
    except Exception:
        # The change rolled back; record the failure on its own, then let the error be masked.
        await write_audit(principal, outcome=AuditOutcome.FAILED, **audit)
        raise


def check_key(key: str) -> None:
    if not 1 <= len(key) <= 100:
        raise Refusal(ModelUserErrorCode.INVALID, "`idempotencyKey` must be 1 to 100 characters.", ["idempotencyKey"])


def mutation_pk(global_id: relay.GlobalID, type_name: str, *field: str) -> int:
    """The primary key in an input's global ID; a wrong or foreign type is the input's fault (NOT_FOUND)."""
    if global_id.type_name != type_name:
        raise Refusal(ModelUserErrorCode.NOT_FOUND, f"Not the ID of a {type_name}.", list(field))
    try:
        pk = int(global_id.node_id)
    except ValueError as exc:
        raise Refusal(ModelUserErrorCode.NOT_FOUND, f"Not the ID of a {type_name}.", list(field)) from exc
    # Past the 32-bit primary keys no row exists, and the driver could not even bind the number.
    if not 0 < pk <= MAX_PK:
        raise Refusal(ModelUserErrorCode.NOT_FOUND, f"Not the ID of a {type_name}.", list(field))
    return pk
