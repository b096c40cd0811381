"""The account balance: recharge, withdrawals, alerts, fund allocation."""

from __future__ import annotations

import strawberry


@strawberry.type(description="The account balance: recharge, withdrawals, alerts, fund allocation.")
class AccountMutations:
    pass
