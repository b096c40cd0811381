"""The operations dashboard on SQLite and PostgreSQL: its figures equal sums computed here from the
seeded records, it is scoped (account managers, resellers, other partners), and its statement count
does not depend on the range."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from gateway.sql_metrics import counting
from models.customers import Customer
from models.dashboard import ConsumptionRecord
from models.incentives import IncentiveBill, IncentiveBillStatus, PayoutApplicationLine, PayoutStatus
from models.partners import Partner
from tests.callers import Caller
from tests.factories import partner_named
from tests.graphql import gid

DASHBOARD = """query($from: String!, $to: String!, $reseller: ID) { viewer { partner { operationsDashboard(from: $from, to: $to,
  resellerId: $reseller) { since until
    consumption { total { amount } byMonth { key amount { amount } } byCustomer { key id amount { amount } }
      byProduct { key amount { amount } } }
    performance { total { amount } byMonth { key amount { amount } } byReseller { key id amount { amount } } } } } } }"""
INCENTIVES = """query($from: String!, $to: String!) { viewer { partner { operationsDashboard(from: $from, to: $to) {
  incentives { estimated { amount } pendingConfirmation { amount } confirmed { amount } paid { amount } } } } } }"""
ZERO = Decimal("0.00")


async def _range() -> tuple[str, str]:
    months = sorted(set(await ConsumptionRecord.all().values_list("month", flat=True)))
    return months[0], months[-1]


def _sums(rows, key) -> dict:
    found: dict = defaultdict(lambda: ZERO)
    for row in rows:
        found[key(row)] += row.amount
    return found


def _amounts(items: list[dict]) -> dict[str, Decimal]:
    return {item["key"]: Decimal(item["amount"]["amount"]) for item in items}


async def test_figures_equal_the_records(as_distributor_admin: Caller) -> None:
    start, end = await _range()
    northwind = await partner_named("Northwind Distribution")
    resellers = [p.id for p in await Partner.filter(parent_distributor_id=northwind.id)]
    data = (await as_distributor_admin.query(DASHBOARD, {"from": start, "to": end})).ok()
    board = data["viewer"]["partner"]["operationsDashboard"]
    own = await ConsumptionRecord.filter(partner_id=northwind.id, month__gte=start, month__lte=end)
    assert Decimal(board["consumption"]["total"]["amount"]) == sum((r.amount for r in own), ZERO) > 0
    assert _amounts(board["consumption"]["byMonth"]) == dict(_sums(own, lambda r: r.month))
    assert _amounts(board["consumption"]["byProduct"]) == dict(_sums(own, lambda r: r.product))
    names = dict(await Customer.filter(partner_id=northwind.id).values_list("id", "name"))
    assert _amounts(board["consumption"]["byCustomer"]) == {names[k]: v for k, v in _sums(own, lambda r: r.customer_id).items()}
    counted = await ConsumptionRecord.filter(partner_id__in=[northwind.id, *resellers], month__gte=start, month__lte=end,
                                             yanxuan=False)
    assert Decimal(board["performance"]["total"]["amount"]) == sum((r.amount for r in counted), ZERO)
    assert any(r.yanxuan for r in own)  # Yanxuan goods are consumption, never performance
    per_reseller = _sums([r for r in counted if r.partner_id != northwind.id], lambda r: r.partner_id)
    shown = {pk: Decimal(x["amount"]["amount"]) for x in board["performance"]["byReseller"] for pk in [x["id"]]}
    assert shown == {gid("Partner", pk): v for pk, v in per_reseller.items()}


async def test_one_reseller_and_scoping(as_distributor_admin: Caller, as_account_manager: Caller, as_reseller_admin: Caller,
                                        as_provider_admin: Caller, as_finance_specialist: Caller) -> None:
    start, end = await _range()
    harbor = await partner_named("Harbor Lane Cloud Services")
    one = (await as_distributor_admin.query(DASHBOARD, {"from": start, "to": end, "reseller": gid("Partner", harbor.id)})).ok()
    board = one["viewer"]["partner"]["operationsDashboard"]
    rows = await ConsumptionRecord.filter(partner_id=harbor.id, month__gte=start, month__lte=end)
    assert Decimal(board["consumption"]["total"]["amount"]) == sum((r.amount for r in rows), ZERO)
    assert board["performance"]["byReseller"] == []
    # Not one of its resellers, or not a partner ID at all: NOT_FOUND.
    lattice = await partner_named("Lattice Solutions")
    for reseller in (gid("Partner", lattice.id), gid("Customer", 1), "x"):
        refused = await as_distributor_admin.query(DASHBOARD, {"from": start, "to": end, "reseller": reseller})
        assert refused.codes == ["NOT_FOUND"], reseller

    # An account manager sees its own customers' figures only.
    manager = await as_account_manager.account()
    mine = (await as_account_manager.query(DASHBOARD, {"from": start, "to": end})).ok()["viewer"]["partner"]["operationsDashboard"]
    book = await ConsumptionRecord.filter(customer__account_manager_id=manager.id, month__gte=start, month__lte=end)
    assert Decimal(mine["consumption"]["total"]["amount"]) == sum((r.amount for r in book), ZERO) > 0
    assert mine["performance"]["byReseller"] == []
    # A reseller sees its own; a solution provider holds no dashboard.view; an account manager no incentive.view.
    reseller = (await as_reseller_admin.query(DASHBOARD, {"from": start, "to": end})).ok()["viewer"]["partner"]["operationsDashboard"]
    assert Decimal(reseller["consumption"]["total"]["amount"]) == sum((r.amount for r in rows), ZERO)
    assert (await as_provider_admin.query(DASHBOARD, {"from": start, "to": end})).codes == ["FORBIDDEN"]
    assert (await as_account_manager.query(INCENTIVES, {"from": start, "to": end})).codes == ["FORBIDDEN"]
    assert (await as_reseller_admin.query(INCENTIVES, {"from": start, "to": end})).codes == ["FORBIDDEN"]
    assert (await as_finance_specialist.query(INCENTIVES, {"from": start, "to": end})).codes == []


async def test_incentive_figures(as_distributor_admin: Caller) -> None:
    northwind = await partner_named("Northwind Distribution")
    bills = await IncentiveBill.filter(partner_id=northwind.id)
    found = (await as_distributor_admin.query(INCENTIVES, {"from": "2000-01", "to": "2003-01"})).codes
    assert found == ["BAD_USER_INPUT"]  # at most 36 months
    months = sorted(b.period for b in bills)
    data = (await as_distributor_admin.query(INCENTIVES, {"from": months[0], "to": months[-1]})).ok()
    figures = data["viewer"]["partner"]["operationsDashboard"]["incentives"]
    by_status = _sums(bills, lambda b: b.status)
    assert Decimal(figures["estimated"]["amount"]) == by_status[IncentiveBillStatus.ESTIMATED]
    assert Decimal(figures["confirmed"]["amount"]) == by_status[IncentiveBillStatus.CONFIRMED]
    assert Decimal(figures["pendingConfirmation"]["amount"]) == (by_status[IncentiveBillStatus.PENDING_CONFIRMATION]
                                                                 + by_status[IncentiveBillStatus.DISPUTED])
    paid = await PayoutApplicationLine.filter(bill__partner_id=northwind.id, application__status=PayoutStatus.COMPLETED)
    assert Decimal(figures["paid"]["amount"]) == sum((line.amount for line in paid), ZERO)


async def test_bad_ranges(as_distributor_admin: Caller) -> None:
    for start, end in (("2025-13", "2026-01"), ("2026-02", "2026-01"), ("x", "2026-01"), ("2020-01", "2026-01")):
        assert (await as_distributor_admin.query(DASHBOARD, {"from": start, "to": end})).codes == ["BAD_USER_INPUT"]


async def test_statements_do_not_depend_on_the_range(gql, as_distributor_admin: Caller) -> None:
    start, end = await _range()
    counts = []
    for first in (end, start):
        with counting() as box:
            (await as_distributor_admin.query(DASHBOARD, {"from": first, "to": end})).ok()
        counts.append(box[0])
    assert counts[0] == counts[1], counts


async def test_a_resellers_own_bills_never_reach_its_distributor(as_distributor_admin: Caller) -> None:
    """Narrowed to a reseller, the dashboard's incentives are still the distributor's own."""
    harbor = await partner_named("Harbor Lane Cloud Services")
    northwind = await partner_named("Northwind Distribution")
    bill = await IncentiveBill.create(partner=harbor, type="SALES_REBATE", period="2001-05", amount=Decimal("4321.00"),
                                      pending_amount=Decimal("4321.00"), status=IncentiveBillStatus.CONFIRMED)
    try:
        variables = {"from": "2001-01", "to": "2001-12", "reseller": gid("Partner", harbor.id)}
        query = INCENTIVES.replace("operationsDashboard(from: $from, to: $to)",
                                   "operationsDashboard(from: $from, to: $to, resellerId: $reseller)").replace(
            "query($from: String!, $to: String!)", "query($from: String!, $to: String!, $reseller: ID)")
        figures = (await as_distributor_admin.query(query, variables)).ok()["viewer"]["partner"]["operationsDashboard"]["incentives"]
        own = await IncentiveBill.filter(partner_id=northwind.id, period__gte="2001-01", period__lte="2001-12",
                                         status=IncentiveBillStatus.CONFIRMED)
        assert Decimal(figures["confirmed"]["amount"]) == sum((b.amount for b in own), ZERO) == ZERO
    finally:
        await bill.delete()
