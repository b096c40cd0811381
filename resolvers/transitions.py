"""Status changes that hold under concurrency: a row moves on only from the status it was read in.

`move` checks the status read against the ones the change starts from, then changes the row by one
conditional UPDATE on that same status: of two callers acting at once, exactly one moves it and the
other is refused INVALID_STATE, as is a caller whose row was not in a fitting status to begin with.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import Enum
from typing import Any, TypeVar

from tortoise.models import Model

from resolvers.errors import Refusal
from resolvers.errors import UserErrorCode as Code

M = TypeVar("M", bound=Model)


def expect(row: Model, expected: Enum | Collection[Enum], verb: str, *, field: str = "id", noun: str | None = None) -> Enum:
    """`row`'s status, if it is `expected` (or one of them); INVALID_STATE otherwise, e.g.
    "Only a PENDING withdrawal can be approved; this one is APPROVED." at input `field`. For a
    service that checks the status before other rules and moves the row later."""
    current: Enum = row.status  # type: ignore[attr-defined]
    if current not in _states(expected):
        raise _refused(row, expected, verb, f"this one is {current.value}", field, noun)
    return current


async def move(row: M, expected: Enum | Collection[Enum], verb: str, *, field: str = "id", noun: str | None = None,
               **changes: Any) -> M:
    """`row`'s columns set to `changes` (its new `status` among them, usually) if it is still in the
    status it was read in, which must be `expected` (or one of them); the row as it is now.
    Refused as `expect` refuses, or when another caller moved the row first."""
    current = expect(row, expected, verb, field=field, noun=noun)
    model = type(row)
    if not await model.filter(id=row.pk, status=current).update(**changes):
        now = await model.get(id=row.pk)
        raise _refused(row, expected, verb, f"it changed meanwhile and is {now.status.value}", field, noun)  # type: ignore[attr-defined]
    return await model.get(id=row.pk)


def _states(expected: Enum | Collection[Enum]) -> tuple[Enum, ...]:
    return (expected,) if isinstance(expected, Enum) else tuple(expected)


def _refused(row: Model, expected: Enum | Collection[Enum], verb: str, detail: str, field: str, noun: str | None) -> Refusal:
    states = " or ".join(state.value for state in _states(expected))
    article = "an" if states[0] in "AEIOU" else "a"
    return Refusal(Code.INVALID_STATE, f"Only {article} {states} {noun or _noun(type(row))} can be {verb}; {detail}.", [field])


def _noun(model: type[Model]) -> str:
    """`PayoutApplication` -> "payout application": the model's name as the messages say it."""
    name = model.__name__
    return "".join(f" {c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))
