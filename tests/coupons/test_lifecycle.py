"""A coupon's life: AVAILABLE → USED (usage) | RECLAIMED (issuer) | EXPIRED (expiry job, and at once on read)."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from models.audit import AuditOutcome
from models.coupons import Coupon, CouponKind, CouponOperation, CouponQuota, CouponStatus, CouponUsage
from models.coupons import CouponOperationType as Op
from models.partners import PartnerIdentity as I
from models.safeguards import VerificationPurpose
from resolvers.coupons.issue_services import expire_coupons, reclaim_customer_coupons
from tests.audit_log import audit_count
from tests.cli import cli_command, cli_env
from tests.coupons.documents import COUPONS, NODE, RECLAIM, USAGE
from tests.factories import create_coupon, create_issuer, create_quota, create_verification_code, days
from tests.graphql import gid, user_error_codes


def usage_input(coupon, amount: str, order: str = "ORD-1") -> dict:
    return {"input": {"couponId": gid("Coupon", coupon.id), "orderId": order, "amount": amount}}


async def test_usage_deducts_and_a_used_up_coupon_becomes_used(gql, as_staff_operations):
    issuer = await create_issuer()
    coupon = await create_coupon(issuer.quota, issuer.customers[0], face="100.00")
    first = (await as_staff_operations.query(USAGE, usage_input(coupon, "60.00"))).ok()["couponUsageRecord"]
    assert first["userErrors"] == [] and first["coupon"]["status"] == "AVAILABLE"
    assert first["coupon"]["balance"]["amount"] == "40.00" and first["usageRecord"]["orderId"] == "ORD-1"

    refusals = [
        (usage_input(coupon, "40.01", "ORD-2"), "INSUFFICIENT_FUNDS"),
        (usage_input(coupon, "10.00", "ORD-1"), "CONFLICT"),
        (usage_input(coupon, "0.001", "ORD-2"), "INVALID"),
        (usage_input(coupon, "10.00", "x" * 65), "TOO_LONG"),
        (usage_input(coupon, "10.00", ""), "REQUIRED"),
    ]
    for variables, code in refusals:
        payload = (await as_staff_operations.query(USAGE, variables)).ok()["couponUsageRecord"]
        assert user_error_codes(payload) == [code], variables
    assert (await Coupon.get(id=coupon.id)).used_amount == Decimal("60.00")
    assert await CouponUsage.filter(coupon_id=coupon.id).count() == 1

    last = (await as_staff_operations.query(USAGE, usage_input(coupon, "40.00", "ORD-2"))).ok()["couponUsageRecord"]
    assert last["coupon"]["status"] == "USED" and last["coupon"]["closedAt"] is not None
    row = await Coupon.get(id=coupon.id)
    assert row.status is CouponStatus.USED and row.used_amount == row.face_value
    # Used coupons keep their face value charged to the quota.
    assert (await CouponQuota.get(id=issuer.quota.id)).used == Decimal("100.00")
    assert await audit_count("couponUsageRecord", AuditOutcome.SUCCESS, as_staff_operations) >= 2

    again = (await as_staff_operations.query(USAGE, usage_input(coupon, "1.00", "ORD-3"))).ok()["couponUsageRecord"]
    assert user_error_codes(again) == ["INVALID_STATE"]
    # Partners do not record usage; billing does.
    denied = await gql.as_(issuer.name, USAGE, usage_input(coupon, "1.00", "ORD-4"))
    assert denied.codes == ["FORBIDDEN"]
    assert await CouponUsage.filter(coupon_id=coupon.id).count() == 2


async def test_usage_before_validity_is_refused(as_staff_operations):
    issuer = await create_issuer()
    coupon = await create_coupon(issuer.quota, issuer.customers[0])
    await Coupon.filter(id=coupon.id).update(valid_from=days(3))
    payload = (await as_staff_operations.query(USAGE, usage_input(coupon, "1.00"))).ok()["couponUsageRecord"]
    assert user_error_codes(payload) == ["INVALID_STATE"]
    assert (await Coupon.get(id=coupon.id)).used_amount == 0


async def test_reclaim_returns_the_remaining_balance_and_refuses_a_second_time(gql):
    issuer = await create_issuer(total="500.00")
    coupon = await create_coupon(issuer.quota, issuer.customers[0], face="200.00", used="50.00", issued_by=issuer.account)
    assert (await CouponQuota.get(id=issuer.quota.id)).used == Decimal("200.00")
    result = (await gql.as_(issuer.name, RECLAIM, {"input": {"couponId": gid("Coupon", coupon.id)}})).ok()["couponReclaim"]
    assert result["userErrors"] == [] and result["coupon"]["status"] == "RECLAIMED" and result["coupon"]["closedAt"]
    assert (await CouponQuota.get(id=issuer.quota.id)).used == Decimal("50.00")
    record = await CouponOperation.get(coupon_id=coupon.id, type=Op.MANUAL_RECLAIM)
    assert record.amount == Decimal("150.00") and record.operator_id == issuer.account.id and record.quota_id == issuer.quota.id
    assert await audit_count("couponReclaim", AuditOutcome.SUCCESS, issuer.account) == 1

    again = (await gql.as_(issuer.name, RECLAIM, {"input": {"couponId": gid("Coupon", coupon.id)}})).ok()["couponReclaim"]
    assert user_error_codes(again) == ["INVALID_STATE"] and again["coupon"] is None
    assert (await CouponQuota.get(id=issuer.quota.id)).used == Decimal("50.00")
    assert await audit_count("couponReclaim", AuditOutcome.USER_ERROR, issuer.account) == 1


async def test_used_coupons_cannot_be_reclaimed(gql, as_staff_operations):
    issuer = await create_issuer()
    coupon = await create_coupon(issuer.quota, issuer.customers[0], face="80.00")
    (await as_staff_operations.query(USAGE, usage_input(coupon, "80.00"))).ok()
    refused = (await gql.as_(issuer.name, RECLAIM, {"input": {"couponId": gid("Coupon", coupon.id)}})).ok()["couponReclaim"]
    assert user_error_codes(refused) == ["INVALID_STATE"]
    row = await Coupon.get(id=coupon.id)
    assert row.status is CouponStatus.USED and (await CouponQuota.get(id=issuer.quota.id)).used == Decimal("80.00")
    assert not await CouponOperation.filter(coupon_id=coupon.id, type=Op.MANUAL_RECLAIM).exists()


async def test_reclaim_scoping_kind_permission_and_idempotency(gql):
    issuer = await create_issuer()
    stranger = await create_issuer()
    coupon = await create_coupon(issuer.quota, issuer.customers[0])
    foreign = (await gql.as_(stranger.name, RECLAIM, {"input": {"couponId": gid("Coupon", coupon.id)}})).ok()["couponReclaim"]
    assert user_error_codes(foreign) == ["NOT_FOUND"]
    # A cash coupon in a solution provider's books still needs coupon.cash.reclaim.
    cash_quota = await create_quota(issuer.partner, kind=CouponKind.CASH)
    cash = await create_coupon(cash_quota, issuer.customers[1])
    denied = await gql.as_(issuer.name, RECLAIM, {"input": {"couponId": gid("Coupon", cash.id)}})
    assert denied.codes == ["FORBIDDEN"] and denied.errors[0]["extensions"]["permission"] == "coupon.cash.reclaim"
    assert (await Coupon.get(id=cash.id)).status is CouponStatus.AVAILABLE
    assert await audit_count("couponReclaim", AuditOutcome.DENIED, issuer.account) == 1

    request = {"input": {"couponId": gid("Coupon", coupon.id), "idempotencyKey": "reclaim-1"}}
    first = (await gql.as_(issuer.name, RECLAIM, request)).ok()["couponReclaim"]
    repeat = (await gql.as_(issuer.name, RECLAIM, request)).ok()["couponReclaim"]
    assert first["userErrors"] == repeat["userErrors"] == [] and first["coupon"]["id"] == repeat["coupon"]["id"]
    assert await CouponOperation.filter(coupon_id=coupon.id, type=Op.MANUAL_RECLAIM).count() == 1
    assert (await CouponQuota.get(id=issuer.quota.id)).used == Decimal("0.00")


async def test_reclaim_takes_the_verification_code_when_switched_on(gql):
    issuer = await create_issuer(I.DISTRIBUTOR, verification_code_enabled=True)
    coupon = await create_coupon(issuer.quota, issuer.customers[0])
    request = {"input": {"couponId": gid("Coupon", coupon.id)}}
    missing = (await gql.as_(issuer.name, RECLAIM, request)).ok()["couponReclaim"]
    wrong_purpose = await create_verification_code(issuer.account, VerificationPurpose.COUPON_ISSUE)
    wrong = (await gql.as_(issuer.name, RECLAIM, {"input": {**request["input"], "verificationCode": wrong_purpose}})).ok()["couponReclaim"]
    assert user_error_codes(missing) == user_error_codes(wrong) == ["VERIFICATION_FAILED"]
    assert (await Coupon.get(id=coupon.id)).status is CouponStatus.AVAILABLE
    code = await create_verification_code(issuer.account, VerificationPurpose.COUPON_RECLAIM)
    done = (await gql.as_(issuer.name, RECLAIM, {"input": {**request["input"], "verificationCode": code}})).ok()["couponReclaim"]
    assert done["userErrors"] == [] and done["coupon"]["status"] == "RECLAIMED"


async def test_an_expired_coupon_reads_as_expired_before_the_job_runs(gql, as_staff_operations):
    issuer = await create_issuer()
    coupon = await create_coupon(issuer.quota, issuer.customers[0], face="100.00", used="30.00")
    live = await create_coupon(issuer.quota, issuer.customers[1], face="50.00")
    await Coupon.filter(id=coupon.id).update(expires_at=days(-1))
    node = (await gql.as_(issuer.name, NODE, {"id": gid("Coupon", coupon.id)})).ok()["node"]
    assert node["status"] == "EXPIRED" and node["closedAt"] is not None
    quota_id = gid("CouponQuota", issuer.quota.id)
    by_status = {}
    for status in ("AVAILABLE", "EXPIRED"):
        listed = (await gql.as_(issuer.name, COUPONS, {"status": status, "quota": quota_id})).ok()
        by_status[status] = [n["id"] for n in listed["viewer"]["partner"]["coupons"]["nodes"]]
    assert by_status == {"AVAILABLE": [gid("Coupon", live.id)], "EXPIRED": [gid("Coupon", coupon.id)]}

    # Mutations treat it as EXPIRED too, and change nothing.
    reclaim = (await gql.as_(issuer.name, RECLAIM, {"input": {"couponId": gid("Coupon", coupon.id)}})).ok()["couponReclaim"]
    usage = (await as_staff_operations.query(USAGE, usage_input(coupon, "1.00"))).ok()["couponUsageRecord"]
    assert user_error_codes(reclaim) == user_error_codes(usage) == ["INVALID_STATE"]
    row = await Coupon.get(id=coupon.id)
    assert row.status is CouponStatus.AVAILABLE and row.used_amount == Decimal("30.00")
    assert (await CouponQuota.get(id=issuer.quota.id)).used == Decimal("150.00")


async def test_expire_coupons_returns_remainders_once_even_when_run_concurrently(gql):
    issuer = await create_issuer()
    expired = [await create_coupon(issuer.quota, c, face="100.00", used="40.00") for c in issuer.customers[:2]]
    live = await create_coupon(issuer.quota, issuer.customers[2], face="100.00")
    await Coupon.filter(id__in=[c.id for c in expired]).update(expires_at=days(-2))
    now = datetime.now(UTC)
    counts = await asyncio.gather(expire_coupons(now), expire_coupons(now))
    assert sum(counts) >= 2
    for coupon in expired:
        row = await Coupon.get(id=coupon.id)
        assert row.status is CouponStatus.EXPIRED and row.closed_at == row.expires_at
        records = await CouponOperation.filter(coupon_id=coupon.id, type=Op.EXPIRY_RECLAIM)
        assert len(records) == 1 and records[0].amount == Decimal("60.00") and records[0].operator_id is None
    assert (await Coupon.get(id=live.id)).status is CouponStatus.AVAILABLE
    # 300 issued, 2 x 60 returned.
    assert (await CouponQuota.get(id=issuer.quota.id)).used == Decimal("180.00")
    node = (await gql.as_(issuer.name, NODE, {"id": gid("Coupon", expired[0].id)})).ok()["node"]
    assert node["status"] == "EXPIRED" and node["balance"]["amount"] == "60.00"


async def test_disassociation_reclaims_a_customers_available_coupons(gql):
    issuer = await create_issuer()
    customer = issuer.customers[0]
    open_coupon = await create_coupon(issuer.quota, customer, face="100.00", used="25.00")
    stale = await create_coupon(issuer.quota, customer, face="100.00")
    await Coupon.filter(id=stale.id).update(expires_at=days(-1))
    assert await reclaim_customer_coupons(customer.id, operator_id=issuer.account.id, now=datetime.now(UTC)) == 1
    assert (await Coupon.get(id=open_coupon.id)).status is CouponStatus.RECLAIMED
    assert await CouponOperation.filter(coupon_id=open_coupon.id, type=Op.DISASSOCIATION_RECLAIM, amount=Decimal("75.00")).exists()
    # The expired one is left to the expiry job, which reports it as EXPIRED.
    assert (await Coupon.get(id=stale.id)).status is CouponStatus.AVAILABLE
    assert (await CouponQuota.get(id=issuer.quota.id)).used == Decimal("125.00")


def test_the_expire_command(tmp_path: Path):
    """`partner-gateway expire` on a demo database: an overdue coupon closes once."""
    url = f"sqlite://{tmp_path / 'gw.db'}"

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*cli_command(), *args], cwd=tmp_path, env=cli_env(url), capture_output=True, text=True, timeout=120)

    assert run("seed", "--demo").returncode == 0
    with sqlite3.connect(tmp_path / "gw.db") as db:
        # Backdate one AVAILABLE coupon to the expiry of one that already expired.
        coupon_id, = db.execute("SELECT id FROM coupon WHERE status = 'AVAILABLE' ORDER BY id LIMIT 1").fetchone()
        db.execute("UPDATE coupon SET expires_at = (SELECT expires_at FROM coupon WHERE status = 'EXPIRED' LIMIT 1) WHERE id = ?", (coupon_id,))
    first, second = run("expire"), run("expire")
    assert first.returncode == second.returncode == 0, first.stderr
    assert first.stdout.strip() == "Expired 1 coupon(s)." and second.stdout.strip() == "Expired 0 coupon(s)."
    with sqlite3.connect(tmp_path / "gw.db") as db:
        assert db.execute("SELECT status FROM coupon WHERE id = ?", (coupon_id,)).fetchone() == ("EXPIRED",)
        assert db.execute("SELECT count(*) FROM coupon_operation WHERE coupon_id = ? AND type = 'EXPIRY_RECLAIM'", (coupon_id,)).fetchone() == (1,)
