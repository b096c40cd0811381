"""Payout applications under concurrency: never more than a bill has pending, a key applies once,
a payout is paid once."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from models.account import LedgerEntry, LedgerEntryKind
from models.incentives import IncentiveBill, PayoutApplication, PayoutApplicationLine, PayoutStatus
from models.safeguards import IdempotencyRecord
from tests.factories import create_incentive_bill, create_main_account, create_partner, create_wallet
from tests.graphql import GraphQLClient, gid, pk_of
from tests.incentives.support import assert_amounts_add_up

APPLY = """mutation($input: IncentivePayoutApplyInput!) { incentivePayoutApply(input: $input) {
    application { id amount { amount } } userErrors { field code } } }"""
COMPLETE = """mutation($input: IncentivePayoutCompleteInput!) { incentivePayoutComplete(input: $input) {
    application { status } userErrors { code } } }"""


def variables(bill: IncentiveBill, amount: str | None = None, key: str | None = None) -> dict:
    share = {"billId": gid("IncentiveBill", bill.id), **({"amount": amount} if amount else {})}
    return {"input": {"bills": [share], "method": "ACCOUNT_CREDIT", **({"idempotencyKey": key} if key else {})}}


async def test_fifty_applications_against_a_bill_that_covers_ten(gql: GraphQLClient):
    partner = await create_partner()
    main = await create_main_account(partner)
    bill = await create_incentive_bill(partner, amount="1100.00", frozen="100.00")  # pending 1000: ten of 100
    responses = await asyncio.gather(*(gql.as_(main.name, APPLY, variables(bill, "100.00")) for _ in range(50)))
    payloads = [r.ok()["incentivePayoutApply"] for r in responses]
    succeeded = [p for p in payloads if p["application"] is not None]
    refused = [p for p in payloads if p["application"] is None]
    assert len(succeeded) == 10 and all(p["userErrors"] == [] for p in succeeded)
    assert len(refused) == 40 and all(p["userErrors"] == [{"field": ["bills", "0", "amount"], "code": "INSUFFICIENT_FUNDS"}]
                                      for p in refused)
    row = await IncentiveBill.get(id=bill.id)
    assert row.pending_amount == Decimal("0.00")
    assert await PayoutApplication.filter(partner_id=partner.id).count() == 10
    lines = await PayoutApplicationLine.filter(bill_id=bill.id)
    assert len(lines) == 10 and sum(line.amount for line in lines) == Decimal("1000.00")
    await assert_amounts_add_up(bill)


async def test_the_same_key_sent_twice_at_once_applies_once(gql: GraphQLClient):
    partner = await create_partner()
    main = await create_main_account(partner)
    bill = await create_incentive_bill(partner, amount="500.00")
    same = variables(bill, "200.00", key="payout-2026-12-01")
    first, second = await asyncio.gather(gql.as_(main.name, APPLY, same), gql.as_(main.name, APPLY, same))
    a, b = first.ok()["incentivePayoutApply"], second.ok()["incentivePayoutApply"]
    assert a == b and a["userErrors"] == [] and a["application"]["amount"] == {"amount": "200.00"}
    assert (await IncentiveBill.get(id=bill.id)).pending_amount == Decimal("300.00")
    assert await PayoutApplication.filter(partner_id=partner.id).count() == 1
    assert await IdempotencyRecord.filter(account_id=main.id, action="incentivePayoutApply").count() == 1
    other = (await gql.as_(main.name, APPLY, variables(bill, "201.00", key="payout-2026-12-01"))).ok()["incentivePayoutApply"]
    assert other["userErrors"] == [{"field": ["idempotencyKey"], "code": "CONFLICT"}]
    await assert_amounts_add_up(bill)


async def test_a_payout_completed_by_two_reviewers_at_once_is_paid_once(gql: GraphQLClient):
    partner = await create_partner()
    main = await create_main_account(partner)
    wallet = await create_wallet(partner, balance="0.00")
    bill = await create_incentive_bill(partner, amount="250.00")
    applied = (await gql.as_(main.name, APPLY, variables(bill))).ok()["incentivePayoutApply"]["application"]
    await PayoutApplication.filter(id=pk_of(applied["id"])).update(status=PayoutStatus.PAYMENT_REVIEW)
    answers = await asyncio.gather(*(gql.as_("staff.finance", COMPLETE, {"input": {"id": applied["id"]}}) for _ in range(10)))
    payloads = [a.ok()["incentivePayoutComplete"] for a in answers]
    assert sum(p["userErrors"] == [] for p in payloads) == 1
    assert all(p["userErrors"] == [{"code": "INVALID_STATE"}] for p in payloads if p["application"] is None)
    credits = await LedgerEntry.filter(wallet_id=wallet.id, kind=LedgerEntryKind.INCENTIVE_CREDIT)
    assert [c.amount for c in credits] == [Decimal("250.00")]


async def test_applications_listing_the_same_bills_in_opposite_orders_all_succeed(gql: GraphQLClient):
    # Each takes from the bills in bill order, so none waits on a lock another holds while it
    # waits for its own (on PostgreSQL that was a deadlock, answered as an internal error).
    partner = await create_partner()
    main = await create_main_account(partner)
    first, second = await create_incentive_bill(partner, amount="100.00"), await create_incentive_bill(partner, amount="100.00")

    def both(order: list[IncentiveBill]) -> dict:
        return {"input": {"bills": [{"billId": gid("IncentiveBill", b.id), "amount": "1.00"} for b in order], "method": "BANK_TRANSFER"}}

    responses = await asyncio.gather(*(gql.as_(main.name, APPLY, both([first, second] if i % 2 else [second, first]))
                                       for i in range(40)))
    assert all(r.ok()["incentivePayoutApply"]["userErrors"] == [] for r in responses)
    for bill in (first, second):
        assert (await IncentiveBill.get(id=bill.id)).pending_amount == Decimal("60.00")
        await assert_amounts_add_up(bill)
