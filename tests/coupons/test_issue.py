"""couponIssue: one coupon per customer, charged to the quota as a unit; every refusal changes nothing."""

from __future__ import annotations

from decimal import Decimal

from models.audit import AuditOutcome, AuditRecord
from models.coupons import Coupon, CouponKind, CouponOperation, CouponOperationType, QuotaStatus
from models.customers import AssociationType
from models.partners import PartnerIdentity as I
from models.safeguards import VerificationPurpose
from tests.audit_log import audit_count
from tests.coupons.documents import ISSUE
from tests.coupons.support import coupon_count, quota_used
from tests.factories import create_customers, create_issuer, create_quota, create_verification_code, days
from tests.graphql import gid, pk_of, user_error_codes


def issue_input(issuer, **overrides) -> dict:
    values = {"quotaId": issuer.quota_id, "customerIds": issuer.customer_ids(2), "faceValue": "100.00"}
    values.update(overrides)
    return {"input": values}


async def test_issue_creates_available_coupons_charges_the_quota_and_records_each(gql):
    issuer = await create_issuer()
    expires = days(30).isoformat()
    result = (await gql.as_(issuer.name, ISSUE, issue_input(
        issuer, customerIds=issuer.customer_ids(3), faceValue="120.50", expiresAt=expires,
        productLimits=["ECS", " RDS ", "ECS"], remark="Spring push")))
    payload = result.ok()["couponIssue"]
    assert payload["userErrors"] == []
    coupons = payload["coupons"]
    assert [c["status"] for c in coupons] == ["AVAILABLE"] * 3
    assert {c["faceValue"]["amount"] for c in coupons} == {"120.50"}
    assert coupons[0]["balance"]["amount"] == "120.50" and coupons[0]["remark"] == "Spring push"
    assert await quota_used(issuer.quota) == Decimal("361.50")

    rows = await Coupon.filter(id__in=[pk_of(c["id"]) for c in coupons]).order_by("id")
    assert [r.customer_id for r in rows] == [c.id for c in issuer.customers]
    assert all(r.issued_by_id == issuer.account.id and r.product_limits == ["ECS", "RDS"] for r in rows)
    assert rows[0].valid_from == issuer.quota.valid_from and rows[0].closed_at is None
    records = await CouponOperation.filter(coupon_id__in=[r.id for r in rows])
    assert len(records) == 3 and {r.type for r in records} == {CouponOperationType.ISSUE}
    assert all(r.operator_id == issuer.account.id and r.amount == Decimal("120.50") for r in records)
    assert await audit_count("couponIssue", AuditOutcome.SUCCESS, issuer.account) == 1


async def test_cash_coupons_of_a_government_partner_go_to_whitelisted_customers(gql):
    issuer = await create_issuer(I.GOV_SUBSIDY_PARTNER, kind=CouponKind.CASH, whitelisted=True)
    outsider = (await create_customers(issuer.partner, 1, whitelisted=False))[0]
    refused = (await gql.as_(issuer.name, ISSUE, issue_input(
        issuer, customerIds=[*issuer.customer_ids(1), gid("Customer", outsider.id)], maxOrderRatio="0.5"))).ok()["couponIssue"]
    assert refused["coupons"] is None
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("NOT_ALLOWED", ["customerIds", "1"])]
    assert await coupon_count(issuer.quota) == 0 and await quota_used(issuer.quota) == 0

    voucher_terms = (await gql.as_(issuer.name, ISSUE, issue_input(issuer, minOrderAmount="500.00"))).ok()["couponIssue"]
    assert user_error_codes(voucher_terms) == ["NOT_ALLOWED"]

    issued = (await gql.as_(issuer.name, ISSUE, issue_input(issuer, maxOrderRatio="0.5"))).ok()["couponIssue"]
    assert issued["userErrors"] == [] and [c["kind"] for c in issued["coupons"]] == ["CASH", "CASH"]
    assert {r.max_order_ratio for r in await Coupon.filter(quota_id=issuer.quota.id)} == {Decimal("0.5")}


async def test_input_refusals_change_nothing(gql):
    issuer = await create_issuer(customers=2)
    many = [gid("Customer", issuer.customers[0].id)] * 101
    cases = [
        ({"faceValue": "0"}, ["INVALID"]),
        ({"faceValue": "10.005"}, ["INVALID"]),
        ({"faceValue": "-5"}, ["INVALID"]),
        ({"faceValue": "100000000.01"}, ["LIMIT_EXCEEDED"]),
        ({"customerIds": []}, ["REQUIRED"]),
        ({"customerIds": many}, ["LIMIT_EXCEEDED", *["INVALID"] * 100]),
        ({"customerIds": issuer.customer_ids(1) * 2}, ["INVALID"]),
        ({"customerIds": [gid("Customer", 10**9)]}, ["NOT_FOUND"]),
        ({"customerIds": [gid("Partner", issuer.partner.id)]}, ["NOT_FOUND"]),
        ({"validFrom": days(-31).isoformat()}, ["INVALID"]),
        ({"expiresAt": days(61).isoformat()}, ["INVALID"]),
        ({"expiresAt": days(-1).isoformat()}, ["INVALID"]),
        ({"validFrom": days(10).isoformat(), "expiresAt": days(5).isoformat()}, ["INVALID"]),
        ({"productLimits": [f"P{i}" for i in range(11)]}, ["LIMIT_EXCEEDED"]),
        ({"serviceLimits": ["x" * 101]}, ["TOO_LONG"]),
        ({"serviceLimits": [" "]}, ["REQUIRED"]),
        ({"remark": "r" * 501}, ["TOO_LONG"]),
        ({"maxOrderRatio": "0.5"}, ["NOT_ALLOWED"]),
        ({"minOrderAmount": "0.001"}, ["INVALID"]),
        ({"quotaId": gid("CouponQuota", 10**9)}, ["NOT_FOUND"]),
        ({"verificationCode": "1" * 33}, ["VERIFICATION_FAILED"]),
    ]
    for overrides, expected in cases:
        payload = (await gql.as_(issuer.name, ISSUE, issue_input(issuer, **overrides))).ok()["couponIssue"]
        assert payload["coupons"] is None and user_error_codes(payload) == expected, (overrides, payload["userErrors"])
    assert await coupon_count(issuer.quota) == 0 and await quota_used(issuer.quota) == 0
    assert await audit_count("couponIssue", AuditOutcome.USER_ERROR, issuer.account) == len(cases)


async def test_only_resale_customers_of_the_callers_partner(gql):
    issuer = await create_issuer()
    referral = (await create_customers(issuer.partner, 1, association_type=AssociationType.REFERRAL))[0]
    stranger = await create_issuer()
    cases = [(referral.id, "NOT_ALLOWED"), (stranger.customers[0].id, "NOT_FOUND")]
    for customer_id, code in cases:
        payload = (await gql.as_(issuer.name, ISSUE, issue_input(issuer, customerIds=[gid("Customer", customer_id)]))).ok()["couponIssue"]
        assert user_error_codes(payload) == [code]
    # Another partner's quota is not found; its coupons and balance stay as they are.
    foreign = (await gql.as_(issuer.name, ISSUE, issue_input(issuer, quotaId=stranger.quota_id))).ok()["couponIssue"]
    assert user_error_codes(foreign) == ["NOT_FOUND"]
    assert await coupon_count(issuer.quota) == await coupon_count(stranger.quota) == 0


async def test_quota_state_window_and_funds(gql):
    issuer = await create_issuer(total="150.00")
    frozen = await create_quota(issuer.partner, status=QuotaStatus.FROZEN)
    future = await create_quota(issuer.partner, valid_from=days(5), valid_until=days(50))
    for quota in (frozen, future):
        payload = (await gql.as_(issuer.name, ISSUE, issue_input(issuer, quotaId=gid("CouponQuota", quota.id)))).ok()["couponIssue"]
        assert user_error_codes(payload) == ["INVALID_STATE"]
        assert await coupon_count(quota) == 0 and await quota_used(quota) == 0
    # 2 x 100 exceeds 150: nothing is issued, not even the first coupon.
    short = (await gql.as_(issuer.name, ISSUE, issue_input(issuer))).ok()["couponIssue"]
    assert user_error_codes(short) == ["INSUFFICIENT_FUNDS"]
    assert await coupon_count(issuer.quota) == 0 and await quota_used(issuer.quota) == 0
    exact = (await gql.as_(issuer.name, ISSUE, issue_input(issuer, faceValue="75.00"))).ok()["couponIssue"]
    assert exact["userErrors"] == [] and await quota_used(issuer.quota) == Decimal("150.00")


async def test_the_quota_kind_needs_its_own_permission(gql):
    # A solution provider may issue vouchers, never cash coupons, whatever quota it holds.
    issuer = await create_issuer()
    cash = await create_quota(issuer.partner, kind=CouponKind.CASH)
    denied = await gql.as_(issuer.name, ISSUE, issue_input(issuer, quotaId=gid("CouponQuota", cash.id)))
    assert denied.codes == ["FORBIDDEN"] and denied.errors[0]["extensions"]["permission"] == "coupon.cash.issue"
    assert await coupon_count(cash) == 0 and await quota_used(cash) == 0
    assert await audit_count("couponIssue", AuditOutcome.DENIED, issuer.account) == 1


async def test_a_caller_without_any_issue_permission_is_forbidden(as_account_manager):
    # An account manager holds no coupon permission: refused before anything runs.
    issuer = await create_issuer()
    before = await audit_count("couponIssue", AuditOutcome.DENIED, as_account_manager)
    denied = await as_account_manager.query(ISSUE, issue_input(issuer))
    assert denied.codes == ["FORBIDDEN"] and denied.errors[0]["extensions"]["permission"] == "coupon.voucher.issue"
    assert await coupon_count(issuer.quota) == 0 and await quota_used(issuer.quota) == 0
    assert await audit_count("couponIssue", AuditOutcome.DENIED, as_account_manager) == before + 1


async def test_remark_is_shown_to_the_issuer_only(gql, as_staff_operations):
    issuer = await create_issuer()
    payload = (await gql.as_(issuer.name, ISSUE, issue_input(issuer, remark="internal"))).ok()["couponIssue"]
    coupon_id = payload["coupons"][0]["id"]
    query = "query($id: ID!) { node(id: $id) { ... on Coupon { remark } } }"
    assert (await gql.as_(issuer.name, query, {"id": coupon_id})).ok()["node"]["remark"] == "internal"
    assert (await as_staff_operations.query(query, {"id": coupon_id})).ok()["node"]["remark"] is None


async def test_verification_code_when_the_partner_has_it_on(gql):
    issuer = await create_issuer(I.DISTRIBUTOR, verification_code_enabled=True)
    missing = (await gql.as_(issuer.name, ISSUE, issue_input(issuer))).ok()["couponIssue"]
    wrong = (await gql.as_(issuer.name, ISSUE, issue_input(issuer, verificationCode="000000x"))).ok()["couponIssue"]
    reclaim_code = await create_verification_code(issuer.account, VerificationPurpose.COUPON_RECLAIM)
    other_purpose = (await gql.as_(issuer.name, ISSUE, issue_input(issuer, verificationCode=reclaim_code))).ok()["couponIssue"]
    assert user_error_codes(missing) == user_error_codes(wrong) == user_error_codes(other_purpose) == ["VERIFICATION_FAILED"]
    assert await coupon_count(issuer.quota) == 0

    code = await create_verification_code(issuer.account, VerificationPurpose.COUPON_ISSUE)
    issued = (await gql.as_(issuer.name, ISSUE, issue_input(issuer, verificationCode=code))).ok()["couponIssue"]
    assert issued["userErrors"] == [] and len(issued["coupons"]) == 2
    record = await AuditRecord.get(actor_id=issuer.account.id, action="couponIssue", outcome=AuditOutcome.SUCCESS)
    assert record.input["verification_code"] == "[redacted]"
    used = (await gql.as_(issuer.name, ISSUE, issue_input(issuer, verificationCode=code))).ok()["couponIssue"]
    assert user_error_codes(used) == ["VERIFICATION_FAILED"]
    assert await coupon_count(issuer.quota) == 2 and await quota_used(issuer.quota) == Decimal("200.00")


async def test_a_refusal_after_the_code_leaves_the_code_unused(gql):
    issuer = await create_issuer(I.DISTRIBUTOR, verification_code_enabled=True, total="50.00")
    code = await create_verification_code(issuer.account, VerificationPurpose.COUPON_ISSUE)
    short = (await gql.as_(issuer.name, ISSUE, issue_input(issuer, verificationCode=code))).ok()["couponIssue"]
    assert user_error_codes(short) == ["INSUFFICIENT_FUNDS"]
    # The refused call rolled back, its code consumption included.
    issued = (await gql.as_(issuer.name, ISSUE, issue_input(issuer, faceValue="25.00", verificationCode=code))).ok()["couponIssue"]
    assert issued["userErrors"] == []
