"""Quotas and coupons a test owns, and the issuers and distributions that hold them (the demo's stay untouched)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from models.coupons import Coupon, CouponKind, CouponOperation, CouponOperationType, CouponQuota, CouponStatus, QuotaStatus
from models.customers import Customer
from models.members import Account
from models.partners import Partner
from models.partners import PartnerIdentity as I
from resolvers.money import adjust
from tests.factories.customers import create_customers
from tests.factories.members import create_main_account
from tests.factories.partners import create_partner
from tests.factories.values import days
from tests.graphql import gid


async def create_quota(partner: Partner, *, kind: CouponKind = CouponKind.VOUCHER, total: str = "1000.00",
                       **overrides) -> CouponQuota:
    """A NORMAL quota, nothing used, valid from 30 days ago for 90 days; `overrides` set any other
    column (`status=`, `valid_from=`, `parent_quota=`)."""
    fields = {"used": Decimal("0.00"), "status": QuotaStatus.NORMAL, "valid_from": days(-30), "valid_until": days(60)}
    fields.update(overrides)
    return await CouponQuota.create(partner=partner, kind=kind, total=Decimal(total), **fields)


async def create_coupon(quota: CouponQuota, customer: Customer, *, face: str = "100.00", used: str = "0.00",
                        expires_at: datetime | None = None, issued_by: Account | None = None) -> Coupon:
    """An AVAILABLE coupon as an issue would leave it: the quota charged, an ISSUE record written."""
    assert await adjust(CouponQuota, quota.id, "used", Decimal(face), at_most="total")
    now = datetime.now(UTC)
    coupon = await Coupon.create(
        partner_id=quota.partner_id, quota=quota, customer=customer, kind=quota.kind, face_value=Decimal(face),
        used_amount=Decimal(used), status=CouponStatus.AVAILABLE, valid_from=quota.valid_from,
        expires_at=expires_at or quota.valid_until, issued_by=issued_by, issued_at=now,
    )
    await CouponOperation.create(partner_id=quota.partner_id, type=CouponOperationType.ISSUE, operator=issued_by, quota=quota,
                                 coupon=coupon, customer=customer, amount=Decimal(face), created_at=now)
    return coupon


@dataclass
class Issuer:
    """A fresh partner with its main account, resale customers and one NORMAL quota."""

    partner: Partner
    account: Account
    customers: list[Customer]
    quota: CouponQuota

    @property
    def name(self) -> str:
        return self.account.name

    def customer_ids(self, count: int | None = None, start: int = 0) -> list[str]:
        chosen = self.customers[start:] if count is None else self.customers[start:start + count]
        return [gid("Customer", c.id) for c in chosen]

    @property
    def quota_id(self) -> str:
        return gid("CouponQuota", self.quota.id)


async def create_issuer(*identities: I, kind: CouponKind = CouponKind.VOUCHER, total: str = "1000.00", customers: int = 3,
                        whitelisted: bool = False, **overrides) -> Issuer:
    """`identities` and `overrides` as for create_partner; the quota is of `kind` for `total`."""
    partner = await create_partner(*identities, **overrides)
    account = await create_main_account(partner)
    rows = await create_customers(partner, customers, whitelisted=whitelisted)
    quota = await create_quota(partner, kind=kind, total=total)
    return Issuer(partner, account, rows, quota)


@dataclass
class Distribution:
    """A fresh distributor (with a NORMAL voucher quota) and resellers it manages."""

    distributor: Issuer
    resellers: list[Partner]
    reseller_accounts: list[Account]

    @property
    def name(self) -> str:
        return self.distributor.name

    def reseller_ids(self) -> list[str]:
        return [gid("Partner", r.id) for r in self.resellers]


async def create_distribution(resellers: int = 2, *, total: str = "10000.00", **overrides) -> Distribution:
    """`overrides` as for create_partner, for the distributor."""
    distributor = await create_issuer(I.DISTRIBUTOR, total=total, **overrides)
    partners, accounts = [], []
    for _ in range(resellers):
        reseller = await create_partner(I.RESELLER, parent_distributor=distributor.partner)
        partners.append(reseller)
        accounts.append(await create_main_account(reseller))
    return Distribution(distributor, partners, accounts)
