"""One-time secrets (verification codes, invitation tokens) travel to their owner out of band.

A service puts a secret in the request's outbox; the unit of work delivers it once the change that
made it has committed, so a refused or failed change delivers nothing. Where secrets go is the
deployment's choice (`Delivery`): development logs them (gateway/delivery.py); a production
deployment plugs SMS or e-mail in there, and without one they are not delivered at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Secret:
    channel: str  # what kind of message: "verification", "invitations"
    kind: str  # what it is, for people: "verification code", "invitation token"
    recipient: str  # the account name, e-mail address or mobile number it goes to
    about: str  # what it is for: a purpose, an object reference
    value: str


Delivery = Callable[[Secret], None]


@dataclass
class Outbox:
    """The secrets one request produced, held until its change commits."""

    delivery: Delivery | None = None
    _pending: list[Secret] = field(default_factory=list)

    def send(self, secret: Secret) -> None:
        self._pending.append(secret)

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        if self.delivery is not None:
            for secret in pending:
                self.delivery(secret)

    def discard(self) -> None:
        self._pending.clear()
