"""Coupon quotas, coupons and usage: grant, allocate and reclaim quota; issue, reclaim and use coupons."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.coupons import Coupon as CouponRow, CouponQuota as QuotaRow
from resolvers.coupons import issue_services, quota_services
from resolvers.coupons.queries import readable_quotas
from schema.coupons.inputs import (
    CouponIssueInput, CouponQuotaAllocateInput, CouponQuotaGrantInput, CouponQuotaReclaimInput, CouponReclaimInput,
    CouponUsageRecordInput,
)
from schema.coupons.types import Coupon, CouponQuota, CouponUsageRecord
from schema.mutations import UserError, mutation_pk, run_mutation
from schema.permissions.directive import PUBLIC, permission_field
from resolvers.permissions.catalog import Permission

Input = Annotated
ISSUE = (Permission.COUPON_VOUCHER_ISSUE, Permission.COUPON_CASH_ISSUE, Permission.COUPON_PICKUP_ISSUE)
RECLAIM = (Permission.COUPON_VOUCHER_RECLAIM, Permission.COUPON_CASH_RECLAIM, Permission.COUPON_PICKUP_RECLAIM)


@strawberry.type(description="The result of granting a quota.", directives=[PUBLIC])
class CouponQuotaGrantPayload:
    quota: CouponQuota | None = strawberry.field(description="The new quota; null if refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the grant was refused; empty on success.")


@strawberry.type(description="The result of allocating quota to resellers.", directives=[PUBLIC])
class CouponQuotaAllocatePayload:
    quotas: list[CouponQuota] | None = strawberry.field(description="The new reseller quotas, in the order given; null if refused.")
    source_quota: CouponQuota | None = strawberry.field(description="The quota allocated from, as it is now; null if refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the allocation was refused; empty on success.")


@strawberry.type(description="The result of reclaiming a reseller quota.", directives=[PUBLIC])
class CouponQuotaReclaimPayload:
    quota: CouponQuota | None = strawberry.field(description="The reseller quota, now INVALID with its issued amount as total; null if refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the reclaim was refused; empty on success.")


@strawberry.type(description="The result of issuing coupons.", directives=[PUBLIC])
class CouponIssuePayload:
    coupons: list[Coupon] | None = strawberry.field(description="The coupons issued, one per customer in the order given; null if refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the issue was refused (nothing was issued); empty on success.")


@strawberry.type(description="The result of reclaiming a coupon.", directives=[PUBLIC])
class CouponReclaimPayload:
    coupon: Coupon | None = strawberry.field(description="The coupon, now RECLAIMED; null if refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the reclaim was refused; empty on success.")


@strawberry.type(description="The result of recording a coupon's use.", directives=[PUBLIC])
class CouponUsageRecordPayload:
    usage_record: CouponUsageRecord | None = strawberry.field(description="The new usage record; null if refused.")
    coupon: Coupon | None = strawberry.field(description="The coupon after the deduction (USED once its balance is 0); null if refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the usage was refused; empty on success.")


def _ref(type_name: str, rows: list) -> str:
    return f"{type_name}:" + ",".join(str(r.id) for r in rows)


def _pks(ref: str) -> list[int]:
    return [int(pk) for pk in ref.partition(":")[2].split(",") if pk]


async def _quotas(info: strawberry.Info, ref: str) -> list[QuotaRow]:
    ids = _pks(ref)
    rows = {q.id: q for q in await readable_quotas(info.context.principal).filter(id__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]


@strawberry.type(description="Coupon quotas, coupons and usage.")
class CouponMutations:
    @permission_field(requires=Permission.COUPON_QUOTA_GRANT, description="Grant a partner a coupon quota (operations staff); recorded as a QUOTA_ALLOCATE operation.")
    async def coupon_quota_grant(
        self, info: strawberry.Info, input: Input[CouponQuotaGrantInput, strawberry.argument(description="Partner, kind, amount, validity.")],
    ) -> CouponQuotaGrantPayload | None:
        async def replay(ref: str) -> QuotaRow | None:
            return next(iter(await _quotas(info, ref)), None)

        quota, errors = await run_mutation(info, "couponQuotaGrant", input, lambda: quota_services.grant_quota(
            info.context.principal, mutation_pk(input.partner_id, "Partner", "partnerId"), kind=input.kind, total=input.total,
            valid_from=input.valid_from, valid_until=input.valid_until),
            target=lambda q: f"CouponQuota:{q.id}", idempotency_key=input.idempotency_key, replay=replay)
        return CouponQuotaGrantPayload(quota=quota, user_errors=errors)

    @permission_field(requires=Permission.COUPON_QUOTA_ALLOCATE_RESELLER, description="Allocate part of one of your voucher quotas to up to 100 resellers you "
                      "manage, all or nothing. Takes a verification code when your partner has them switched on.")
    async def coupon_quota_allocate(
        self, info: strawberry.Info, input: Input[CouponQuotaAllocateInput, strawberry.argument(description="Source quota and resellers.")],
    ) -> CouponQuotaAllocatePayload | None:
        async def replay(ref: str) -> list[QuotaRow]:
            return await _quotas(info, ref)

        def allocations() -> list[quota_services.Allocation]:
            return [quota_services.Allocation(mutation_pk(a.reseller_id, "Partner", "allocations", str(i), "resellerId"), a.amount)
                    for i, a in enumerate(input.allocations)]

        quotas, errors = await run_mutation(info, "couponQuotaAllocate", input, lambda: quota_services.allocate_to_resellers(
            info.context.principal, mutation_pk(input.quota_id, "CouponQuota", "quotaId"), allocations(),
            valid_from=input.valid_from, valid_until=input.valid_until, verification_code=input.verification_code),
            target=lambda rows: _ref("CouponQuota", rows), idempotency_key=input.idempotency_key, replay=replay)
        source = None
        if quotas:
            source = next(iter(await _quotas(info, f"CouponQuota:{quotas[0].parent_quota_id}")), None)
        return CouponQuotaAllocatePayload(quotas=quotas, source_quota=source, user_errors=errors)

    @permission_field(requires=Permission.COUPON_QUOTA_RECLAIM_RESELLER, description="Take the whole unissued balance of a reseller quota you allocated back "
                      "into its source quota; the reseller quota becomes INVALID. Takes a verification code when switched on.")
    async def coupon_quota_reclaim(
        self, info: strawberry.Info, input: Input[CouponQuotaReclaimInput, strawberry.argument(description="The reseller quota.")],
    ) -> CouponQuotaReclaimPayload | None:
        async def replay(ref: str) -> QuotaRow | None:
            return next(iter(await _quotas(info, ref)), None)

        quota, errors = await run_mutation(info, "couponQuotaReclaim", input, lambda: quota_services.reclaim_from_reseller(
            info.context.principal, mutation_pk(input.quota_id, "CouponQuota", "quotaId"), verification_code=input.verification_code),
            target=lambda q: f"CouponQuota:{q.id}", idempotency_key=input.idempotency_key, replay=replay)
        return CouponQuotaReclaimPayload(quota=quota, user_errors=errors)

    @permission_field(requires=ISSUE, description="Issue one coupon to each of 1 to 100 resale customers from one of your quotas; the call "
                      "succeeds or fails as a whole and never issues more than the quota has available. The quota's kind needs its "
                      "own permission. Takes a verification code when switched on.")
    async def coupon_issue(
        self, info: strawberry.Info, input: Input[CouponIssueInput, strawberry.argument(description="Quota, customers and terms.")],
    ) -> CouponIssuePayload | None:
        principal = info.context.principal

        async def replay(ref: str) -> list[CouponRow]:
            return await issue_services.coupons_by_ref(principal, ref)

        terms = issue_services.IssueTerms(
            face_value=input.face_value, valid_from=input.valid_from, expires_at=input.expires_at,
            product_limits=input.product_limits or [], service_limits=input.service_limits or [],
            min_order_amount=input.min_order_amount, max_order_ratio=input.max_order_ratio, remark=input.remark,
        )
        coupons, errors = await run_mutation(info, "couponIssue", input, lambda: issue_services.issue_coupons(
            principal, mutation_pk(input.quota_id, "CouponQuota", "quotaId"),
            [mutation_pk(c, "Customer", "customerIds", str(i)) for i, c in enumerate(input.customer_ids)], terms,
            verification_code=input.verification_code),
            target=lambda rows: _ref("Coupon", rows), idempotency_key=input.idempotency_key, replay=replay)
        return CouponIssuePayload(coupons=coupons, user_errors=errors)

    @permission_field(requires=RECLAIM, description="Reclaim an AVAILABLE coupon your partner issued: its whole remaining balance returns to "
                      "its quota. The coupon's kind needs its own permission. Takes a verification code when switched on.")
    async def coupon_reclaim(
        self, info: strawberry.Info, input: Input[CouponReclaimInput, strawberry.argument(description="The coupon.")],
    ) -> CouponReclaimPayload | None:
        principal = info.context.principal

        async def replay(ref: str) -> CouponRow | None:
            return next(iter(await issue_services.coupons_by_ref(principal, ref)), None)

        coupon, errors = await run_mutation(info, "couponReclaim", input, lambda: issue_services.reclaim_coupon(
            principal, mutation_pk(input.coupon_id, "Coupon", "couponId"), verification_code=input.verification_code),
            target=lambda c: f"Coupon:{c.id}", idempotency_key=input.idempotency_key, replay=replay)
        return CouponReclaimPayload(coupon=coupon, user_errors=errors)

    @permission_field(requires=Permission.COUPON_USAGE_RECORD, description="Record an order's deduction from a coupon (the billing side); a coupon "
                      "whose balance reaches 0 becomes USED.")
    async def coupon_usage_record(
        self, info: strawberry.Info, input: Input[CouponUsageRecordInput, strawberry.argument(description="Coupon, order and amount.")],
    ) -> CouponUsageRecordPayload | None:
        result, errors = await run_mutation(info, "couponUsageRecord", input, lambda: issue_services.record_usage(
            info.context.principal, mutation_pk(input.coupon_id, "Coupon", "couponId"), order_id=input.order_id, amount=input.amount),
            target=lambda r: f"CouponUsage:{r[0].id}")
        usage, coupon = result if result else (None, None)
        return CouponUsageRecordPayload(usage_record=usage, coupon=coupon, user_errors=errors)
