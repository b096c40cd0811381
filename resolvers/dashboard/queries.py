"""The operations dashboard (运营看板): consumption, performance and incentive statistics over a range
of months, each figure one SQL aggregate (`GROUP BY`) in the database, never rows summed in Python.

Consumption is what the partner's customers consumed (a distributor may look at one reseller's);
performance is consumption without Yanxuan (严选) goods, for the partner and, for a distributor, each
reseller it manages; incentives are the partner's bills of the range by status and what completed
payouts took from them. An account manager's figures cover only its own customers. A request sends
the same statements whatever the range: one per breakdown.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tortoise.expressions import Q
from tortoise.functions import Sum

from models.dashboard import ConsumptionRecord
from models.incentives import IncentiveBillStatus, PayoutApplicationLine, PayoutStatus
from models.partners import Partner
from resolvers.errors import BadUserInput
from resolvers.incentives.queries import period_ok, readable_incentive_bills
from resolvers.principal import Principal
from resolvers.scoping import scoped

CENT = Decimal("0.01")
MAX_MONTHS = 36
TOP = 20

def _resellers(principal: Principal) -> Q:
    return Q(partner_id__in=list(principal.managed_partner_ids))


# A distributor reads its resellers' consumption too (their performance is its business).
readable_consumption = scoped(ConsumptionRecord, account_manager="customer__account_manager_id", distributor=_resellers)


def money(value: Any) -> Decimal:
    """An aggregate as exact money: SQLite sums decimals as floats, PostgreSQL as numerics."""
    return Decimal(str(value or 0)).quantize(CENT)


def months_between(start: str, end: str) -> int:
    return (int(end[:4]) - int(start[:4])) * 12 + int(end[5:]) - int(start[5:]) + 1


def check_range(start: str, end: str) -> None:
    for value, argument in ((start, "from"), (end, "to")):
        if not period_ok(value):
            raise BadUserInput(f"`{argument}` is a month, YYYY-MM.", argument=argument)
    if not 1 <= months_between(start, end) <= MAX_MONTHS:
        raise BadUserInput(f"`from` comes before `to`, at most {MAX_MONTHS} months apart.", argument="to")


@dataclass(frozen=True, slots=True)
class Amount:
    key: str
    amount: Decimal
    # The row behind the key, where there is one (a customer, a reseller).
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Breakdown:
    total: Decimal
    by_month: list[Amount]
    by_customer: list[Amount]
    by_product: list[Amount]


@dataclass(frozen=True, slots=True)
class Performance:
    total: Decimal
    by_month: list[Amount]
    by_reseller: list[Amount]


@dataclass(frozen=True, slots=True)
class Incentives:
    estimated: Decimal
    pending_confirmation: Decimal
    confirmed: Decimal
    paid: Decimal


async def _grouped(rows: Any, *keys: str) -> list[dict[str, Any]]:
    return await rows.annotate(total=Sum("amount")).group_by(*keys).values(*keys, "total")


async def consumption(principal: Principal, partner_id: int, start: str, end: str) -> Breakdown:
    rows = readable_consumption(principal).filter(partner_id=partner_id, month__gte=start, month__lte=end)
    by_month = [Amount(r["month"], money(r["total"])) for r in sorted(await _grouped(rows, "month"), key=lambda r: r["month"])]
    customers = sorted(await _grouped(rows, "customer_id", "customer__name"), key=lambda r: (-money(r["total"]), r["customer_id"]))
    products = sorted(await _grouped(rows, "product"), key=lambda r: (-money(r["total"]), r["product"]))
    return Breakdown(
        total=sum((a.amount for a in by_month), Decimal("0.00")), by_month=by_month,
        by_customer=[Amount(r["customer__name"], money(r["total"]), r["customer_id"]) for r in customers[:TOP]],
        by_product=[Amount(r["product"], money(r["total"])) for r in products[:TOP]],
    )


async def performance(principal: Principal, partner_id: int, reseller_ids: list[int], start: str, end: str) -> Performance:
    """The partner's own and (for a distributor) its resellers' consumption, Yanxuan goods excluded."""
    partners = [partner_id, *reseller_ids]
    rows = readable_consumption(principal).filter(partner_id__in=partners, month__gte=start, month__lte=end, yanxuan=False)
    if principal.customer_manager_ids is not None:
        # An account manager's book is its own partner's customers: resellers' are none of it.
        rows = rows.filter(partner_id=partner_id)
    by_month = [Amount(r["month"], money(r["total"])) for r in sorted(await _grouped(rows, "month"), key=lambda r: r["month"])]
    per_partner = {r["partner_id"]: r for r in await _grouped(rows, "partner_id", "partner__name")}
    by_reseller = sorted((Amount(r["partner__name"], money(r["total"]), pk) for pk, r in per_partner.items() if pk != partner_id),
                         key=lambda a: (-a.amount, a.key))
    return Performance(total=sum((a.amount for a in by_month), Decimal("0.00")), by_month=by_month, by_reseller=by_reseller)


async def incentives(principal: Principal, start: str, end: str) -> Incentives:
    """The caller's own partner's bills, through their scoped read: never a reseller's, whatever the
    dashboard is narrowed to."""
    partner_id = principal.own_partner("its incentives")
    bills = readable_incentive_bills(principal).filter(partner_id=partner_id, period__gte=start, period__lte=end)
    by_status = {r["status"]: money(r["total"]) for r in await _grouped(bills, "status")}
    paid = await PayoutApplicationLine.filter(bill__partner_id=partner_id, bill__period__gte=start, bill__period__lte=end,
                                              application__status=PayoutStatus.COMPLETED) \
        .annotate(total=Sum("amount")).group_by("bill__partner_id").values("total")
    zero = Decimal("0.00")
    return Incentives(
        estimated=by_status.get(IncentiveBillStatus.ESTIMATED, zero),
        pending_confirmation=by_status.get(IncentiveBillStatus.PENDING_CONFIRMATION, zero) + by_status.get(
            IncentiveBillStatus.DISPUTED, zero),
        confirmed=by_status.get(IncentiveBillStatus.CONFIRMED, zero),
        paid=money(paid[0]["total"] if paid else 0),
    )


async def managed_reseller(principal: Principal, reseller_id: int) -> Partner | None:
    if reseller_id not in principal.managed_partner_ids:
        return None
    return await Partner.get_or_none(id=reseller_id, parent_distributor_id=principal.partner_id)
