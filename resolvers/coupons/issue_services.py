"""Coupons: issue from a quota, reclaim, record usage, expire; each remainder goes back to its quota."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import cast

from tortoise.transactions import in_transaction

from models.coupons import Coupon, CouponKind, CouponOperation, CouponQuota, CouponStatus, CouponUsage, QuotaStatus
from models.coupons import CouponOperationType as Op
from models.customers import AssociationType, Customer, CustomerStatus
from models.safeguards import VerificationPurpose
from resolvers.coupons.queries import effective_status, readable_coupons, readable_quotas
from resolvers.coupons.services import (
    GOV_IDENTITIES,
    ISSUE_PERMISSION,
    RECLAIM_PERMISSION,
    check_batch,
    check_distinct,
    check_window,
    operation,
    utc,
    verify,
)
from resolvers.customers.holds import hold
from resolvers.customers.queries import readable_customers
from resolvers.errors import Refusal
from resolvers.errors import UserErrorCode as Code
from resolvers.money import adjust
from resolvers.permissions.checks import require
from resolvers.principal import Principal
from resolvers.validation import Checks

ZERO = Decimal("0.00")
MAX_LIMITS = 10
MAX_LIMIT_LENGTH = 100
RATIO_PLACES = Decimal("0.0001")
AVAILABLE = CouponStatus.AVAILABLE
EXPIRY_BATCH = 500


@dataclass(frozen=True)
class IssueTerms:
    """What every coupon of one issue call gets."""

    face_value: Decimal | None
    valid_from: datetime | None = None
    expires_at: datetime | None = None
    product_limits: list[str] = field(default_factory=list)
    service_limits: list[str] = field(default_factory=list)
    min_order_amount: Decimal | None = None
    max_order_ratio: Decimal | None = None
    remark: str | None = None


def _limits(checks: Checks, values: list[str], name: str) -> list[str]:
    if len(values) > MAX_LIMITS:
        checks.fail(Code.LIMIT_EXCEEDED, f"At most {MAX_LIMITS} `{name}`.", name)
    cleaned = [checks.text(v, name, max_length=MAX_LIMIT_LENGTH) for v in values]
    return list(dict.fromkeys(v for v in cleaned if v))


def _ratio(checks: Checks, value: Decimal) -> Decimal | None:
    if not value.is_finite() or not 0 < value <= 1 or value != value.quantize(RATIO_PLACES):
        checks.fail(Code.INVALID, "`maxOrderRatio` must be above 0 and at most 1, with at most four decimals.", "maxOrderRatio")
        return None
    return value.quantize(RATIO_PLACES)


async def _issuable_quota(principal: Principal, quota_id: int, now: datetime) -> CouponQuota:
    quota = await readable_quotas.one(principal, quota_id, "quota", field="quotaId")
    if quota.partner_id != principal.partner_id:
        raise Refusal(Code.NOT_ALLOWED, "Issue from one of your own quotas.", ["quotaId"])
    require(principal, ISSUE_PERMISSION[quota.kind], to=f"issue {quota.kind.value.lower()} coupons")
    if quota.status is not QuotaStatus.NORMAL:
        raise Refusal(Code.INVALID_STATE, f"Only a NORMAL quota issues coupons; this one is {quota.status.value}.", ["quotaId"])
    if not quota.valid_from <= now < quota.valid_until:
        raise Refusal(Code.INVALID_STATE, "The quota is outside its validity window.", ["quotaId"])
    return quota


async def _check_customers(principal: Principal, checks: Checks, customer_ids: list[int]) -> None:
    """Resale customers of the caller's partner; government partners: whitelisted ones only."""
    rows = {c.id: c for c in await readable_customers(principal).filter(id__in=customer_ids, partner_id=principal.partner_id)}
    whitelist_only = bool(principal.identities & GOV_IDENTITIES)
    for index, customer_id in enumerate(customer_ids):
        customer: Customer | None = rows.get(customer_id)
        if customer is None:
            checks.fail(Code.NOT_FOUND, "No such customer of yours.", "customerIds", str(index))
        elif customer.status is not CustomerStatus.ASSOCIATED:
            checks.fail(Code.INVALID_STATE, "The customer is no longer associated with your partner.", "customerIds", str(index))
        elif customer.association_type is not AssociationType.RESALE:
            checks.fail(Code.NOT_ALLOWED, "Coupons go to resale customers only.", "customerIds", str(index))
        elif whitelist_only and not customer.whitelisted:
            checks.fail(Code.NOT_ALLOWED, "Government partners issue coupons to whitelisted customers only.", "customerIds", str(index))


async def issue_coupons(
    principal: Principal, *, quota_id: int, customer_ids: list[int], face_value: Decimal | None,
    valid_from: datetime | None = None, expires_at: datetime | None = None, product_limits: list[str] | None = None,
    service_limits: list[str] | None = None, min_order_amount: Decimal | None = None, max_order_ratio: Decimal | None = None,
    remark: str | None = None, verification_code: str | None = None,
) -> list[Coupon]:
    """One coupon per customer; the quota is charged the total by one conditional update, so the
    call succeeds or fails as a whole and concurrent calls never issue more than the quota holds."""
    terms = IssueTerms(face_value=face_value, valid_from=valid_from, expires_at=expires_at,
                       product_limits=product_limits or [], service_limits=service_limits or [],
                       min_order_amount=min_order_amount, max_order_ratio=max_order_ratio, remark=remark)
    now = datetime.now(UTC)
    quota = await _issuable_quota(principal, quota_id, now)
    checks = Checks()
    check_batch(checks, customer_ids, "customerIds", "customer")
    check_distinct(checks, customer_ids, "customerIds", "customer")
    face_value = checks.amount(terms.face_value, "faceValue")
    start = utc(terms.valid_from) if terms.valid_from else quota.valid_from
    end = utc(terms.expires_at) if terms.expires_at else quota.valid_until
    check_window(checks, start, end, now=now, fields=("validFrom", "expiresAt"), inside=(quota.valid_from, quota.valid_until))
    products = _limits(checks, terms.product_limits, "productLimits")
    services = _limits(checks, terms.service_limits, "serviceLimits")
    min_order = ratio = None
    if terms.min_order_amount is not None:
        if quota.kind is CouponKind.VOUCHER:
            min_order = checks.amount(terms.min_order_amount, "minOrderAmount")
        else:
            checks.fail(Code.NOT_ALLOWED, "Only vouchers have a minimum order amount.", "minOrderAmount")
    if terms.max_order_ratio is not None:
        if quota.kind is CouponKind.VOUCHER:
            checks.fail(Code.NOT_ALLOWED, "Only cash and pickup coupons have a maximum order ratio.", "maxOrderRatio")
        else:
            ratio = _ratio(checks, terms.max_order_ratio)
    remark = checks.text(terms.remark, "remark", max_length=500, required=False) or ""
    if customer_ids:
        await _check_customers(principal, checks, customer_ids)
    checks.done()
    await verify(principal, VerificationPurpose.COUPON_ISSUE, verification_code)

    # Still associated resale customers, held: a concurrent disassociation or switch to referral
    # either waits for these coupons and reclaims them, or committed first and this issue is refused.
    if not await hold(customer_ids, resale=True):
        raise Refusal(Code.INVALID_STATE, "A customer stopped being an associated resale customer meanwhile.", ["customerIds"])
    total = face_value * len(customer_ids)
    if not await adjust(CouponQuota, quota.id, "used", total, at_most="total", where={"status": QuotaStatus.NORMAL}):
        if await CouponQuota.filter(id=quota.id, status=QuotaStatus.NORMAL).exists():
            raise Refusal(Code.INSUFFICIENT_FUNDS, f"The quota does not have {total} available.", ["faceValue"])
        raise Refusal(Code.INVALID_STATE, "The quota stopped being NORMAL meanwhile.", ["quotaId"])
    coupons = [
        await Coupon.create(
            partner_id=quota.partner_id, quota_id=quota.id, customer_id=customer_id, kind=quota.kind,
            face_value=face_value, used_amount=ZERO, status=AVAILABLE, valid_from=start, expires_at=end,
            product_limits=products, service_limits=services, min_order_amount=min_order, max_order_ratio=ratio,
            remark=remark, issued_by_id=principal.account_id, issued_at=now,
        )
        for customer_id in customer_ids
    ]
    await CouponOperation.bulk_create([
        operation(Op.ISSUE, partner_id=quota.partner_id, operator_id=principal.account_id, amount=face_value, at=now,
                  quota_id=quota.id, coupon_id=c.id, customer_id=c.customer_id, detail=f"Issued a {quota.kind.value.lower()} coupon.")
        for c in coupons
    ])
    return coupons


async def _close(
    coupon_id: int, status: CouponStatus, type_: Op, *, operator_id: int | None, now: datetime,
    still: dict, detail: str, closed_at: datetime | None = None,
) -> Coupon | None:
    """AVAILABLE → `status` with its remainder back to the quota; None if it was no longer
    AVAILABLE (or no longer matches `still`). Runs inside the caller's transaction."""
    # The conditional update is the claim: of two concurrent closers only one changes the row,
    # and it holds the row until commit, so the used amount read next is final.
    if not await Coupon.filter(id=coupon_id, status=AVAILABLE, **still).update(status=status, closed_at=closed_at or now):
        return None
    coupon = await Coupon.get(id=coupon_id)
    remainder = coupon.face_value - coupon.used_amount
    if remainder > 0 and not await adjust(CouponQuota, coupon.quota_id, "used", -remainder, at_least=ZERO):
        raise RuntimeError(f"quota {coupon.quota_id} holds less than coupon {coupon.id} returns")
    await operation(type_, partner_id=coupon.partner_id, operator_id=operator_id, amount=remainder, at=now,
                    quota_id=coupon.quota_id, coupon_id=coupon.id, customer_id=coupon.customer_id, detail=detail).save()
    return coupon


async def reclaim_coupon(principal: Principal, *, coupon_id: int, verification_code: str | None) -> Coupon:
    """The issuer takes an AVAILABLE coupon's whole remaining balance back into its quota."""
    now = datetime.now(UTC)
    coupon = await readable_coupons.one(principal, coupon_id, "coupon", field="couponId")
    require(principal, RECLAIM_PERMISSION[coupon.kind], to=f"reclaim {coupon.kind.value.lower()} coupons")
    if (status := effective_status(coupon, now)) is not AVAILABLE:
        raise Refusal(Code.INVALID_STATE, f"Only an AVAILABLE coupon can be reclaimed; this one is {status.value}.", ["couponId"])
    await verify(principal, VerificationPurpose.COUPON_RECLAIM, verification_code)
    closed = await _close(coupon.id, CouponStatus.RECLAIMED, Op.MANUAL_RECLAIM, operator_id=principal.account_id, now=now,
                          still={"expires_at__gte": now}, detail="Reclaimed at the issuer's request.")
    if closed is None:
        raise Refusal(Code.INVALID_STATE, "The coupon stopped being AVAILABLE meanwhile.", ["couponId"])
    return closed


async def record_usage(principal: Principal, *, coupon_id: int, order_id: str, amount: Decimal | None) -> tuple[CouponUsage, Coupon]:
    """Billing deducts an order's amount from a coupon's balance; a used-up coupon becomes USED."""
    now = datetime.now(UTC)
    checks = Checks()
    order_id = checks.text(order_id, "orderId", max_length=64)
    amount = checks.amount(amount, "amount")
    checks.done()
    coupon = await readable_coupons.one(principal, coupon_id, "coupon", field="couponId")
    if (status := effective_status(coupon, now)) is not AVAILABLE:
        raise Refusal(Code.INVALID_STATE, f"Only an AVAILABLE coupon can be used; this one is {status.value}.", ["couponId"])
    if coupon.valid_from > now:
        raise Refusal(Code.INVALID_STATE, "The coupon is not valid yet.", ["couponId"])
    if not await adjust(Coupon, coupon.id, "used_amount", amount, at_most="face_value", where={"status": AVAILABLE}):
        if await Coupon.filter(id=coupon.id, status=AVAILABLE).exists():
            raise Refusal(Code.INSUFFICIENT_FUNDS, f"The coupon's balance is less than {amount}.", ["amount"])
        raise Refusal(Code.INVALID_STATE, "The coupon stopped being AVAILABLE meanwhile.", ["couponId"])
    # Checked after the deduction, which holds the coupon's row: a concurrent record of the same
    # order has committed by now, so billing retries never deduct twice.
    if await CouponUsage.filter(coupon_id=coupon.id, order_id=order_id).exists():
        raise Refusal(Code.CONFLICT, "This order already used this coupon.", ["orderId"])
    usage = await CouponUsage.create(coupon_id=coupon.id, order_id=order_id, amount=amount, used_at=now)
    coupon = await Coupon.get(id=coupon.id)
    if coupon.used_amount >= coupon.face_value:
        await Coupon.filter(id=coupon.id, status=AVAILABLE).update(status=CouponStatus.USED, closed_at=now)
        coupon = await Coupon.get(id=coupon.id)
    return usage, coupon


async def expire_coupons(now: datetime) -> int:
    """Close every AVAILABLE coupon past its expiry (EXPIRED, remainder back to the quota, an
    EXPIRY_RECLAIM record), each in its own short transaction. Safe to run concurrently and
    repeatedly: a coupon another run already closed is skipped. Returns how many this run closed."""
    expired, after = 0, 0
    while batch := await Coupon.filter(status=AVAILABLE, expires_at__lt=now, id__gt=after).order_by("id").limit(EXPIRY_BATCH).values_list("id", "expires_at"):
        for coupon_id, expires_at in batch:
            async with in_transaction():
                if await _close(coupon_id, CouponStatus.EXPIRED, Op.EXPIRY_RECLAIM, operator_id=None, now=now, closed_at=expires_at,
                                still={"expires_at__lt": now}, detail="Remainder returned on expiry."):
                    expired += 1
        after = batch[-1][0]
    return expired


async def reclaim_customer_coupons(customer_id: int, *, operator_id: int | None, now: datetime,
                                   operation: Op = Op.DISASSOCIATION_RECLAIM,
                                   detail: str = "Customer disassociated; remainder returned to the quota.") -> int:
    """A customer's AVAILABLE coupons are reclaimed (on disassociation, or a switch to referral), inside
    the caller's transaction; coupons already past expiry are left to the expiry job."""
    closed = 0
    for coupon_id in await Coupon.filter(customer_id=customer_id, status=AVAILABLE, expires_at__gte=now).values_list("id", flat=True):
        if await _close(cast(int, coupon_id), CouponStatus.RECLAIMED, operation, operator_id=operator_id, now=now,
                        still={"expires_at__gte": now}, detail=detail):
            closed += 1
    return closed
