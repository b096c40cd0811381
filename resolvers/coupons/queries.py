"""Quotas, coupons, usage and operation records a caller may read."""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import Q

from models.coupons import Coupon, CouponOperation, CouponQuota, CouponStatus, CouponUsage
from resolvers.permissions.catalog import Permission
from resolvers.principal import Principal
from resolvers.scoping import scoped


def _allocated_by_you(principal: Principal) -> Q:
    """A distributor also reads the reseller quotas it allocated (not its resellers' other quotas)."""
    return Q(partner_id__in=list(principal.managed_partner_ids), parent_quota__partner_id=principal.partner_id)


readable_quotas = scoped(CouponQuota, staff=Permission.COUPON_QUOTA_VIEW, distributor=_allocated_by_you)
readable_coupons = scoped(Coupon, staff=Permission.COUPON_ISSUED_VIEW)
readable_usage_records = scoped(CouponUsage, tenant="coupon__partner_id", staff=Permission.COUPON_USAGE_VIEW)
readable_operations = scoped(CouponOperation, staff=Permission.COUPON_OPLOG_VIEW)


# An AVAILABLE coupon past its expiry is EXPIRED to every reader, whether or not the expiry
# job (`partner-gateway expire`) has closed it and returned its remainder yet.


def effective_status(coupon: Coupon, now: datetime) -> CouponStatus:
    if coupon.status is CouponStatus.AVAILABLE and coupon.expires_at < now:
        return CouponStatus.EXPIRED
    return coupon.status


def effective_status_sql(status: str, expires_at: str, now: str) -> str:
    """`effective_status` in SQL, on the row's `status` and `expires_at` expressions and the bound `now`."""
    return (f"CASE WHEN {status} = '{CouponStatus.AVAILABLE.value}' AND {expires_at} < {now} "
            f"THEN '{CouponStatus.EXPIRED.value}' ELSE {status} END")


def status_condition(status: CouponStatus, now: datetime) -> Q:
    """Rows whose effective status is `status`."""
    if status is CouponStatus.AVAILABLE:
        return Q(status=CouponStatus.AVAILABLE, expires_at__gte=now)
    if status is CouponStatus.EXPIRED:
        return Q(status=CouponStatus.EXPIRED) | Q(status=CouponStatus.AVAILABLE, expires_at__lt=now)
    return Q(status=status)
