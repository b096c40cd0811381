"""A distributor's hold on the resellers it acts for, inside one transaction.

Allocations to resellers and the end of a reseller's association meet on the reseller's partner row:
an allocation takes the rows of the resellers it allocates to, still managed by its distributor,
before it moves anything; an association's end clears the parent by a conditional UPDATE of that
row. Whichever commits first, the other sees it: nothing is allocated to a partner that was released.
"""

from __future__ import annotations

from collections.abc import Collection

from models.partners import Partner


async def hold_resellers(distributor_id: int, reseller_ids: Collection[int]) -> bool:
    """True when every one of `reseller_ids` is still managed by the distributor (and now held)."""
    ids = set(reseller_ids)
    held = await Partner.filter(id__in=list(ids), parent_distributor_id=distributor_id).update(parent_distributor_id=distributor_id)
    return held == len(ids)
