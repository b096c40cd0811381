"""The acceptance check: concurrent issues never exceed the quota; idempotency keys apply once; one reclaim wins."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from models.coupons import Coupon, CouponOperation, CouponOperationType, CouponQuota, CouponStatus
from tests.coupons.documents import ISSUE, RECLAIM, USAGE
from tests.factories import create_coupon, create_issuer
from tests.graphql import gid, pk_of, user_error_codes


async def test_fifty_concurrent_issues_against_a_quota_for_ten(gql):
    issuer = await create_issuer(total="1000.00", customers=50)
    answers = await asyncio.gather(*(
        gql.as_(issuer.name, ISSUE, {"input": {"quotaId": issuer.quota_id, "customerIds": [customer], "faceValue": "100.00"}})
        for customer in issuer.customer_ids()
    ))
    payloads = [a.ok()["couponIssue"] for a in answers]
    succeeded = [p for p in payloads if p["userErrors"] == []]
    refused = [user_error_codes(p) for p in payloads if p["userErrors"]]
    assert len(succeeded) == 10 and refused == [["INSUFFICIENT_FUNDS"]] * 40

    quota = await CouponQuota.get(id=issuer.quota.id)
    coupons = await Coupon.filter(quota_id=quota.id)
    assert quota.used == Decimal("1000.00") == sum((c.face_value for c in coupons), Decimal("0.00"))
    assert len(coupons) == 10 and len({c.customer_id for c in coupons}) == 10
    assert {pk_of(p["coupons"][0]["id"]) for p in succeeded} == {c.id for c in coupons}
    assert await CouponOperation.filter(quota_id=quota.id, type=CouponOperationType.ISSUE).count() == 10


async def test_the_same_idempotency_key_applies_once(gql):
    issuer = await create_issuer(customers=2)
    request = {"input": {"quotaId": issuer.quota_id, "customerIds": issuer.customer_ids(1), "faceValue": "100.00",
                         "idempotencyKey": "issue-once"}}
    first, second = await asyncio.gather(gql.as_(issuer.name, ISSUE, request), gql.as_(issuer.name, ISSUE, request))
    ids = [[c["id"] for c in a.ok()["couponIssue"]["coupons"]] for a in (first, second)]
    assert ids[0] == ids[1] and len(ids[0]) == 1
    assert await Coupon.filter(quota_id=issuer.quota.id).count() == 1
    assert (await CouponQuota.get(id=issuer.quota.id)).used == Decimal("100.00")

    later = (await gql.as_(issuer.name, ISSUE, request)).ok()["couponIssue"]
    assert [c["id"] for c in later["coupons"]] == ids[0] and later["userErrors"] == []

    changed = {"input": {**request["input"], "customerIds": issuer.customer_ids(1, start=1)}}
    conflict = (await gql.as_(issuer.name, ISSUE, changed)).ok()["couponIssue"]
    assert conflict["coupons"] is None and user_error_codes(conflict) == ["CONFLICT"]
    assert await Coupon.filter(quota_id=issuer.quota.id).count() == 1
    assert (await CouponQuota.get(id=issuer.quota.id)).used == Decimal("100.00")


async def test_concurrent_reclaims_of_one_coupon_only_one_wins(gql):
    issuer = await create_issuer(total="500.00")
    coupon = await create_coupon(issuer.quota, issuer.customers[0], face="300.00", used="100.00")
    request = {"input": {"couponId": gid("Coupon", coupon.id)}}
    answers = await asyncio.gather(*(gql.as_(issuer.name, RECLAIM, request) for _ in range(5)))
    payloads = [a.ok()["couponReclaim"] for a in answers]
    assert sorted(tuple(user_error_codes(p)) for p in payloads) == [()] + [("INVALID_STATE",)] * 4
    row = await Coupon.get(id=coupon.id)
    assert row.status is CouponStatus.RECLAIMED
    # 300 issued, 100 used: 200 went back, once.
    assert (await CouponQuota.get(id=issuer.quota.id)).used == Decimal("100.00")
    assert await CouponOperation.filter(coupon_id=coupon.id, type=CouponOperationType.MANUAL_RECLAIM).count() == 1


async def test_concurrent_usage_never_overdraws_a_coupon(as_staff_operations):
    issuer = await create_issuer()
    coupon = await create_coupon(issuer.quota, issuer.customers[0], face="100.00")
    answers = await asyncio.gather(*(
        as_staff_operations.query(USAGE, {"input": {"couponId": gid("Coupon", coupon.id), "orderId": f"ORD-{i}", "amount": "30.00"}})
        for i in range(6)
    ))
    payloads = [a.ok()["couponUsageRecord"] for a in answers]
    assert sum(p["userErrors"] == [] for p in payloads) == 3
    assert all(user_error_codes(p) in ([], ["INSUFFICIENT_FUNDS"]) for p in payloads)
    row = await Coupon.get(id=coupon.id)
    assert row.used_amount == Decimal("90.00") and row.status is CouponStatus.AVAILABLE
