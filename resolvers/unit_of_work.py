"""One mutation, one unit of work: a transaction that holds the change, its audit record and, for a
money mutation, the claim on its idempotency key; secrets the change produced are delivered once it
has committed.

Outcomes, each audited:
- applied: the change committed with a SUCCESS record (and the key remembers the result reference);
- replayed: an earlier call with the same key applied it; nothing changes and the caller gets that
  call's result reference, to read back through the result type's scoped read;
- refused: a `Refusal` rolled everything back; a USER_ERROR record is written on its own. So is an
  IntegrityError the service did not foresee (a race, a duplicate), answered as CONFLICT, and a
  deadlock or serialization failure the database resolved by rolling this transaction back;
- denied: `Forbidden` (a per-object permission) rolls back, is recorded DENIED and propagates;
- failed: anything else rolls back, is recorded FAILED and propagates (the schema masks it).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from tortoise.exceptions import IntegrityError
from tortoise.models import Model
from tortoise.transactions import in_transaction

from models.audit import AuditOutcome
from models.safeguards import IdempotencyRecord
from resolvers.audit.services import write_audit
from resolvers.errors import Forbidden, Refusal, Refusals
from resolvers.errors import UserErrorCode as Code
from resolvers.outbox import Outbox
from resolvers.principal import Principal
from resolvers.safeguards import claim_key, input_hash, previous_result

log = logging.getLogger("gateway.mutations")
T = TypeVar("T")
M = TypeVar("M", bound=Model)

MAX_KEY_LENGTH = 100
CONFLICT = "The change conflicts with existing data; reload and try again."
COLLIDED = "The change collided with a concurrent one and was not applied; try again."
# PostgreSQL's deadlock_detected and serialization_failure: the transaction was rolled back whole.
COLLISION_STATES = frozenset({"40P01", "40001"})


@dataclass(frozen=True, slots=True)
class ResultRef:
    """What a change produced, as stored with its idempotency key and shown as the audit target:
    the model and the ids, `Coupon:1,2,3`."""

    model: str
    ids: tuple[int, ...]

    @classmethod
    def of(cls, result: Model | Sequence[Model]) -> ResultRef:
        rows = list(result) if isinstance(result, Sequence) else [result]
        model = type(rows[0]).__name__ if rows else ""
        return cls(model, tuple(row.pk for row in rows))

    @classmethod
    def parse(cls, text: str) -> ResultRef | None:
        model, _, ids = text.partition(":")
        pks = ids.split(",") if ids else []
        if not model or not all(pk.isdigit() for pk in pks):
            return None
        return cls(model, tuple(int(pk) for pk in pks))

    def __str__(self) -> str:
        return f"{self.model}:{','.join(str(pk) for pk in self.ids)}"


@dataclass(frozen=True, slots=True)
class Attempt:
    """Who asks for which change, and how it is recorded."""

    principal: Principal
    action: str  # the mutation's field name, e.g. couponIssue
    request_id: str
    record: dict[str, Any]  # the input as plain data, for the audit record (secrets are redacted there)
    idempotency_key: str | None = None


@dataclass
class Outcome(Generic[T]):
    value: T | None = None
    replayed: ResultRef | None = None
    refusals: list[Refusal] = field(default_factory=list)


class _Replay(Exception):
    """An earlier call with this key applied the change; leave the transaction and answer its result."""


async def refuse(attempt: Attempt, refusals: list[Refusal]) -> Outcome[Any]:
    """Refused before any change was tried (e.g. an ID of the wrong type): recorded like any refusal."""
    await _audit(attempt, AuditOutcome.USER_ERROR)
    return Outcome(refusals=refusals)


async def apply(attempt: Attempt, change: Callable[[], Awaitable[T]], *, target: Callable[[T], str],
                outbox: Outbox | None = None, noted: Callable[[T], dict[str, Any]] | None = None) -> Outcome[T]:
    """Run `change` as one unit of work; `target(result)` names what it produced (audit, replay),
    `noted(result)` what the audit record keeps beside the input (a renamed partner's name before)."""
    key = attempt.idempotency_key
    digest = _digest(attempt.record) if key is not None else ""
    try:
        if key is not None and not 1 <= len(key) <= MAX_KEY_LENGTH:
            raise Refusal(Code.INVALID, f"`idempotencyKey` must be 1 to {MAX_KEY_LENGTH} characters.", ["idempotencyKey"])
        async with in_transaction():
            claim = await _claim_or_replay(attempt, key, digest) if key is not None else None
            result = await change()
            ref = target(result)
            if claim is not None:
                await IdempotencyRecord.filter(id=claim.id).update(result_ref=ref)
            await _audit(attempt, AuditOutcome.SUCCESS, ref, noted(result) if noted is not None else None)
    except _Replay:
        # Committed by the call that applied it: read after our own transaction has ended.
        ref_text = await previous_result(attempt.principal, attempt.action, key or "", digest)
        if outbox is not None:
            outbox.discard()
        return Outcome(replayed=ResultRef.parse(ref_text or ""))
    except (Refusal, Refusals) as exc:
        if outbox is not None:
            outbox.discard()
        await _audit(attempt, AuditOutcome.USER_ERROR)
        return Outcome(refusals=exc.refusals if isinstance(exc, Refusals) else [exc])
    except IntegrityError:
        if outbox is not None:
            outbox.discard()
        # The SQL text stays in the server log.
        log.warning("constraint violation in %s (request %s)", attempt.action, attempt.request_id, exc_info=True)
        await _audit(attempt, AuditOutcome.USER_ERROR)
        return Outcome(refusals=[Refusal(Code.CONFLICT, CONFLICT)])
    except Forbidden:
        if outbox is not None:
            outbox.discard()
        await _audit(attempt, AuditOutcome.DENIED)
        raise
    except Exception as exc:
        if outbox is not None:
            outbox.discard()
        if _collided(exc):
            # The database chose this transaction to give way to a concurrent one; it changed nothing.
            log.warning("transaction collision in %s (request %s): %s", attempt.action, attempt.request_id, exc)
            await _audit(attempt, AuditOutcome.USER_ERROR)
            return Outcome(refusals=[Refusal(Code.CONFLICT, COLLIDED)])
        await _audit(attempt, AuditOutcome.FAILED)
        raise
    if outbox is not None:
        outbox.flush()
    return Outcome(value=result)


def _collided(exc: BaseException) -> bool:
    """A deadlock or serialization failure, as the driver raised it or as Tortoise wrapped it."""
    return any(getattr(e, "sqlstate", None) in COLLISION_STATES for e in (exc, exc.__cause__) if e is not None)


async def _claim_or_replay(attempt: Attempt, key: str, digest: str) -> IdempotencyRecord:
    """Inside the transaction the key protects: this call's claim on the key, or `_Replay`.

    On SQLite the write transaction holds the database's write lock, so the lookup alone decides;
    on PostgreSQL a concurrent claim of the same key waits on the unique index until the first
    transaction ends, then fails and replays its result.
    """
    if await previous_result(attempt.principal, attempt.action, key, digest) is not None:
        raise _Replay
    try:
        async with in_transaction():  # a savepoint: a lost claim must not poison the transaction
            return await claim_key(attempt.principal, attempt.action, key, digest)
    except IntegrityError as exc:
        raise _Replay from exc


def _digest(record: dict[str, Any]) -> str:
    # A retry after a lost answer carries a fresh one-time code: the code is not part of "the same input".
    return input_hash({k: v for k, v in record.items() if k != "verification_code"})


async def _audit(attempt: Attempt, outcome: AuditOutcome, target: str = "", noted: dict[str, Any] | None = None) -> None:
    await write_audit(attempt.principal, action=attempt.action, outcome=outcome, request_id=attempt.request_id,
                      target=target, input={**attempt.record, **noted} if noted else attempt.record)


async def ensure_row(model: type[M], **keys: Any) -> M:
    """The row with these unique `keys`, inserted with its defaults if missing. Unlike
    `get_or_create`, two transactions racing to insert it do not fail: the loser's INSERT does nothing
    (ON CONFLICT DO NOTHING / INSERT OR IGNORE) and it reads the winner's row."""
    await model.bulk_create([model(**keys)], ignore_conflicts=True)
    return await model.get(**keys)
