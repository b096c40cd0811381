"""State shared by the demo seed's per-domain builders."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from models.customers import AssociationType, Customer
from models.members import Account, PresetRole, Role
from models.partners import Partner


@dataclass
class DemoContext:
    now: datetime
    rng: random.Random = field(default_factory=lambda: random.Random(42))
    roles: dict[PresetRole, Role] = field(default_factory=dict)
    custom_roles: dict[str, Role] = field(default_factory=dict)
    # Keyed by a short handle ("distributor", "reseller1", "provider", ...).
    partners: dict[str, Partner] = field(default_factory=dict)
    # E-mail domain per partner handle.
    domains: dict[str, str] = field(default_factory=dict)
    # Keyed by sign-in name.
    accounts: dict[str, Account] = field(default_factory=dict)
    customers: dict[str, list[Customer]] = field(default_factory=dict)

    def at(self, days: float = 0, hours: float = 0) -> datetime:
        """A time relative to the reference ``now`` (negative = past)."""
        return self.now + timedelta(days=days, hours=hours)

    def account(self, name: str) -> Account:
        return self.accounts[name]

    def mobile(self) -> str:
        prefix = self.rng.choice(["133", "135", "136", "137", "138", "139", "150", "186", "188"])
        return f"+86 {prefix} {self.rng.randrange(10000):04d} {self.rng.randrange(10000):04d}"

    def resale_customers(self, handle: str, *, whitelisted_only: bool = False) -> list[Customer]:
        return [
            c
            for c in self.customers[handle]
            if c.association_type == AssociationType.RESALE and (c.whitelisted or not whitelisted_only)
        ]
