"""Coupon quotas, coupons and usage: grant, allocate and reclaim quota; issue, reclaim and use coupons."""

from __future__ import annotations

from typing import Any

import strawberry

from resolvers.coupons import issue_services, quota_services
from resolvers.coupons.queries import readable_quotas
from resolvers.permissions.catalog import Permission
from schema.context import Info
from schema.coupons.inputs import (
    CouponIssueInput,
    CouponQuotaAllocateInput,
    CouponQuotaGrantInput,
    CouponQuotaReclaimInput,
    CouponReclaimInput,
    CouponUsageRecordInput,
)
from schema.coupons.types import Coupon, CouponQuota, CouponUsageRecord
from schema.mutations import Payload, PayloadField, mutation

ISSUE = (Permission.COUPON_VOUCHER_ISSUE, Permission.COUPON_CASH_ISSUE, Permission.COUPON_PICKUP_ISSUE)
RECLAIM = (Permission.COUPON_VOUCHER_RECLAIM, Permission.COUPON_CASH_RECLAIM, Permission.COUPON_PICKUP_RECLAIM)


async def _source_quota(info: Info, quotas: list[Any]) -> Any:
    if not quotas:
        return None
    return await readable_quotas(info.context.principal).get_or_none(id=quotas[0].parent_quota_id)


@strawberry.type(description="Coupon quotas, coupons and usage.")
class CouponMutations:
    coupon_quota_grant = mutation(
        requires=Permission.COUPON_QUOTA_GRANT,
        input=CouponQuotaGrantInput,
        service=quota_services.grant_quota,
        argument="Partner, kind, amount, validity.",
        description="Grant a partner a coupon quota (operations staff); recorded as a QUOTA_ALLOCATE operation.",
        payload=Payload(
            "The result of granting a quota.",
            returns=PayloadField("quota", CouponQuota, "The new quota; null if refused."),
            refused="Why the grant was refused; empty on success.",
        ),
    )
    coupon_quota_allocate = mutation(
        requires=Permission.COUPON_QUOTA_ALLOCATE_RESELLER,
        input=CouponQuotaAllocateInput,
        service=quota_services.allocate_to_resellers,
        argument="Source quota and resellers.",
        description="Allocate part of one of your voucher quotas to up to 100 resellers you manage, all or nothing. "
                    "Takes a verification code when your partner has them switched on.",
        payload=Payload(
            "The result of allocating quota to resellers.",
            returns=PayloadField("quotas", list[CouponQuota], "The new reseller quotas, in the order given; null if refused."),
            also=[PayloadField("source_quota", CouponQuota, "The quota allocated from, as it is now; null if refused.",
                 resolve=_source_quota)],
            refused="Why the allocation was refused; empty on success.",
        ),
    )
    coupon_quota_reclaim = mutation(
        requires=Permission.COUPON_QUOTA_RECLAIM_RESELLER,
        input=CouponQuotaReclaimInput,
        service=quota_services.reclaim_from_reseller,
        argument="The reseller quota.",
        description="Take the whole unissued balance of a reseller quota you allocated back into its source quota; the "
                    "reseller quota becomes INVALID. Takes a verification code when switched on.",
        payload=Payload(
            "The result of reclaiming a reseller quota.",
            returns=PayloadField("quota", CouponQuota, "The reseller quota, now INVALID with its issued amount as total; null if refused."),
            refused="Why the reclaim was refused; empty on success.",
        ),
    )
    coupon_issue = mutation(
        requires=ISSUE,
        input=CouponIssueInput,
        service=issue_services.issue_coupons,
        argument="Quota, customers and terms.",
        description="Issue one coupon to each of 1 to 100 resale customers from one of your quotas; the call succeeds or "
                    "fails as a whole and never issues more than the quota has available. The quota's kind needs its own "
                    "permission. Takes a verification code when switched on.",
        payload=Payload(
            "The result of issuing coupons.",
            returns=PayloadField("coupons", list[Coupon], "The coupons issued, one per customer in the order given; null if refused."),
            refused="Why the issue was refused (nothing was issued); empty on success.",
        ),
    )
    coupon_reclaim = mutation(
        requires=RECLAIM,
        input=CouponReclaimInput,
        service=issue_services.reclaim_coupon,
        argument="The coupon.",
        description="Reclaim an AVAILABLE coupon your partner issued: its whole remaining balance returns to its quota. "
                    "The coupon's kind needs its own permission. Takes a verification code when switched on.",
        payload=Payload(
            "The result of reclaiming a coupon.",
            returns=PayloadField("coupon", Coupon, "The coupon, now RECLAIMED; null if refused."),
            refused="Why the reclaim was refused; empty on success.",
        ),
    )
    coupon_usage_record = mutation(
        requires=Permission.COUPON_USAGE_RECORD,
        input=CouponUsageRecordInput,
        service=issue_services.record_usage,
        argument="Coupon, order and amount.",
        description="Record an order's deduction from a coupon (the billing side); a coupon whose balance reaches 0 "
                    "becomes USED.",
        payload=Payload(
            "The result of recording a coupon's use.",
            returns=PayloadField("usage_record", CouponUsageRecord, "The new usage record; null if refused."),
            also=[PayloadField("coupon", Coupon, "The coupon after the deduction (USED once its balance is 0); null if refused.")],
            refused="Why the usage was refused; empty on success.",
        ),
    )
