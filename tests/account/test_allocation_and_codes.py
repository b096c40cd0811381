"""Fund allocation to a distributor's own resellers, and verification codes on sensitive operations."""

from __future__ import annotations

from decimal import Decimal

from models.account import (
    BalanceAlert,
    LedgerEntry,
    LedgerEntryKind,
    Wallet,
    Withdrawal,
)
from models.audit import AuditOutcome, AuditRecord
from models.partners import Partner, PartnerIdentity
from models.safeguards import VerificationPurpose
from tests.account.documents import ALLOCATE, LEDGER, RESELLER_BALANCES, WITHDRAW
from tests.account.support import assert_ledger_adds_up
from tests.factories import create_funded_partner, create_verification_code
from tests.graphql import gid


async def distributor_with_reseller(**wallet) -> tuple:
    """A fresh distributor with verification codes ON, and a fresh reseller it manages."""
    distributor, admin, own = await create_funded_partner(PartnerIdentity.DISTRIBUTOR, verification_code_enabled=True, **wallet)
    reseller, reseller_admin, theirs = await create_funded_partner(PartnerIdentity.RESELLER, balance="0.00", parent_distributor=distributor)
    return admin, own, reseller, reseller_admin, theirs


def errors(payload: dict) -> list[tuple[str, list[str] | None]]:
    return [(e["code"], e["field"]) for e in payload["userErrors"]]


async def snapshot(*wallets: Wallet) -> list[tuple]:
    rows = [await Wallet.get(id=w.id) for w in wallets]
    return [(r.balance, r.allocatable_balance, await LedgerEntry.filter(wallet_id=r.id).count()) for r in rows]


async def test_allocate_funds_to_an_own_reseller(gql):
    admin, own, reseller, reseller_admin, theirs = await distributor_with_reseller(
        balance="10000.00", allocatable="6000.00", threshold="9500.00")

    async def allocate(amount: str, code: str | None) -> dict:
        variables = {"input": {"resellerId": gid("Partner", reseller.id), "amount": amount, "verificationCode": code}}
        return (await gql.as_(admin.name, ALLOCATE, variables)).ok()["resellerFundsAllocate"]

    before = await snapshot(own, theirs)
    assert errors(await allocate("1000.00", None)) == [("VERIFICATION_FAILED", ["verificationCode"])]
    assert errors(await allocate("1000.00", "000000x")) == [("VERIFICATION_FAILED", ["verificationCode"])]
    withdrawal_code = await create_verification_code(admin, VerificationPurpose.WITHDRAWAL)
    assert errors(await allocate("1000.00", withdrawal_code)) == [("VERIFICATION_FAILED", ["verificationCode"])]
    code = await create_verification_code(admin, VerificationPurpose.FUND_ALLOCATION)
    # More than the allocatable balance: refused, and the code was not spent (the transaction rolled back).
    assert errors(await allocate("6000.01", code)) == [("INSUFFICIENT_FUNDS", ["amount"])]
    assert await snapshot(own, theirs) == before

    done = await allocate("1000.00", code)
    assert done["userErrors"] == []
    assert done["ledgerEntry"]["kind"] == "ALLOCATION_OUT" and done["ledgerEntry"]["amount"] == {"amount": "-1000.00"}
    assert done["ledgerEntry"]["balanceAfter"] == {"amount": "9000.00"}
    assert done["partner"] == {"balance": {"amount": "9000.00"}, "allocatableBalance": {"amount": "5000.00"}}
    mine, reseller_wallet = await Wallet.get(id=own.id), await Wallet.get(id=theirs.id)
    assert (reseller_wallet.balance, reseller_wallet.allocatable_balance) == (Decimal("1000.00"), Decimal("1000.00"))
    assert (mine.balance, mine.allocatable_balance) == (Decimal("9000.00"), Decimal("5000.00"))
    assert [e.kind for e in await assert_ledger_adds_up(theirs)] == [LedgerEntryKind.ALLOCATION_IN]
    assert (await assert_ledger_adds_up(own))[-1].kind == LedgerEntryKind.ALLOCATION_OUT
    # 10000 -> 9000 crossed the 9500 threshold: the balance-alert event, once.
    assert [a.balance for a in await BalanceAlert.filter(wallet_id=own.id)] == [Decimal("9000.00")]

    # The code is single-use.
    assert errors(await allocate("1.00", code)) == [("VERIFICATION_FAILED", ["verificationCode"])]
    assert await AuditRecord.filter(action="resellerFundsAllocate", outcome=AuditOutcome.SUCCESS, actor_id=admin.id).count() == 1
    assert await AuditRecord.filter(action="resellerFundsAllocate", outcome=AuditOutcome.USER_ERROR, actor_id=admin.id).count() == 5

    # The reseller sees its own ledger; the distributor never reads the reseller's money.
    seen = (await gql.as_(reseller_admin.name, LEDGER)).ok()["viewer"]["partner"]["ledger"]["nodes"]
    assert seen == [{"kind": "ALLOCATION_IN", "amount": {"amount": "1000.00"}}]
    [node] = (await gql.as_(admin.name, RESELLER_BALANCES)).ok()["viewer"]["partner"]["resellers"]["nodes"]
    assert node["balance"] is None and node["ledger"]["totalCount"] == 0


async def test_verification_codes_never_reach_the_audit_log(gql):
    _, main, _ = await create_funded_partner(balance="10.00")
    code = await create_verification_code(main, VerificationPurpose.WITHDRAWAL)  # switch off: accepted and ignored, but still input
    assert (await gql.as_(main.name, WITHDRAW, {"input": {"amount": "1.00", "verificationCode": code}})).ok()["accountWithdraw"]["userErrors"] == []
    inputs = await AuditRecord.filter(action="accountWithdraw", actor_id=main.id).values_list("input", flat=True)
    assert inputs and all(code not in str(i) for i in inputs)


async def test_allocation_only_to_own_resellers(gql, as_distributor_admin):
    admin, own, reseller, _, theirs = await distributor_with_reseller(balance="5000.00")
    _, other_admin, other_own = await create_funded_partner(PartnerIdentity.DISTRIBUTOR, balance="5000.00")
    provider = await Partner.get(name="Lattice Solutions")
    before = await snapshot(own, theirs, other_own)
    for caller, target in [(other_admin, reseller.id), (admin, provider.id), (admin, own.partner_id)]:
        variables = {"input": {"resellerId": gid("Partner", target), "amount": "10.00"}}
        refused = (await gql.as_(caller.name, ALLOCATE, variables)).ok()["resellerFundsAllocate"]
        assert errors(refused) == [("NOT_FOUND", ["resellerId"])], (caller.name, target)
    wrong_type = {"input": {"resellerId": gid("Account", admin.id), "amount": "10.00"}}
    assert errors((await gql.as_(admin.name, ALLOCATE, wrong_type)).ok()["resellerFundsAllocate"]) == [("NOT_FOUND", ["resellerId"])]
    # Northwind (codes on) cannot reach another distributor's reseller either.
    northwind = (await as_distributor_admin.query(ALLOCATE, {"input": {"resellerId": gid("Partner", reseller.id), "amount": "1.00"}})).ok()
    assert errors(northwind["resellerFundsAllocate"]) == [("NOT_FOUND", ["resellerId"])]
    assert await snapshot(own, theirs, other_own) == before


async def test_only_distributors_allocate(as_provider_admin):
    response = await as_provider_admin.query(ALLOCATE, {"input": {"resellerId": gid("Partner", 1), "amount": "1.00"}})
    assert response.data is None
    assert response.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": "reseller.funds.allocate"}


async def test_a_failed_second_step_rolls_back_the_first(gql):
    # Inconsistent on purpose: the allocatable balance covers the amount, the balance does not, so
    # the first conditional update applies and the second refuses; the refusal must undo both.
    admin, own, reseller, _, theirs = await distributor_with_reseller(balance="300.00", allocatable="500.00")
    before = await snapshot(own, theirs)
    code = await create_verification_code(admin, VerificationPurpose.FUND_ALLOCATION)
    variables = {"input": {"resellerId": gid("Partner", reseller.id), "amount": "400.00", "verificationCode": code}}
    refused = (await gql.as_(admin.name, ALLOCATE, variables)).ok()["resellerFundsAllocate"]
    assert errors(refused) == [("INSUFFICIENT_FUNDS", ["amount"])]
    assert await snapshot(own, theirs) == before


async def test_withdrawal_needs_a_code_when_the_switch_is_on(gql, as_distributor_admin):
    # Northwind has the switch on: refusals only, so its demo balance stays as it is.
    northwind = await Wallet.get(partner__name="Northwind Distribution")
    before = await snapshot(northwind)
    withdrawals_before = await Withdrawal.filter(wallet_id=northwind.id).count()
    for code in (None, "", "123456x"):
        refused = (await as_distributor_admin.query(WITHDRAW, {"input": {"amount": "1.00", "verificationCode": code}})).ok()
        assert errors(refused["accountWithdraw"]) == [("VERIFICATION_FAILED", ["verificationCode"])], code
    assert await snapshot(northwind) == before
    assert await Withdrawal.filter(wallet_id=northwind.id).count() == withdrawals_before

    admin, own, *_ = await distributor_with_reseller(balance="100.00")
    code = await create_verification_code(admin, VerificationPurpose.WITHDRAWAL)
    done = (await gql.as_(admin.name, WITHDRAW, {"input": {"amount": "40.00", "verificationCode": code}})).ok()["accountWithdraw"]
    assert done["userErrors"] == [] and done["withdrawal"]["status"] == "PENDING"
    used = (await gql.as_(admin.name, WITHDRAW, {"input": {"amount": "40.00", "verificationCode": code}})).ok()["accountWithdraw"]
    assert errors(used) == [("VERIFICATION_FAILED", ["verificationCode"])]
    assert (await Wallet.get(id=own.id)).balance == Decimal("60.00")


async def test_partners_with_the_switch_off_need_no_code(gql):
    _, main, wallet = await create_funded_partner(balance="50.00")
    done = (await gql.as_(main.name, WITHDRAW, {"input": {"amount": "50.00"}})).ok()["accountWithdraw"]
    assert done["userErrors"] == []
    assert (await Wallet.get(id=wallet.id)).balance == Decimal("0.00")
