"""Quotas, coupons, usage and operation records a caller may read."""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from models.coupons import Coupon, CouponOperation, CouponQuota, CouponStatus, CouponUsage
from resolvers.principal import Principal
from resolvers.scoping import own_partner_rows
from resolvers.permissions.catalog import Permission


def readable_quotas(principal: Principal) -> QuerySet[CouponQuota]:
    """Own quotas; a distributor also sees the reseller quotas it allocated."""
    if principal.is_staff or principal.partner_id is None or not principal.managed_partner_ids:
        return own_partner_rows(principal, CouponQuota.all(), staff_permission=Permission.COUPON_QUOTA_VIEW)
    return CouponQuota.filter(
        Q(partner_id=principal.partner_id)
        | Q(partner_id__in=list(principal.managed_partner_ids), parent_quota__partner_id=principal.partner_id)
    )


def readable_coupons(principal: Principal) -> QuerySet[Coupon]:
    return own_partner_rows(principal, Coupon.all(), staff_permission=Permission.COUPON_ISSUED_VIEW)


def readable_usage_records(principal: Principal) -> QuerySet[CouponUsage]:
    return own_partner_rows(
        principal, CouponUsage.all(), partner_field="coupon__partner_id", staff_permission=Permission.COUPON_USAGE_VIEW
    )


def readable_operations(principal: Principal) -> QuerySet[CouponOperation]:
    return own_partner_rows(principal, CouponOperation.all(), staff_permission=Permission.COUPON_OPLOG_VIEW)


# An AVAILABLE coupon past its expiry is EXPIRED to every reader, whether or not the expiry
# job (`partner-gateway expire`) has closed it and returned its remainder yet.


def effective_status(coupon: Coupon, now: datetime) -> CouponStatus:
    if coupon.status is CouponStatus.AVAILABLE and coupon.expires_at < now:
        return CouponStatus.EXPIRED
    return coupon.status


def status_condition(status: CouponStatus, now: datetime) -> Q:
    """Rows whose effective status is `status`."""
    if status is CouponStatus.AVAILABLE:
        return Q(status=CouponStatus.AVAILABLE, expires_at__gte=now)
    if status is CouponStatus.EXPIRED:
        return Q(status=CouponStatus.EXPIRED) | Q(status=CouponStatus.AVAILABLE, expires_at__lt=now)
    return Q(status=status)
