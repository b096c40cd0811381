"""Demo coupon quotas, coupons, usage and operation records.

Bookkeeping rule the data obeys (and the tests check): a quota's ``used`` is the face
value of its AVAILABLE and USED coupons, plus what EXPIRED and RECLAIMED coupons had
used (their remainder went back), plus for a distributor quota the totals of the
reseller quotas allocated from it. A reclaimed reseller quota keeps as total only
what it had used, since its remainder went back to the distributor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from gateway.seed.common import money
from gateway.seed.demo_context import DemoContext
from models.coupons import (
    Coupon,
    CouponKind,
    CouponOperation,
    CouponQuota,
    CouponStatus,
    CouponUsage,
    OperationResult,
    QuotaStatus,
)
from models.coupons import (
    CouponOperationType as Op,
)

VOUCHER, CASH, PICKUP = CouponKind.VOUCHER, CouponKind.CASH, CouponKind.PICKUP
AVAILABLE, USED, EXPIRED, RECLAIMED = CouponStatus.AVAILABLE, CouponStatus.USED, CouponStatus.EXPIRED, CouponStatus.RECLAIMED


@dataclass(frozen=True)
class QuotaSpec:
    key: str
    handle: str
    kind: CouponKind
    total: str
    status: QuotaStatus
    valid_from: int  # days relative to now
    valid_until: int
    issuer: str
    parent: str | None = None


QUOTAS = (
    QuotaSpec("D1", "distributor", VOUCHER, "200000", QuotaStatus.NORMAL, -200, 165, "distributor.coupons"),
    QuotaSpec("D2", "distributor", VOUCHER, "50000", QuotaStatus.FROZEN, -120, 245, "distributor.admin"),
    QuotaSpec("D3", "distributor", VOUCHER, "20000", QuotaStatus.INVALID, -400, -35, "distributor.admin"),
    QuotaSpec("R1", "reseller1", VOUCHER, "30000", QuotaStatus.NORMAL, -150, 150, "reseller.admin", "D1"),
    QuotaSpec("R2", "reseller2", VOUCHER, "20000", QuotaStatus.NORMAL, -120, 160, "reseller2.admin", "D1"),
    QuotaSpec("R3", "reseller3", VOUCHER, "10000", QuotaStatus.NORMAL, -40, 160, "reseller3.admin", "D1"),
    QuotaSpec("P1", "provider", VOUCHER, "80000", QuotaStatus.NORMAL, -180, 185, "provider.admin"),
    QuotaSpec("P2", "provider2", VOUCHER, "30000", QuotaStatus.ADJUSTING, -90, 275, "provider2.admin"),
    QuotaSpec("GS1", "govsubsidy", VOUCHER, "60000", QuotaStatus.NORMAL, -200, 165, "govsubsidy.admin"),
    QuotaSpec("GS2", "govsubsidy", CASH, "100000", QuotaStatus.NORMAL, -150, 215, "govsubsidy.admin"),
    QuotaSpec("GC1", "govcloud", PICKUP, "150000", QuotaStatus.NORMAL, -300, 65, "govcloud.admin"),
)

# quota key -> [(eligible customer index, face value, status, usage amounts, issued days ago, expires in days)]
COUPONS: dict[str, list[tuple[int, str, CouponStatus, list[str], int, int]]] = {
    "D1": [
        (0, "5000", AVAILABLE, ["1200", "800"], 60, 90),
        (1, "3000", AVAILABLE, [], 20, 120),
        (2, "8000", AVAILABLE, ["2500"], 45, 60),
        (3, "2000", USED, ["1500", "500"], 90, 30),
        (4, "10000", USED, ["6000", "4000"], 150, 15),
        (0, "4000", EXPIRED, ["1000"], 120, -10),
        (1, "6000", RECLAIMED, ["2000"], 100, 60),
        (2, "1500", RECLAIMED, [], 30, 90),
        (3, "2500", EXPIRED, [], 180, -30),
        (4, "5000", AVAILABLE, ["500", "700"], 10, 150),
        (3, "1000", AVAILABLE, [], 1, 100),  # valid only from next week, see NOT_YET_VALID
    ],
    "D2": [(0, "3000", AVAILABLE, ["300"], 100, 200), (4, "2000", USED, ["2000"], 110, 100)],
    "D3": [(1, "1000", EXPIRED, ["400"], 300, -35), (2, "1200", USED, ["700", "500"], 350, -60)],
    "R1": [
        (0, "2000", AVAILABLE, ["800"], 60, 80),
        (1, "1500", USED, ["1500"], 100, 40),
        (2, "3000", RECLAIMED, ["1200"], 90, 60),  # its customer was disassociated, see DISASSOCIATED
        (3, "1000", EXPIRED, [], 140, -20),
        (0, "2500", RECLAIMED, [], 15, 100),
    ],
    "R2": [(0, "1800", AVAILABLE, [], 30, 100), (1, "2200", USED, ["1000", "1200"], 80, 50),
           (2, "900", EXPIRED, ["300"], 110, -7)],
    "R3": [(0, "2000", AVAILABLE, ["500"], 30, 120), (1, "1000", USED, ["1000"], 35, 90)],
    "P1": [
        (0, "6000", AVAILABLE, ["2000", "1500"], 50, 100),
        (1, "4000", USED, ["4000"], 120, 30),
        (2, "3000", EXPIRED, ["1200"], 170, -3),
        (3, "5000", RECLAIMED, [], 40, 120),
        (0, "2000", AVAILABLE, [], 5, 150),
    ],
    "P2": [(0, "3000", AVAILABLE, ["1000"], 40, 200), (1, "1500", USED, ["1500"], 80, 100)],
    "GS1": [(0, "5000", AVAILABLE, ["1000"], 60, 100), (1, "3000", USED, ["3000"], 100, 60),
            (2, "2000", EXPIRED, ["500"], 190, -15)],
    "GS2": [
        (0, "10000", AVAILABLE, ["3000", "2000"], 70, 150),
        (1, "8000", USED, ["5000", "3000"], 120, 90),
        (2, "6000", EXPIRED, ["2500"], 140, -5),
        (3, "4000", RECLAIMED, ["1000"], 50, 120),
    ],
    "GC1": [
        (0, "20000", AVAILABLE, ["6000"], 100, 60),
        (1, "15000", USED, ["10000", "5000"], 200, 30),
        (2, "12000", EXPIRED, ["4000", "2000"], 280, -20),
        (3, "10000", RECLAIMED, ["2500"], 90, 50),
        (0, "8000", AVAILABLE, [], 10, 60),
    ],
}
NOT_YET_VALID = ("D1", 10)
DISASSOCIATED = ("R1", 2)
# The distributor takes back what reseller3 had not issued, days ago.
RECLAIMED_RESELLER_QUOTA = ("R3", 5)


class _CouponBook:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.quotas: dict[str, CouponQuota] = {}
        self.used: dict[str, Decimal] = {}

    async def create_quotas(self) -> None:
        operations = self.ctx.account("staff.operations")
        distributor_admin = self.ctx.account("distributor.admin")
        for spec in QUOTAS:
            parent = self.quotas[spec.parent] if spec.parent else None
            self.quotas[spec.key] = await CouponQuota.create(
                partner=self.ctx.partners[spec.handle],
                kind=spec.kind,
                total=money(spec.total),
                used=Decimal("0.00"),
                valid_from=self.ctx.at(days=spec.valid_from),
                valid_until=self.ctx.at(days=spec.valid_until),
                status=spec.status,
                parent_quota=parent,
                # Reseller quota is the distributor's to give; the rest comes from operations staff.
                granted_by=distributor_admin if parent else operations,
                created_at=self.ctx.at(days=spec.valid_from),
            )
            self.used[spec.key] = Decimal("0.00")
            if parent:
                await self.operation(
                    "distributor", Op.QUOTA_ALLOCATE, distributor_admin, self.ctx.at(days=spec.valid_from),
                    money(spec.total), quota=self.quotas[spec.key],
                    detail=f"Allocated to {self.ctx.partners[spec.handle].name} from quota {parent.id}.",
                )

    async def operation(self, handle, type_, operator, at, amount, *, quota=None, coupon=None, customer=None,
                         detail="", result=OperationResult.SUCCEEDED) -> None:
        await CouponOperation.create(
            partner=self.ctx.partners[handle], type=type_, operator=operator, quota=quota, coupon=coupon,
            customer=customer, amount=amount, result=result, detail=detail, created_at=at,
        )

    async def issue(self, spec: QuotaSpec, position: int, row: tuple) -> None:
        ctx = self.ctx
        index, face, status, usages, issued_days, expires_in = row
        quota = self.quotas[spec.key]
        # Government partners may only give coupons to whitelisted customers.
        customer = ctx.resale_customers(spec.handle, whitelisted_only=spec.handle.startswith("gov"))[index]
        issuer = ctx.account(spec.issuer)
        issued_at = ctx.at(days=-issued_days, hours=10)
        valid_from = ctx.at(days=7) if (spec.key, position) == NOT_YET_VALID else issued_at
        expires_at = ctx.at(days=expires_in)
        if not (quota.valid_from <= valid_from < expires_at <= quota.valid_until):
            raise AssertionError(f"coupon {spec.key}#{position} lies outside its quota window")
        face_value, amounts = money(face), [money(a) for a in usages]
        used_amount = sum(amounts, Decimal("0.00"))
        closed_at = _closing_time(status, issued_at, expires_at, ctx.now)
        coupon = await Coupon.create(
            partner=ctx.partners[spec.handle], quota=quota, customer=customer, kind=spec.kind,
            face_value=face_value, used_amount=used_amount, status=status, valid_from=valid_from,
            expires_at=expires_at,
            product_limits=["ECS", "EVS", "RDS"] if position % 3 == 0 else [],
            service_limits=["Compute", "Database"] if position % 4 == 1 else [],
            min_order_amount=money(face_value * 2) if spec.kind is VOUCHER and position % 2 == 0 else None,
            max_order_ratio=Decimal("0.5000") if spec.kind is not VOUCHER else None,
            remark=["Q3 retail campaign", "Migration incentive", "", "New-customer welcome"][position % 4],
            issued_by=issuer, issued_at=issued_at, closed_at=closed_at,
        )
        await self._usage(coupon, amounts, valid_from, closed_at or min(ctx.now, expires_at), status is USED)
        await self.operation(spec.handle, Op.ISSUE, issuer, issued_at, face_value, quota=quota, coupon=coupon,
                              customer=customer, detail=f"Issued a {spec.kind.value.lower()} coupon.")
        remainder = face_value - used_amount
        if status in (AVAILABLE, USED):
            self.used[spec.key] += face_value
            return
        self.used[spec.key] += used_amount
        if status is EXPIRED:
            await self.operation(spec.handle, Op.EXPIRY_RECLAIM, None, expires_at, remainder, quota=quota,
                                  coupon=coupon, customer=customer, detail="Remainder returned on expiry.")
        elif (spec.key, position) == DISASSOCIATED:
            await self.operation(spec.handle, Op.DISASSOCIATION_RECLAIM, issuer, closed_at, remainder, quota=quota,
                                  coupon=coupon, customer=customer,
                                  detail="Customer disassociation requested; remainder returned to the quota.")
        else:
            await self.operation(spec.handle, Op.MANUAL_RECLAIM, issuer, closed_at, remainder, quota=quota,
                                  coupon=coupon, customer=customer, detail="Reclaimed at the issuer's request.")

    async def _usage(
        self, coupon: Coupon, amounts: list[Decimal], start: datetime, end: datetime, last_closes: bool
    ) -> None:
        # A used-up coupon closes with its last deduction; otherwise deductions stop short of the end.
        span, slots = end - start, len(amounts) + (0 if last_closes else 1)
        for k, amount in enumerate(amounts):
            used_at = start + span * (k + 1) / slots
            await CouponUsage.create(
                coupon=coupon, amount=amount, used_at=used_at,
                order_id=f"CS{used_at:%y%m%d}{self.ctx.rng.randrange(10**8):08d}",
            )

    async def reclaim_reseller_quota(self) -> None:
        key, days_ago = RECLAIMED_RESELLER_QUOTA
        quota = self.quotas[key]
        remainder = quota.total - self.used[key]
        quota.total = self.used[key]
        quota.status = QuotaStatus.INVALID
        await quota.save(update_fields=["total", "status"])
        await self.operation(
            "distributor", Op.QUOTA_RECLAIM, self.ctx.account("distributor.admin"), self.ctx.at(days=-days_ago),
            remainder, quota=quota, detail="Unissued balance reclaimed from the reseller.",
        )

    async def settle(self) -> None:
        for spec in QUOTAS:
            if spec.parent:
                self.used[spec.parent] += self.quotas[spec.key].total
        for key, quota in self.quotas.items():
            if self.used[key] > quota.total:
                raise AssertionError(f"quota {key} over-issued")
            quota.used = self.used[key]
            await quota.save(update_fields=["used"])


def _closing_time(status: CouponStatus, issued_at: datetime, expires_at: datetime, now: datetime) -> datetime | None:
    if status is AVAILABLE:
        return None
    if status is EXPIRED:
        return expires_at
    # Used up or reclaimed some time before now and before expiry.
    return issued_at + (min(now, expires_at) - issued_at) * 4 / 5


async def seed_coupons(ctx: DemoContext) -> None:
    book = _CouponBook(ctx)
    await book.create_quotas()
    for spec in QUOTAS:
        for position, row in enumerate(COUPONS[spec.key]):
            await book.issue(spec, position, row)
    await book.reclaim_reseller_quota()
    await book.settle()
    # A refused issue, so the operation log shows failures too.
    await book.operation(
        "distributor", Op.ISSUE, ctx.account("distributor.coupons"), ctx.at(days=-3, hours=11), money("5000"),
        quota=book.quotas["D2"], customer=ctx.resale_customers("distributor")[1],
        result=OperationResult.FAILED, detail="Quota is frozen; only a normal quota issues coupons.",
    )
