"""Recharge, the balance alert threshold, and the balance-alert event when a change crosses it."""

from __future__ import annotations

from decimal import Decimal

from models.account import BalanceAlert, LedgerEntry, LedgerEntryKind, Wallet
from models.audit import AuditOutcome, AuditRecord
from tests.account.documents import ALERT_SET, ALERTS, BALANCE_ALERT, RECHARGE, WITHDRAW
from tests.account.support import assert_ledger_adds_up
from tests.factories import create_funded_partner
from tests.graphql import pk_of


async def test_recharge_adds_to_balance_and_allocatable_with_a_ledger_entry(gql):
    _, main, wallet = await create_funded_partner(balance="1000.00", allocatable="400.00")
    result = (await gql.as_(main.name, RECHARGE, {"input": {"amount": "250.55"}})).ok()["accountRecharge"]
    assert result["userErrors"] == []
    assert result["ledgerEntry"]["kind"] == "RECHARGE" and result["ledgerEntry"]["amount"] == {"amount": "250.55"}
    assert result["ledgerEntry"]["balanceAfter"] == {"amount": "1250.55"}
    assert result["partner"] == {"balance": {"amount": "1250.55"}, "allocatableBalance": {"amount": "650.55"}}
    entries = await assert_ledger_adds_up(wallet)
    assert entries[-1].kind == LedgerEntryKind.RECHARGE and entries[-1].actor_id == main.id
    assert await AuditRecord.filter(action="accountRecharge", outcome=AuditOutcome.SUCCESS, actor_id=main.id,
                                    target=f"LedgerEntry:{pk_of(result['ledgerEntry']['id'])}").exists()


async def test_recharge_refusals_change_nothing(gql):
    _, main, wallet = await create_funded_partner(balance="10.00")
    for amount, code in [("0.00", "INVALID"), ("-1", "INVALID"), ("0.001", "INVALID"), ("100000000.01", "LIMIT_EXCEEDED")]:
        result = (await gql.as_(main.name, RECHARGE, {"input": {"amount": amount}})).ok()["accountRecharge"]
        assert result["ledgerEntry"] is None and [e["code"] for e in result["userErrors"]] == [code], amount
    bad_key = (await gql.as_(main.name, RECHARGE, {"input": {"amount": "1.00", "idempotencyKey": "k" * 101}})).ok()
    assert [e["field"] for e in bad_key["accountRecharge"]["userErrors"]] == [["idempotencyKey"]]
    assert (await Wallet.get(id=wallet.id)).balance == Decimal("10.00")
    assert await LedgerEntry.filter(wallet_id=wallet.id).count() == 1
    assert await AuditRecord.filter(action="accountRecharge", outcome=AuditOutcome.USER_ERROR, actor_id=main.id).count() == 5


async def test_partners_without_the_permission_cannot_recharge(as_service_admin):
    # A path-group partner holds no account permissions at all.
    response = await as_service_admin.query(RECHARGE, {"input": {"amount": "1.00"}})
    assert response.data is None
    assert response.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": "account.recharge"}


async def test_set_and_clear_the_alert_threshold(gql):
    _, main, wallet = await create_funded_partner()

    async def set_(threshold_input: dict) -> dict:
        return (await gql.as_(main.name, ALERT_SET, {"input": threshold_input})).ok()["balanceAlertSet"]

    assert (await set_({"threshold": "500.00"}))["partner"]["balanceAlertThreshold"] == {"amount": "500.00"}
    assert (await Wallet.get(id=wallet.id)).alert_threshold == Decimal("500.00")
    for given, code in [({}, "REQUIRED"), ({"threshold": "-1"}, "INVALID"), ({"threshold": "1.234"}, "INVALID"),
                        ({"threshold": "100000000.01"}, "LIMIT_EXCEEDED")]:
        refused = await set_(given)
        assert refused["partner"] is None and [e["code"] for e in refused["userErrors"]] == [code], given
    assert (await Wallet.get(id=wallet.id)).alert_threshold == Decimal("500.00")
    assert (await set_({"threshold": "0"}))["partner"]["balanceAlertThreshold"] == {"amount": "0.00"}
    cleared = await set_({"threshold": None})
    assert cleared["userErrors"] == [] and cleared["partner"]["balanceAlertThreshold"] is None
    assert (await Wallet.get(id=wallet.id)).alert_threshold is None
    assert await AuditRecord.filter(action="balanceAlertSet", outcome=AuditOutcome.SUCCESS, actor_id=main.id).count() == 3


async def test_crossing_the_threshold_raises_exactly_one_alert(gql):
    _, main, wallet = await create_funded_partner(balance="1000.00", threshold="500.00")

    async def take(amount: str) -> None:
        assert (await gql.as_(main.name, WITHDRAW, {"input": {"amount": amount}})).ok()["accountWithdraw"]["userErrors"] == []

    await take("400.00")  # 1000 -> 600: still above
    await take("100.00")  # 600 -> 500: at the threshold is not below it
    assert not await BalanceAlert.filter(wallet_id=wallet.id).exists()
    await take("0.01")  # 500 -> 499.99: crossed
    await take("100.00")  # 499.99 -> 399.99: already below, no new alert
    alerts = await BalanceAlert.filter(wallet_id=wallet.id)
    assert [(a.balance, a.threshold) for a in alerts] == [(Decimal("499.99"), Decimal("500.00"))]
    read = (await gql.as_(main.name, ALERTS)).ok()["viewer"]["partner"]["balanceAlerts"]
    assert read["totalCount"] == 1 and read["nodes"][0]["balance"] == {"amount": "499.99"}
    # Back above and down again is a new crossing.
    assert (await gql.as_(main.name, RECHARGE, {"input": {"amount": "200.00"}})).ok()["accountRecharge"]["userErrors"] == []
    assert await BalanceAlert.filter(wallet_id=wallet.id).count() == 1
    await take("100.00")  # 599.99 -> 499.99
    assert await BalanceAlert.filter(wallet_id=wallet.id).count() == 2
    await assert_ledger_adds_up(wallet)


async def test_alerts_are_the_partners_own_business(gql, as_distributor_admin, as_staff_operations):
    _, main, _ = await create_funded_partner(balance="100.00", threshold="50.00")
    assert (await gql.as_(main.name, WITHDRAW, {"input": {"amount": "60.00"}})).ok()["accountWithdraw"]["userErrors"] == []
    alert = (await gql.as_(main.name, ALERTS)).ok()["viewer"]["partner"]["balanceAlerts"]["nodes"][0]["id"]
    assert (await as_distributor_admin.query(BALANCE_ALERT, {"id": alert})).codes == ["NOT_FOUND"]
    assert (await as_staff_operations.query(BALANCE_ALERT, {"id": alert})).ok()["node"]["id"] == alert
