"""A cached principal, confirmed inside the request's first statement instead of by one of its own.

A principal from the cache (gateway/principal_cache.py) is current while the principal epoch is the
one it was read at. Checking that costs a statement; a query the compiler answers whole costs one
more, and on PostgreSQL each is a round trip. So a request may start with its cached principal
*unconfirmed*, and confirm it at the first of three points, whichever comes first:

1. **Its compiled read** (schema/compiled/extension.py) reads the epoch in the same statement as the
   data, from the same snapshot: the answer is used only when the epoch is still the known one.
2. **Any other statement**: the statement seam (gateway/sql_metrics.py) confirms before sending it,
   so nothing is read or written under a principal that is no longer current; once the principal
   is found changed, every statement of the request raises `PrincipalChanged`.
3. **The answer's first byte**: the authentication middleware confirms before the response starts,
   for a request that sent no statement at all.

When the principal turns out changed, nothing of that request's answer leaves and nothing was
written: the middleware answers the request again from the start with a principal read afresh
(which may now be refused). Fail-closed by construction: every way to the database or to the client
passes one of the three points.
"""

from __future__ import annotations

import asyncio
from contextvars import ContextVar
from enum import Enum
from typing import Any

from resolvers.caller_facts import read_caller


class PrincipalChanged(Exception):
    """The cached principal a request started with is no longer current; the request starts over."""

    def __init__(self) -> None:
        super().__init__("the caller's principal changed during the request; it is answered again")


class Confirmation(Enum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    CHANGED = "changed"


class UnconfirmedPrincipal:
    """A request's cached principal while the epoch it was read at is not yet confirmed current."""

    __slots__ = ("_lock", "known_epoch", "lookup", "state", "value")

    def __init__(self, lookup: str, value: Any, known_epoch: int) -> None:
        # How read_caller finds the caller again: by account name (a token) or key prefix (an API key).
        self.lookup, self.value, self.known_epoch = lookup, value, known_epoch
        self.state = Confirmation.PENDING
        self._lock = asyncio.Lock()

    @property
    def pending(self) -> bool:
        return self.state is Confirmation.PENDING

    @property
    def changed(self) -> bool:
        return self.state is Confirmation.CHANGED

    def settle(self, epoch: Any) -> bool:
        """What a statement that read the epoch beside its data found: whether its data may be used."""
        if self.state is Confirmation.PENDING:
            current = epoch is not None and int(epoch) == self.known_epoch
            self.state = Confirmation.CONFIRMED if current else Confirmation.CHANGED
        return self.state is Confirmation.CONFIRMED

    async def confirm(self) -> None:
        """Before anything runs under the principal: it is current, or PrincipalChanged. Concurrent
        statements of one request (a gather) wait for the one confirming statement."""
        if self.state is Confirmation.PENDING:
            async with self._lock:
                if self.state is Confirmation.PENDING:
                    token = unconfirmed.set(None)  # the confirming statement itself goes through
                    try:
                        read = await read_caller(self.lookup, self.value, self.known_epoch)
                    finally:
                        unconfirmed.reset(token)
                    if self.state is Confirmation.PENDING:  # a compiled read may have settled it meanwhile
                        self.state = Confirmation.CONFIRMED if read.unchanged else Confirmation.CHANGED
        if self.state is Confirmation.CHANGED:
            raise PrincipalChanged


# The request's principal while it is unconfirmed (None once there is nothing to confirm). Tasks the
# request spawns copy the context, so they share the one object and its state.
unconfirmed: ContextVar[UnconfirmedPrincipal | None] = ContextVar("unconfirmed_principal", default=None)


async def confirm_before_statement() -> None:
    """What the statement seam calls before every statement and transaction: nothing, unless the
    request's principal is unconfirmed (then it is confirmed first, or the statement is refused)."""
    waiting = unconfirmed.get()
    if waiting is not None and waiting.state is not Confirmation.CONFIRMED:
        await waiting.confirm()
