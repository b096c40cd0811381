"""Demo customer business: the customers' own accounts, on-behalf authorizations in every status with
their orders, disassociation requests, association records, enterprise profiles and prospects.

Runs after the other builders and draws nothing from the shared random generator, so the rest of
the demo stays as it was.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from gateway.seed.demo_context import DemoContext
from models.coupons import Coupon, CouponKind, CouponOperation, CouponOperationType, CouponQuota, CouponStatus, QuotaStatus
from models.customers import (
    AssociationOperation,
    AssociationRecord,
    AuthorizationScope,
    AuthorizationStatus,
    Customer,
    CustomerKind,
    CustomerStatus,
    DisassociationRequest,
    DisassociationRequestStatus,
    EnterpriseProfile,
    OnBehalfAuthorization,
    OnBehalfOrder,
    Prospect,
)
from models.incentives import BillingMode
from models.partners import RealNameStatus

PLACE, OPERATE = AuthorizationScope.PLACE_ORDERS.value, AuthorizationScope.OPERATE_RESOURCES.value

# Enterprises that are not anybody's demo customer, for the name search and prospects.
PROSPECTS = [
    ("Acme Retail Group Co., Ltd.", "91330100MA2AC0001X", "Retail", "1M-5M CNY/year", "HIGH", "Another cloud provider"),
    ("Globex Manufacturing Co., Ltd.", "91320500MA1GL0002Y", "Manufacturing", "5M-20M CNY/year", "MEDIUM", ""),
    ("Initech Software Co., Ltd.", "91440300MA5IN0003Z", "Software", "100K-1M CNY/year", "LOW", "Self-built data centre"),
    ("Umbrella Health Technology Co., Ltd.", "91310000MA1UM0004W", "Healthcare", "1M-5M CNY/year", "MEDIUM", ""),
]


def _profile(name: str, credit: str, industry: str, band: str, activity: str, provider: str, serial: int) -> EnterpriseProfile:
    return EnterpriseProfile(
        name=name, credit_code=credit, legal_representative=["Wang Jun", "Li Mei", "Zhou Qiang", "Sun Yue"][serial % 4],
        registered_capital=f"{(serial % 5 + 1) * 10} million CNY", founded_on=date(2004 + serial % 15, serial % 12 + 1, 8),
        national_industry=industry, cloud_industry=industry, address=f"{serial + 8} Science Park Road",
        website=f"https://www.enterprise{serial}.example.com", wallet_size_band=band, cloud_activity=activity,
        current_service_provider=provider,
        financing=[{"round": "Series A", "amount": "30 million CNY", "date": f"{2016 + serial % 6}-05-20",
                    "investors": ["Bright Capital"]}] if serial % 2 == 0 else [],
        products=[f"{industry} platform", f"{industry} analytics"], brands=[name.split()[0]],
        rankings=[{"name": "Top 100 digital enterprises", "year": 2025, "position": 10 + serial}] if serial % 3 == 0 else [],
        software_copyrights=[{"title": f"{industry} management system V{serial % 4 + 1}.0",
                              "registration_number": f"2024SR{100000 + serial:06d}", "registered_on": "2024-03-18"}],
        patents=[{"title": f"A method for {industry.lower()} scheduling", "number": f"CN11{serial:07d}A",
                  "kind": "INVENTION", "granted_on": "2025-01-07" if serial % 2 else None}],
    )


async def _profiles(ctx: DemoContext) -> dict[str, EnterpriseProfile]:
    """A profile for every real-name-verified enterprise customer, plus the prospects'."""
    names: list[tuple[str, str, str, str, str, str]] = []
    for handle, customers in ctx.customers.items():
        for c in customers:
            if c.real_name_status is RealNameStatus.VERIFIED and c.name not in {n[0] for n in names}:
                names.append((c.name, f"9111{c.id:014d}", "Services", "100K-1M CNY/year", "MEDIUM", ctx.partners[handle].name))
    names += PROSPECTS
    await EnterpriseProfile.bulk_create([_profile(*spec, serial=i) for i, spec in enumerate(names)])
    profiles = {p.name: p for p in await EnterpriseProfile.all()}
    for customers in ctx.customers.values():
        for c in customers:
            if c.name in profiles:
                c.enterprise_id = profiles[c.name].id
                await Customer.filter(id=c.id).update(enterprise_id=c.enterprise_id, kind=CustomerKind.ENTERPRISE)
    return profiles


async def _link(customer: Customer, account_id: int) -> None:
    customer.customer_account_id = account_id
    await Customer.filter(id=customer.id).update(customer_account_id=account_id)


async def _authorization(ctx: DemoContext, customer: Customer, requester: str, status: AuthorizationStatus,
                         scopes: list[str], requested_days_ago: int, orders: int = 0, message: str = "") -> OnBehalfAuthorization:
    requested = ctx.at(days=-requested_days_ago)
    answered = ctx.at(days=-requested_days_ago + 1) if status is not AuthorizationStatus.REQUESTED else None
    cancelled = ctx.at(days=-requested_days_ago + 20) if status is AuthorizationStatus.CANCELLED else None
    authorization = await OnBehalfAuthorization.create(
        partner_id=customer.partner_id, customer_id=customer.id, scopes=scopes, status=status, message=message,
        requested_by=ctx.account(requester), requested_at=requested, responded_at=answered,
        responded_by_id=customer.customer_account_id if answered else None, cancelled_at=cancelled,
        cancel_reason="Our own operations team takes over from next month." if cancelled else "",
        orders_placed=orders, orders_at_cancellation=orders if cancelled else None,
    )
    for i in range(orders):
        placed = ctx.at(days=-requested_days_ago + 2 + i * 5)
        yearly = i % 2 == 0
        await OnBehalfOrder.create(
            number=f"OB{placed:%Y%m%d}{authorization.id:04d}{i:02d}DEMO"[:32], partner_id=customer.partner_id,
            customer_id=customer.id, authorization_id=authorization.id,
            product_code=["hws.ecs.s7", "hws.rds.mysql", "hws.obs.standard", "hws.cdn.traffic"][i % 4],
            product_name=["ECS general computing s7", "RDS for MySQL", "OBS standard storage", "CDN traffic package"][i % 4],
            billing_mode=BillingMode.YEARLY_MONTHLY if yearly else BillingMode.ON_DEMAND, period_months=12 if yearly else None,
            quantity=1 + i, amount=Decimal(f"{(i + 1) * 1850}.00"), placed_by=ctx.account(requester), placed_at=placed,
        )
    return authorization


async def seed_customer_business(ctx: DemoContext) -> None:
    await _profiles(ctx)
    acme, globex = ctx.account("customer.acme"), ctx.account("customer.globex")
    # customer.acme: a resale customer of the distributor, a referral customer of Lattice, and a
    # government-cloud customer holding pickup coupons (which the distributor may view).
    acme_at_distributor = ctx.resale_customers("distributor")[0]
    acme_at_provider = next(c for c in ctx.customers["provider"] if c.association_type.value == "REFERRAL")
    await _link(acme_at_distributor, acme.id)
    await _link(acme_at_provider, acme.id)
    pickup = await Coupon.filter(partner_id=ctx.partners["govcloud"].id, kind=CouponKind.PICKUP,
                                 status=CouponStatus.AVAILABLE).order_by("id").first()
    if pickup is not None:
        await Customer.filter(id=pickup.customer_id).update(customer_account_id=acme.id)
    # customer.globex: a resale customer of Lattice (the README walk starts there) and of Harbor Lane.
    globex_at_provider = ctx.resale_customers("provider")[0]
    globex_at_reseller = ctx.resale_customers("reseller1")[0]
    await _link(globex_at_provider, globex.id)
    await _link(globex_at_reseller, globex.id)

    await _authorization(ctx, acme_at_distributor, "distributor.am", AuthorizationStatus.CANCELLED, [PLACE], 200, orders=2)
    await _authorization(ctx, acme_at_distributor, "distributor.am", AuthorizationStatus.AUTHORIZED, [PLACE, OPERATE], 60,
                         orders=3, message="For the Q3 capacity expansion.")
    await _authorization(ctx, globex_at_reseller, "reseller.admin", AuthorizationStatus.REJECTED, [OPERATE], 120)
    await _authorization(ctx, globex_at_reseller, "reseller.admin", AuthorizationStatus.REQUESTED, [PLACE], 3,
                         message="To renew your ECS fleet before it expires.")

    await DisassociationRequest.create(
        partner_id=acme_at_distributor.partner_id, customer_id=acme_at_distributor.id, reason="Budget review.",
        status=DisassociationRequestStatus.REJECTED, requested_at=ctx.at(days=-150), response="We agreed new terms "
        "on the phone.", handled_by=ctx.account("distributor.admin"), handled_at=ctx.at(days=-149),
    )
    # acme asked Lattice to end their referral association 20 days ago: the cooling rule holds.
    await DisassociationRequest.create(partner_id=acme_at_provider.partner_id, customer_id=acme_at_provider.id,
                                       reason="We buy directly now.", requested_at=ctx.at(days=-20))
    await DisassociationRequest.create(
        partner_id=globex_at_reseller.partner_id, customer_id=globex_at_reseller.id, reason="Consolidating our vendors.",
        status=DisassociationRequestStatus.REJECTED, requested_at=ctx.at(days=-200), response="Your contract runs until "
        "the end of the year; let us talk about it then.", handled_by=ctx.account("reseller.admin"), handled_at=ctx.at(days=-198),
    )
    await _records(ctx)


async def _records(ctx: DemoContext) -> None:
    """An ASSOCIATED record for every customer, then the demo's later changes."""
    rows = [AssociationRecord(partner_id=c.partner_id, customer_id=c.id, operation=AssociationOperation.ASSOCIATED,
                              after=c.association_type.value, created_at=c.associated_at)
            for customers in ctx.customers.values() for c in customers]
    manager = ctx.customers["distributor"][2]
    rows.append(AssociationRecord(partner_id=manager.partner_id, customer_id=manager.id,
                                  operation=AssociationOperation.ACCOUNT_MANAGER_CHANGED, operator=ctx.account("distributor.admin"),
                                  before="distributor.am", after="distributor.am2", created_at=ctx.at(days=-30)))
    switched = ctx.customers["distributor"][5]
    rows.append(AssociationRecord(partner_id=switched.partner_id, customer_id=switched.id,
                                  operation=AssociationOperation.TYPE_SWITCHED, operator=ctx.account("distributor.admin"),
                                  before="RESALE", after="REFERRAL", detail="1 coupon(s) reclaimed.", created_at=ctx.at(days=-45)))
    await _switch_reclaimed(ctx, switched)
    globex = ctx.resale_customers("reseller1")[0]
    rows += [
        AssociationRecord(partner_id=globex.partner_id, customer_id=globex.id, operation=AssociationOperation.DISASSOCIATION_REQUESTED,
                          operator=ctx.account("customer.globex"), detail="Consolidating our vendors.", created_at=ctx.at(days=-200)),
        AssociationRecord(partner_id=globex.partner_id, customer_id=globex.id, operation=AssociationOperation.DISASSOCIATION_REJECTED,
                          operator=ctx.account("reseller.admin"), detail="Your contract runs until the end of the year; let us "
                          "talk about it then.", created_at=ctx.at(days=-198)),
    ]
    acme = next(c for c in ctx.customers["provider"] if c.association_type.value == "REFERRAL")
    rows.append(AssociationRecord(partner_id=acme.partner_id, customer_id=acme.id, operation=AssociationOperation.DISASSOCIATION_REQUESTED,
                                  operator=ctx.account("customer.acme"), detail="We buy directly now.", created_at=ctx.at(days=-20)))
    await AssociationRecord.bulk_create(rows)
    await _disassociated(ctx)
    profiles = {p.name: p for p in await EnterpriseProfile.filter(name__in=[p[0] for p in PROSPECTS[2:]])}
    for name, days_ago in ((PROSPECTS[2][0], 12), (PROSPECTS[3][0], 4)):
        await Prospect.create(partner=ctx.partners["distributor"], enterprise=profiles[name], registered_by=ctx.account("distributor.am"),
                              note="Met at the regional cloud summit.", created_at=ctx.at(days=-days_ago))


async def _switch_reclaimed(ctx: DemoContext, customer: Customer) -> None:
    """The voucher the switched customer held while it was a resale customer: issued, then reclaimed
    whole by the switch to referral, so its quota is where it was."""
    quota = await CouponQuota.filter(partner_id=customer.partner_id, kind=CouponKind.VOUCHER, status=QuotaStatus.NORMAL,
                                     parent_quota_id=None).order_by("id").first()
    if quota is None:
        raise RuntimeError("the coupon demo has no normal voucher quota for the distributor")
    admin, issued, switched = ctx.account("distributor.admin"), ctx.at(days=-70), ctx.at(days=-45)
    face = Decimal("500.00")
    coupon = await Coupon.create(partner_id=customer.partner_id, quota=quota, customer=customer, kind=CouponKind.VOUCHER,
                                 face_value=face, status=CouponStatus.RECLAIMED, valid_from=issued,
                                 expires_at=quota.valid_until, issued_by=admin, issued_at=issued,
                                 closed_at=switched)
    await CouponOperation.bulk_create([
        CouponOperation(partner_id=customer.partner_id, type=CouponOperationType.ISSUE, operator=admin, quota=quota,
                        coupon=coupon, customer=customer, amount=face, detail="Issued a voucher coupon.", created_at=issued),
        CouponOperation(partner_id=customer.partner_id, type=CouponOperationType.SWITCH_RECLAIM, operator=admin, quota=quota,
                        coupon=coupon, customer=customer, amount=face,
                        detail="Customer switched to referral; remainder returned to the quota.", created_at=switched),
    ])


async def _disassociated(ctx: DemoContext) -> None:
    """The Harbor Lane customer whose coupon the coupon demo reclaimed on disassociation."""
    from gateway.seed.demo_coupons import DISASSOCIATED

    reclaimed = await Coupon.filter(partner_id=ctx.partners["reseller1"].id, status=CouponStatus.RECLAIMED) \
        .filter(operations__type="DISASSOCIATION_RECLAIM").first()
    if reclaimed is None:
        raise RuntimeError(f"the coupon demo has no disassociation reclaim ({DISASSOCIATED})")
    customer = await Customer.get(id=reclaimed.customer_id)
    at: datetime = reclaimed.closed_at or ctx.at(days=-30)
    await Customer.filter(id=customer.id).update(status=CustomerStatus.DISASSOCIATED, disassociated_at=at)
    await AssociationRecord.create(partner_id=customer.partner_id, customer_id=customer.id, operation=AssociationOperation.DISASSOCIATED,
                                   operator=ctx.account("reseller.admin"), before=customer.association_type.value,
                                   detail="Project ended. 1 coupon(s) reclaimed.", created_at=at)
