"""Partners, customers, quotas and coupons the coupon tests own (the shared demo rows stay untouched)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from models.coupons import Coupon, CouponKind, CouponOperation, CouponOperationType, CouponQuota, CouponStatus, QuotaStatus
from models.customers import AssociationType, Customer
from models.members import Account, AccountKind
from models.partners import Partner
from models.partners import PartnerIdentity as I
from resolvers.money import adjust
from tests.factories import create_account, unique
from tests.graphql import gid, pk_of  # noqa: F401 - re-exported: the tests import it from here


def days(n: float) -> datetime:
    return datetime.now(UTC) + timedelta(days=n)


async def create_partner(identities: list[I], *, verification: bool = False, parent: Partner | None = None) -> Partner:
    return await Partner.create(
        name=unique("Coupon Test Partner"), region="cn-north-4", identities=[i.value for i in identities],
        verification_code_enabled=verification, parent_distributor=parent,
    )


async def create_main_account(partner: Partner) -> Account:
    return await create_account(partner, name=unique("coupons.main"), kind=AccountKind.MAIN_ACCOUNT)


async def create_customers(partner: Partner, count: int, *, association: AssociationType = AssociationType.RESALE,
                           whitelisted: bool = False) -> list[Customer]:
    return [
        await Customer.create(partner=partner, name=unique("Customer"), association_type=association,
                              whitelisted=whitelisted, associated_at=days(-100))
        for _ in range(count)
    ]


async def create_quota(partner: Partner, *, kind: CouponKind = CouponKind.VOUCHER, total: str = "1000.00",
                       status: QuotaStatus = QuotaStatus.NORMAL, valid_from: datetime | None = None,
                       valid_until: datetime | None = None, parent: CouponQuota | None = None) -> CouponQuota:
    return await CouponQuota.create(
        partner=partner, kind=kind, total=Decimal(total), used=Decimal("0.00"), status=status,
        valid_from=valid_from or days(-30), valid_until=valid_until or days(60), parent_quota=parent,
    )


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
    extra: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.account.name

    def customer_ids(self, count: int | None = None, start: int = 0) -> list[str]:
        chosen = self.customers[start:] if count is None else self.customers[start:start + count]
        return [gid("Customer", c.id) for c in chosen]

    @property
    def quota_id(self) -> str:
        return gid("CouponQuota", self.quota.id)


async def create_issuer(identities: list[I] | None = None, *, kind: CouponKind = CouponKind.VOUCHER, total: str = "1000.00",
                        customers: int = 3, verification: bool = False, whitelisted: bool = False,
                        parent: Partner | None = None, **quota_overrides) -> Issuer:
    partner = await create_partner(identities or [I.SOLUTION_PROVIDER], verification=verification, parent=parent)
    account = await create_main_account(partner)
    rows = await create_customers(partner, customers, whitelisted=whitelisted)
    quota = await create_quota(partner, kind=kind, total=total, **quota_overrides)
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


async def create_distribution(resellers: int = 2, *, verification: bool = False, total: str = "10000.00") -> Distribution:
    distributor = await create_issuer([I.DISTRIBUTOR], verification=verification, total=total)
    partners, accounts = [], []
    for _ in range(resellers):
        reseller = await create_partner([I.RESELLER], parent=distributor.partner)
        partners.append(reseller)
        accounts.append(await create_main_account(reseller))
    return Distribution(distributor, partners, accounts)
