"""Reconciliation bills: closing a period, confirming or disputing, reissuing; what an application may
take from them; auto-apply; the verification code."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from models.audit import AuditOutcome
from models.incentives import (
    IncentiveBill,
    IncentiveBillStatus,
    IncentiveType,
    PayoutApplication,
    PayoutMethod,
    PayoutSetting,
    PayoutStatus,
)
from models.partners import PartnerIdentity as I
from models.safeguards import VerificationPurpose
from tests.audit_log import audit_count
from tests.callers import Caller, mutate
from tests.factories import (
    create_incentive_bill,
    create_main_account,
    create_partner,
    create_verification_code,
    partner_named,
    unique_period,
)
from tests.graphql import GraphQLClient, gid, pk_of
from tests.incentives.documents import BILLS
from tests.incentives.support import apply, assert_amounts_add_up

B = IncentiveBillStatus
LATTICE = "Lattice Solutions"


async def test_closing_a_period_makes_every_estimate_official(as_staff_operations):
    period = unique_period()
    bills = [await create_incentive_bill(partner, status=B.ESTIMATED, period=period) for partner in (LATTICE, "Summit Cloud Services")]
    already = await create_incentive_bill(LATTICE, status=B.CONFIRMED, period=period, type=IncentiveType.SALES_REBATE)
    closed = await mutate(as_staff_operations, "incentivePeriodClose", {"period": period})
    assert (closed.codes, closed["closedBills"]) == ([], 2)
    assert {(await IncentiveBill.get(id=b.id)).status for b in bills} == {B.PENDING_CONFIRMATION}
    assert (await IncentiveBill.get(id=already.id)).status is B.CONFIRMED
    again = await mutate(as_staff_operations, "incentivePeriodClose", {"period": period})
    assert again.codes == ["INVALID_STATE"] and again["closedBills"] is None
    assert await audit_count("incentivePeriodClose", AuditOutcome.SUCCESS, as_staff_operations, target=f"period:{period}") == 1


@pytest.mark.parametrize("period", ["2026-13", "26-01", "2026-1", "", "this month"])
async def test_a_period_is_a_month(as_staff_operations, period):
    assert (await mutate(as_staff_operations, "incentivePeriodClose", {"period": period})).codes == ["INVALID"]


async def test_a_period_is_closed_once_it_is_over(as_staff_operations):
    current = f"{datetime.now(UTC):%Y-%m}"
    bill = await create_incentive_bill(LATTICE, status=B.ESTIMATED, period=current, type=IncentiveType.FULL_TIME_STAFF)
    refused = await mutate(as_staff_operations, "incentivePeriodClose", {"period": current})
    assert refused.codes == ["INVALID"] and refused.payload["userErrors"][0]["field"] == ["period"]
    assert (await IncentiveBill.get(id=bill.id)).status is B.ESTIMATED
    await IncentiveBill.filter(id=bill.id).delete()


async def test_partners_cannot_close_periods(as_provider_admin):
    response = await mutate(as_provider_admin, "incentivePeriodClose", {"period": unique_period()})
    assert response.errors[0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_disputed_bill_goes_back_to_operations_and_returns_corrected(as_provider_admin, as_staff_operations):
    bill = await create_incentive_bill(LATTICE, status=B.PENDING_CONFIRMATION, amount="900.00")
    disputed = await mutate(as_provider_admin, "incentiveBillDispute", {"id": gid("IncentiveBill", bill.id),
                                                                         "reason": "Order ORD-7 is missing."})
    assert disputed.codes == [] and (disputed["bill"]["status"], disputed["bill"]["disputeReason"]) == ("DISPUTED", "Order ORD-7 is missing.")
    not_yet = await mutate(as_provider_admin, "incentiveBillConfirm", {"id": gid("IncentiveBill", bill.id)})
    assert not_yet.codes == ["INVALID_STATE"]
    reissued = await mutate(as_staff_operations, "incentiveBillReissue", {
        "id": gid("IncentiveBill", bill.id), "amount": "1000.00", "frozenAmount": "100.00", "frozenReason": "Order ORD-7 audited"})
    assert reissued.codes == []
    shown = reissued["bill"]
    assert (shown["status"], shown["amount"]["amount"], shown["pendingAmount"]["amount"], shown["frozenReason"]) == (
        "PENDING_CONFIRMATION", "1000.00", "900.00", "Order ORD-7 audited")
    again = await mutate(as_staff_operations, "incentiveBillReissue", {"id": gid("IncentiveBill", bill.id)})
    assert again.codes == ["INVALID_STATE"]  # not DISPUTED any more
    confirmed = await mutate(as_provider_admin, "incentiveBillConfirm", {"id": gid("IncentiveBill", bill.id)})
    assert confirmed["bill"]["status"] == "CONFIRMED"
    await assert_amounts_add_up(bill)


async def test_a_reissued_bill_cannot_freeze_more_than_its_amount(as_staff_operations):
    bill = await create_incentive_bill(LATTICE, status=B.DISPUTED, amount="100.00")
    refused = await mutate(as_staff_operations, "incentiveBillReissue", {"id": gid("IncentiveBill", bill.id), "frozenAmount": "100.01"})
    assert refused.codes == ["INVALID"]
    assert (await IncentiveBill.get(id=bill.id)).status is B.DISPUTED


@pytest.mark.parametrize("status", [B.ESTIMATED, B.CONFIRMED, B.DISPUTED])
async def test_only_a_bill_awaiting_confirmation_is_confirmed_or_disputed(as_provider_admin, status):
    bill = await create_incentive_bill(LATTICE, status=status)
    for field, extra in (("incentiveBillConfirm", {}), ("incentiveBillDispute", {"reason": "no"})):
        refused = await mutate(as_provider_admin, field, {"id": gid("IncentiveBill", bill.id), **extra})
        assert refused.codes == ["INVALID_STATE"], field
    assert (await IncentiveBill.get(id=bill.id)).status is status


async def test_applications_take_only_what_is_pending(as_provider_admin):
    bill = await create_incentive_bill(LATTICE, amount="1000.00", frozen="200.00")
    assert (await apply(as_provider_admin, (bill, "800.01"))).codes == ["INSUFFICIENT_FUNDS"]
    part = await apply(as_provider_admin, (bill, "300.00"))
    assert part.codes == [] and part["application"]["amount"]["amount"] == "300.00"
    rest = await apply(as_provider_admin, bill)  # the whole remainder
    assert rest["application"]["amount"]["amount"] == "500.00"
    assert (await apply(as_provider_admin, bill)).codes == ["INSUFFICIENT_FUNDS"]  # nothing pending
    row = await IncentiveBill.get(id=bill.id)
    assert (row.pending_amount, row.frozen_amount) == (Decimal("0.00"), Decimal("200.00"))
    await assert_amounts_add_up(bill)
    listed = (await as_provider_admin.query(BILLS, {"filter": {"period": bill.period}})).ok()
    [shown] = listed["viewer"]["partner"]["incentiveBills"]["nodes"]
    assert shown["appliedAmount"]["amount"] == "800.00"
    assert sorted(line["amount"]["amount"] for line in shown["applicationLines"]["nodes"]) == ["300.00", "500.00"]


async def test_an_application_over_several_bills_is_all_or_nothing(as_provider_admin):
    first = await create_incentive_bill(LATTICE, amount="100.00")
    second = await create_incentive_bill(LATTICE, amount="50.00")
    refused = await apply(as_provider_admin, first, (second, "60.00"))
    assert refused.codes == ["INSUFFICIENT_FUNDS"] and refused.payload["userErrors"][0]["field"] == ["bills", "1", "amount"]
    assert (await IncentiveBill.get(id=first.id)).pending_amount == Decimal("100.00")
    both = await apply(as_provider_admin, first, second)
    assert both["application"]["amount"]["amount"] == "150.00"
    assert await PayoutApplication.filter(id=pk_of(both["application"]["id"]), lines__bill_id__in=[first.id, second.id]).count() == 2


async def test_what_cannot_be_applied_for(as_provider_admin, as_distributor_admin):
    estimated = await create_incentive_bill(LATTICE, status=B.ESTIMATED)
    foreign = await create_incentive_bill("Northwind Distribution")
    bill = await create_incentive_bill(LATTICE)
    cases = [
        ([estimated], "INVALID_STATE"), ([foreign], "NOT_FOUND"), ([bill, bill], "INVALID"), ([(bill, "0")], "INVALID"),
        ([(bill, "-5.00")], "INVALID"), ([(bill, "1.001")], "INVALID"), ([], "INVALID"),
    ]
    for bills, code in cases:
        assert code in (await apply(as_provider_admin, *bills)).codes, (bills, code)
    wrong_type = await mutate(as_provider_admin, "incentivePayoutApply", {"bills": [{"billId": gid("Coupon", 1)}], "method": "BANK_TRANSFER"})
    assert wrong_type.codes == ["NOT_FOUND"]
    assert (await IncentiveBill.get(id=bill.id)).pending_amount == Decimal("1000.00")
    assert await audit_count("incentivePayoutApply", AuditOutcome.USER_ERROR, as_provider_admin) >= len(cases)


async def test_a_partner_with_verification_codes_needs_one_to_apply(gql: GraphQLClient):
    partner = await create_partner(I.DISTRIBUTOR, verification_code_enabled=True)
    main = await create_main_account(partner)
    bill = await create_incentive_bill(partner, amount="100.00")
    document = """mutation($input: IncentivePayoutApplyInput!) { incentivePayoutApply(input: $input) {
        application { status } userErrors { field code } } }"""
    variables = {"input": {"bills": [{"billId": gid("IncentiveBill", bill.id)}], "method": "BANK_TRANSFER"}}
    refused = (await gql.as_(main.name, document, variables)).ok()["incentivePayoutApply"]
    assert refused["userErrors"] == [{"field": ["verificationCode"], "code": "VERIFICATION_FAILED"}]
    assert (await IncentiveBill.get(id=bill.id)).pending_amount == Decimal("100.00")
    variables["input"]["verificationCode"] = await create_verification_code(main, VerificationPurpose.INCENTIVE_PAYOUT)
    applied = (await gql.as_(main.name, document, variables)).ok()["incentivePayoutApply"]
    assert applied == {"application": {"status": "PROCESSING"}, "userErrors": []}


async def test_auto_apply_applies_on_confirmation(gql: GraphQLClient):
    partner = await create_partner(I.SOLUTION_PROVIDER)
    main = await create_main_account(partner)
    setting = """mutation($input: IncentiveAutoApplySetInput!) { incentiveAutoApplySet(input: $input) {
        setting { autoApply method } userErrors { code } } }"""
    confirm = """mutation($input: IncentiveBillConfirmInput!) { incentiveBillConfirm(input: $input) {
        bill { status pendingAmount { amount } } payoutApplication { status method amount { amount } } userErrors { code } } }"""
    assert (await gql.as_(main.name, setting, {"input": {"autoApply": True, "method": "ACCOUNT_CREDIT"}})).ok()[
        "incentiveAutoApplySet"] == {"setting": {"autoApply": True, "method": "ACCOUNT_CREDIT"}, "userErrors": []}
    bill = await create_incentive_bill(partner, status=B.PENDING_CONFIRMATION, amount="70.00", frozen="20.00")
    confirmed = (await gql.as_(main.name, confirm, {"input": {"id": gid("IncentiveBill", bill.id)}})).ok()["incentiveBillConfirm"]
    assert confirmed == {"bill": {"status": "CONFIRMED", "pendingAmount": {"amount": "0.00"}},
                         "payoutApplication": {"status": "PROCESSING", "method": "ACCOUNT_CREDIT", "amount": {"amount": "50.00"}},
                         "userErrors": []}
    await assert_amounts_add_up(bill)
    await gql.as_(main.name, setting, {"input": {"autoApply": False, "method": "BANK_TRANSFER"}})
    assert await PayoutSetting.filter(partner_id=partner.id).count() == 1
    manual = await create_incentive_bill(partner, status=B.PENDING_CONFIRMATION)
    off = (await gql.as_(main.name, confirm, {"input": {"id": gid("IncentiveBill", manual.id)}})).ok()["incentiveBillConfirm"]
    assert off["payoutApplication"] is None and off["bill"]["pendingAmount"] == {"amount": "1000.00"}


async def test_auto_apply_with_verification_codes_waits_for_the_partners_code(gql: GraphQLClient):
    partner = await create_partner(I.DISTRIBUTOR, verification_code_enabled=True)
    main = await create_main_account(partner)
    await PayoutSetting.create(partner=partner, auto_apply=True, method=PayoutMethod.BANK_TRANSFER)
    bill = await create_incentive_bill(partner, status=B.PENDING_CONFIRMATION, amount="40.00")
    confirm = """mutation($input: IncentiveBillConfirmInput!) { incentiveBillConfirm(input: $input) {
        payoutApplication { id status } userErrors { code } } }"""
    submit = """mutation($input: IncentivePayoutSubmitInput!) { incentivePayoutSubmit(input: $input) {
        application { status submittedAt } userErrors { field code } } }"""
    pending = (await gql.as_(main.name, confirm, {"input": {"id": gid("IncentiveBill", bill.id)}})).ok()["incentiveBillConfirm"]
    assert pending["payoutApplication"]["status"] == "PENDING_SUBMISSION"
    application_id = pending["payoutApplication"]["id"]
    without = (await gql.as_(main.name, submit, {"input": {"id": application_id}})).ok()["incentivePayoutSubmit"]
    assert without["userErrors"] == [{"field": ["verificationCode"], "code": "VERIFICATION_FAILED"}]
    code = await create_verification_code(main, VerificationPurpose.INCENTIVE_PAYOUT)
    sent = (await gql.as_(main.name, submit, {"input": {"id": application_id, "verificationCode": code}})).ok()["incentivePayoutSubmit"]
    assert sent["application"]["status"] == "PROCESSING" and sent["application"]["submittedAt"] is not None
    assert (await PayoutApplication.get(id=pk_of(application_id))).status is PayoutStatus.PROCESSING


async def test_a_partner_that_cannot_hold_vouchers_is_not_paid_in_them(gql: GraphQLClient):
    partner = await create_partner(I.SERVICE_PARTNER)  # the path group issues no vouchers
    main = await create_main_account(partner)
    caller = Caller(gql, main.name)
    bill = await create_incentive_bill(partner)
    refused = await apply(caller, bill, method="VOUCHER_QUOTA")
    assert refused.codes == ["INVALID"] and refused.payload["userErrors"][0]["field"] == ["method"]
    assert (await IncentiveBill.get(id=bill.id)).pending_amount == Decimal("1000.00")
    setting = await mutate(caller, "incentiveAutoApplySet", {"autoApply": True, "method": "VOUCHER_QUOTA"})
    assert setting.codes == ["INVALID"] and not await PayoutSetting.filter(partner_id=partner.id).exists()
    assert (await apply(caller, bill, method="BANK_TRANSFER")).codes == []


async def test_another_partners_payout_setting_is_not_shown(as_distributor_admin, as_staff_finance):
    reseller = await partner_named("Bluepeak Technology")
    await PayoutSetting.create(partner=reseller, auto_apply=True, method=PayoutMethod.VOUCHER_QUOTA)
    query = '{ partners(first: 20, filter: {search: "Bluepeak"}) { nodes { name payoutSetting { autoApply method } } } }'
    [seen] = (await as_distributor_admin.query(query)).ok()["partners"]["nodes"]
    assert seen == {"name": "Bluepeak Technology", "payoutSetting": None}
    [staff] = (await as_staff_finance.query(query)).ok()["partners"]["nodes"]
    assert staff["payoutSetting"] == {"autoApply": True, "method": "VOUCHER_QUOTA"}
    await PayoutSetting.filter(partner_id=reseller.id).delete()
