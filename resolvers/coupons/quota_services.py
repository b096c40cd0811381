"""Coupon quotas (额度): operations grants them, a distributor allocates to and reclaims from its resellers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Protocol

from models.coupons import CouponKind, CouponOperation, CouponQuota, QuotaStatus
from models.coupons import CouponOperationType as Op
from models.partners import PartnerIdentity
from models.safeguards import VerificationPurpose
from resolvers.coupons.queries import readable_quotas
from resolvers.coupons.services import ISSUERS, check_batch, check_distinct, check_window, operation, utc, verify
from resolvers.errors import Refusal
from resolvers.errors import UserErrorCode as Code
from resolvers.money import adjust
from resolvers.partners.queries import readable_partners
from resolvers.partners.resellers import hold_resellers
from resolvers.principal import Principal
from resolvers.validation import Checks

ZERO = Decimal("0.00")
# A reseller quota can be reclaimed while it issues or while operations froze it.
RECLAIMABLE = (QuotaStatus.NORMAL, QuotaStatus.FROZEN)


class Allocation(Protocol):
    """One reseller's share of an allocation, as the input gives it (its ID already decoded)."""

    reseller_id: int
    amount: Decimal | None


async def grant_quota(
    principal: Principal, *, partner_id: int, kind: CouponKind, total: Decimal | None,
    valid_from: datetime, valid_until: datetime,
) -> CouponQuota:
    """Operations grants a partner a NORMAL quota of a kind it can issue."""
    partner = await readable_partners.one(principal, partner_id, "partner", field="partnerId")
    now = datetime.now(UTC)
    checks = Checks()
    total = checks.amount(total, "total")
    valid_from, valid_until = utc(valid_from), utc(valid_until)
    check_window(checks, valid_from, valid_until, now=now, fields=("validFrom", "validUntil"))
    if not {PartnerIdentity(i) for i in partner.identities} & ISSUERS[kind]:
        checks.fail(Code.NOT_ALLOWED, f"{partner.name} does not issue {kind.value.lower()} coupons.", "kind")
    checks.done()
    quota = await CouponQuota.create(
        partner_id=partner.id, kind=kind, total=total, used=ZERO, valid_from=valid_from, valid_until=valid_until,
        status=QuotaStatus.NORMAL, granted_by_id=principal.account_id,
    )
    await operation(Op.QUOTA_ALLOCATE, partner_id=partner.id, operator_id=principal.account_id, amount=total, at=now,
                    quota_id=quota.id, detail="Granted by operations.").save()
    return quota


async def _allocatable_quota(principal: Principal, quota_id: int, now: datetime) -> CouponQuota:
    quota = await readable_quotas.one(principal, quota_id, "quota", field="quotaId")
    if quota.partner_id != principal.partner_id or quota.kind is not CouponKind.VOUCHER:
        raise Refusal(Code.NOT_ALLOWED, "Allocate from one of your own voucher quotas.", ["quotaId"])
    if quota.status is not QuotaStatus.NORMAL:
        raise Refusal(Code.INVALID_STATE, f"Only a NORMAL quota can be allocated; this one is {quota.status.value}.", ["quotaId"])
    if quota.valid_until <= now:
        raise Refusal(Code.INVALID_STATE, "The quota's validity has ended.", ["quotaId"])
    return quota


async def allocate_to_resellers(
    principal: Principal, *, quota_id: int, allocations: Sequence[Allocation],
    valid_from: datetime | None, valid_until: datetime | None, verification_code: str | None,
) -> list[CouponQuota]:
    """Split part of a distributor quota into quotas of its managed resellers, all or nothing."""
    now = datetime.now(UTC)
    parent = await _allocatable_quota(principal, quota_id, now)
    checks = Checks()
    check_batch(checks, allocations, "allocations", "reseller")
    check_distinct(checks, (a.reseller_id for a in allocations), "allocations", "reseller")
    amounts = [checks.amount(a.amount, "allocations", str(i), "amount") for i, a in enumerate(allocations)]
    start = utc(valid_from) if valid_from else parent.valid_from
    end = utc(valid_until) if valid_until else parent.valid_until
    check_window(checks, start, end, now=now, fields=("validFrom", "validUntil"), inside=(parent.valid_from, parent.valid_until))
    ids = [a.reseller_id for a in allocations]
    resellers = {p.id: p for p in await readable_partners(principal).filter(id__in=ids, parent_distributor_id=principal.partner_id)}
    for index, reseller_id in enumerate(ids):
        if reseller_id not in resellers:
            checks.fail(Code.NOT_FOUND, "Not a reseller you manage.", "allocations", str(index), "resellerId")
    checks.done()
    await verify(principal, VerificationPurpose.QUOTA_ALLOCATION, verification_code)
    if not await hold_resellers(parent.partner_id, ids):
        raise Refusal(Code.INVALID_STATE, "A reseller's association with you ended meanwhile.", ["allocations"])
    total = sum(amounts, ZERO)
    if not await adjust(CouponQuota, parent.id, "used", total, at_most="total", where={"status": QuotaStatus.NORMAL}):
        raise Refusal(Code.INSUFFICIENT_FUNDS, f"The quota does not have {total} available.", ["allocations"])
    children = []
    for reseller_id, amount in zip(ids, amounts, strict=False):
        child = await CouponQuota.create(
            partner_id=reseller_id, kind=parent.kind, total=amount, used=ZERO, valid_from=start, valid_until=end,
            status=QuotaStatus.NORMAL, parent_quota_id=parent.id, granted_by_id=principal.account_id,
        )
        children.append(child)
    await CouponOperation.bulk_create([
        operation(Op.QUOTA_ALLOCATE, partner_id=parent.partner_id, operator_id=principal.account_id, amount=child.total,
                  at=now, quota_id=child.id, detail=f"Allocated to {resellers[child.partner_id].name} from quota {parent.id}.")
        for child in children
    ])
    return children


async def reclaim_from_reseller(principal: Principal, *, quota_id: int, verification_code: str | None) -> CouponQuota:
    """Take a reseller quota's whole unissued balance back into the distributor quota it came from.

    The quota keeps as total what it had issued and becomes INVALID, so it issues nothing more.
    """
    quota = await readable_quotas.one(principal, quota_id, "quota", field="quotaId")
    parent_partner = await CouponQuota.filter(id=quota.parent_quota_id).values_list("partner_id", flat=True) if quota.parent_quota_id else []
    if quota.parent_quota_id is None or quota.partner_id == principal.partner_id or parent_partner != [principal.partner_id]:
        raise Refusal(Code.NOT_ALLOWED, "Only a reseller quota you allocated can be reclaimed.", ["quotaId"])
    if quota.status not in RECLAIMABLE:
        raise Refusal(Code.INVALID_STATE, f"The quota is {quota.status.value}; nothing can be reclaimed.", ["quotaId"])
    await verify(principal, VerificationPurpose.QUOTA_RECLAIM, verification_code)
    remaining = await take_back(quota, distributor_id=principal.own_partner("its coupon quotas"), operator_id=principal.account_id)
    if remaining is None:
        raise Refusal(Code.INVALID_STATE, "The quota changed meanwhile; nothing was reclaimed.", ["quotaId"])
    if remaining <= 0:
        raise Refusal(Code.INVALID_STATE, "Nothing remains on this quota to reclaim.", ["quotaId"])
    return await CouponQuota.get(id=quota.id)


async def take_back(quota: CouponQuota, *, distributor_id: int, operator_id: int,
                    detail: str = "Unissued balance of {remaining} reclaimed from the reseller.") -> Decimal | None:
    """Invalidate a reseller quota and return its whole unissued balance to the distributor quota it
    came from, with a QUOTA_RECLAIM record under the distributor; shared by a reclaim and the end of
    a reseller association. The amount returned: None when the quota was no longer reclaimable,
    zero when nothing remained (the quota is INVALID all the same, and no record is written).
    """
    source_id = quota.parent_quota_id
    if source_id is None:
        raise ValueError(f"quota {quota.id} was not allocated from a distributor quota")
    # Invalidating first stops further issues and holds the row (a lock on PostgreSQL, the
    # connection on SQLite) until commit, so the used amount read next cannot move.
    if not await CouponQuota.filter(id=quota.id, status__in=RECLAIMABLE).update(status=QuotaStatus.INVALID):
        return None
    quota = await CouponQuota.get(id=quota.id)
    remaining = quota.total - quota.used
    if remaining <= 0:
        return ZERO
    await CouponQuota.filter(id=quota.id).update(total=quota.used)
    if not await adjust(CouponQuota, source_id, "used", -remaining, at_least=ZERO):
        raise RuntimeError(f"distributor quota {source_id} holds less than its reseller quota {quota.id} returns")
    await operation(Op.QUOTA_RECLAIM, partner_id=distributor_id, operator_id=operator_id, amount=remaining,
                    at=datetime.now(UTC), quota_id=quota.id, detail=detail.format(remaining=remaining)).save()
    return remaining
