"""The one way a change takes a customer's row for its transaction: a conditional UPDATE that matches
only a customer still associated (and still a resale one, when that matters).

Disassociating a customer or switching it to referral updates the same row, so of two transactions
the later waits for the earlier (PostgreSQL's row lock; SQLite's single writer) and then sees it: an
issue, an order, a grant or a request either commits first or finds the customer changed.
"""

from __future__ import annotations

from collections.abc import Collection

from models.customers import AssociationType, Customer, CustomerStatus


async def hold(customer_ids: Collection[int], *, resale: bool = False) -> bool:
    """True if every one of these customers is still associated (and a resale customer, with
    `resale`), and now held until the transaction ends."""
    ids = set(customer_ids)
    still = {"association_type": AssociationType.RESALE} if resale else {}
    held = await Customer.filter(id__in=list(ids), status=CustomerStatus.ASSOCIATED, **still).update(
        status=CustomerStatus.ASSOCIATED)
    return held == len(ids)
