"""A payout from period close to money: staff close the period, the partner confirms and applies,
finance accepts, reviews the invoice (sending it back once) and pays, by each method."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from models.account import Wallet
from models.audit import AuditOutcome
from models.coupons import CouponKind, CouponQuota, QuotaStatus
from models.incentives import IncentiveBill, IncentiveBillStatus, PayoutApplication, PayoutStatus
from models.partners import Partner
from models.partners import PartnerIdentity as I
from tests.account.support import assert_ledger_adds_up
from tests.audit_log import audit_count
from tests.callers import Caller, mutate
from tests.factories import create_incentive_bill, create_main_account, create_partner, unique, unique_period
from tests.graphql import gid, pk_of
from tests.incentives.documents import APPLICATION, BALANCE, BILLS
from tests.incentives.support import apply, assert_amounts_add_up, step

LATTICE = "Lattice Solutions"
WALK = ("incentivePayoutApply", "incentivePayoutAccept", "incentiveInvoiceSubmit", "incentiveInvoiceReject",
        "incentiveInvoiceApprove", "incentivePayoutComplete")


async def walk_to_payment_review(provider: Caller, operations: Caller, finance: Caller, method: str,
                                 partner: Partner | str = LATTICE) -> tuple[IncentiveBill, dict[str, Any]]:
    """Period closed -> bill confirmed -> applied -> accepted -> invoiced -> rejected -> invoiced again -> approved."""
    period = unique_period()
    bill = await create_incentive_bill(partner, status=IncentiveBillStatus.ESTIMATED, amount="1200.00", period=period, lines=3)
    closed = await mutate(operations, "incentivePeriodClose", {"period": period})
    assert closed.codes == [] and closed["closedBills"] == 1

    listed = (await provider.query(BILLS, {"filter": {"period": period}})).ok()["viewer"]["partner"]["incentiveBills"]
    [shown] = listed["nodes"]
    assert (shown["status"], shown["pendingAmount"]["amount"], shown["lines"]["totalCount"]) == ("PENDING_CONFIRMATION", "1200.00", 3)
    assert sum(Decimal(line["amount"]["amount"]) for line in shown["lines"]["nodes"]) == Decimal("1200.00")

    confirmed = await mutate(provider, "incentiveBillConfirm", {"id": shown["id"]})
    assert confirmed.codes == [] and confirmed["bill"]["status"] == "CONFIRMED" and confirmed["payoutApplication"] is None

    applied = await apply(provider, bill, method=method, idempotencyKey=unique("payout"))
    assert applied.codes == []
    application = applied["application"]
    assert (application["status"], application["method"], application["amount"]["amount"]) == ("PROCESSING", method, "1200.00")
    assert (await IncentiveBill.get(id=bill.id)).pending_amount == Decimal("0.00")

    assert (await step(finance, "incentivePayoutAccept", application["id"]))["application"]["status"] == "AWAITING_INVOICE"
    invoiced = await step(provider, "incentiveInvoiceSubmit", application["id"], invoiceNumbers=["0441-0001"])
    assert invoiced["application"]["status"] == "INVOICE_REVIEW"
    await step(finance, "incentiveInvoiceReject", application["id"], reason="The buyer's tax ID is wrong.")
    seen = (await provider.query(APPLICATION, {"id": application["id"]})).ok()["node"]
    assert (seen["status"], seen["invoiceRejectionReason"]) == ("AWAITING_INVOICE", "The buyer's tax ID is wrong.")
    resubmitted = await step(provider, "incentiveInvoiceSubmit", application["id"], invoiceNumbers=["0441-0002", "0441-0003"])
    assert resubmitted["application"]["invoiceNumbers"] == ["0441-0002", "0441-0003"]
    approved = await step(finance, "incentiveInvoiceApprove", application["id"])
    assert (approved["application"]["status"], approved["application"]["invoiceRejectionReason"]) == ("PAYMENT_REVIEW", "")
    return bill, application


async def test_bank_transfer_from_period_close_to_payment(as_provider_admin, as_staff_operations, as_staff_finance):
    bill, application = await walk_to_payment_review(as_provider_admin, as_staff_operations, as_staff_finance, "BANK_TRANSFER")
    missing = await mutate(as_staff_finance, "incentivePayoutComplete", {"id": application["id"]})
    assert missing.codes == ["REQUIRED"] and missing["application"] is None
    paid = await step(as_staff_finance, "incentivePayoutComplete", application["id"], bankReference="TRF-20260101-01")
    assert (paid["application"]["status"], paid["application"]["bankReference"]) == ("COMPLETED", "TRF-20260101-01")
    assert paid["application"]["completedAt"] is not None
    await assert_amounts_add_up(bill)
    target = f"PayoutApplication:{pk_of(application['id'])}"
    for action in WALK:
        assert await audit_count(action, AuditOutcome.SUCCESS, target=target) == (2 if action == "incentiveInvoiceSubmit" else 1), action
    assert await audit_count("incentivePayoutComplete", AuditOutcome.USER_ERROR, as_staff_finance) >= 1


async def test_account_credit_moves_the_balance_and_ledger_by_exactly_the_amount(as_provider_admin, as_staff_operations,
                                                                                 as_staff_finance):
    _, application = await walk_to_payment_review(as_provider_admin, as_staff_operations, as_staff_finance, "ACCOUNT_CREDIT")
    before = (await as_provider_admin.query(BALANCE)).ok()["viewer"]["partner"]
    await step(as_staff_finance, "incentivePayoutComplete", application["id"])
    after = (await as_provider_admin.query(BALANCE)).ok()["viewer"]["partner"]
    for amount in ("balance", "allocatableBalance"):
        assert Decimal(after[amount]["amount"]) - Decimal(before[amount]["amount"]) == Decimal("1200.00"), amount
    assert after["ledger"]["totalCount"] == before["ledger"]["totalCount"] + 1
    assert after["ledger"]["nodes"][0] == {"kind": "INCENTIVE_CREDIT", "amount": {"amount": "1200.00"},
                                          "reference": application["number"]}
    await assert_ledger_adds_up(await Wallet.get(partner__name=LATTICE))


async def test_voucher_quota_payout_grants_a_quota(as_provider_admin, as_staff_operations, as_staff_finance):
    _, application = await walk_to_payment_review(as_provider_admin, as_staff_operations, as_staff_finance, "VOUCHER_QUOTA")
    before = (await as_provider_admin.query(BALANCE)).ok()["viewer"]["partner"]
    await step(as_staff_finance, "incentivePayoutComplete", application["id"])
    after = (await as_provider_admin.query(BALANCE)).ok()["viewer"]["partner"]
    assert after["couponQuotas"]["totalCount"] == before["couponQuotas"]["totalCount"] + 1
    assert after["balance"] == before["balance"]
    row = await PayoutApplication.get(id=pk_of(application["id"]))
    assert row.status is PayoutStatus.COMPLETED and row.voucher_quota_id is not None
    quota = await CouponQuota.get(id=row.voucher_quota_id)
    assert (quota.kind, quota.total, quota.used, quota.status) == (CouponKind.VOUCHER, Decimal("1200.00"), Decimal("0.00"), QuotaStatus.NORMAL)
    shown = {q["id"]: q for q in after["couponQuotas"]["nodes"]}[gid("CouponQuota", quota.id)]
    assert shown == {"id": gid("CouponQuota", quota.id), "total": {"amount": "1200.00"}, "status": "NORMAL"}


async def test_a_partner_that_can_no_longer_hold_vouchers_completes_with_an_error(gql, as_staff_operations, as_staff_finance):
    # Applying for VOUCHER_QUOTA needs a partner that can hold one; this one became a service partner
    # (path group, no vouchers) while its application waited for payment.
    partner = await create_partner(I.SOLUTION_PROVIDER)
    main = await create_main_account(partner)
    _, application = await walk_to_payment_review(Caller(gql, main.name), as_staff_operations, as_staff_finance, "VOUCHER_QUOTA",
                                                   partner=partner)
    await Partner.filter(id=partner.id).update(identities=[I.SERVICE_PARTNER.value])
    done = await step(as_staff_finance, "incentivePayoutComplete", application["id"])
    assert done["application"]["status"] == "COMPLETED_WITH_ERROR"
    assert "voucher quota" in done["application"]["errorMessage"]
    assert not await CouponQuota.filter(partner_id=partner.id).exists()


async def test_the_method_stays_as_applied_and_steps_out_of_order_change_nothing(as_provider_admin, as_staff_finance):
    bill = await create_incentive_bill(LATTICE, amount="300.00")
    application = (await apply(as_provider_admin, bill, method="ACCOUNT_CREDIT"))["application"]
    row = await PayoutApplication.get(id=pk_of(application["id"]))
    out_of_order = [
        (as_provider_admin, "incentiveInvoiceSubmit", {"invoiceNumbers": ["A-1"]}),
        (as_staff_finance, "incentiveInvoiceApprove", {}),
        (as_staff_finance, "incentiveInvoiceReject", {"reason": "x"}),
        (as_staff_finance, "incentivePayoutComplete", {}),
        (as_provider_admin, "incentivePayoutSubmit", {}),
    ]
    for caller, field, extra in out_of_order:
        refused = await mutate(caller, field, {"id": application["id"], **extra})
        assert refused.codes == ["INVALID_STATE"], field
    await step(as_staff_finance, "incentivePayoutAccept", application["id"])
    twice = await mutate(as_staff_finance, "incentivePayoutAccept", {"id": application["id"]})
    assert twice.codes == ["INVALID_STATE"]
    after = await PayoutApplication.get(id=row.id)
    assert (after.status, after.method, after.amount) == (PayoutStatus.AWAITING_INVOICE, row.method, row.amount)


@pytest.mark.parametrize(("numbers", "code"), [
    ([], "INVALID"), ([f"N-{i}" for i in range(11)], "INVALID"), (["has space"], "INVALID"), (["A" * 33], "INVALID"),
    (["A-1", "A-1"], "INVALID"), (["a-1", "A-1"], "INVALID"),
])
async def test_invoice_numbers_are_checked(as_provider_admin, as_staff_finance, numbers, code):
    bill = await create_incentive_bill(LATTICE, amount="10.00")
    application = (await apply(as_provider_admin, bill))["application"]
    await step(as_staff_finance, "incentivePayoutAccept", application["id"])
    refused = await mutate(as_provider_admin, "incentiveInvoiceSubmit", {"id": application["id"], "invoiceNumbers": numbers})
    assert code in refused.codes
    assert (await PayoutApplication.get(id=pk_of(application["id"]))).status is PayoutStatus.AWAITING_INVOICE


async def test_another_partner_never_reaches_an_application(as_provider_admin, as_distributor_admin):
    bill = await create_incentive_bill(LATTICE, amount="10.00")
    application = (await apply(as_provider_admin, bill))["application"]
    read = await as_distributor_admin.query(APPLICATION, {"id": application["id"]})
    assert read.data == {"node": None} and read.codes == ["NOT_FOUND"]
    foreign = await mutate(as_distributor_admin, "incentivePayoutSubmit", {"id": application["id"]})
    assert foreign.codes == ["NOT_FOUND"]
