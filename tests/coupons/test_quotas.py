"""Quotas: operations grants; a distributor allocates to and reclaims from the resellers it manages."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from models.audit import AuditOutcome
from models.coupons import CouponKind, CouponOperation, CouponQuota, QuotaStatus
from models.coupons import CouponOperationType as Op
from models.partners import PartnerIdentity as I
from models.safeguards import VerificationPurpose
from tests.audit_log import audit_count
from tests.coupons.documents import ALLOCATE, GRANT, ISSUE, QUOTA_RECLAIM
from tests.factories import (
    create_coupon,
    create_customers,
    create_distribution,
    create_issuer,
    create_partner,
    create_quota,
    create_verification_code,
    days,
)
from tests.graphql import gid, pk_of, user_error_codes


def grant_input(partner, **overrides) -> dict:
    values = {"partnerId": gid("Partner", partner.id), "kind": "VOUCHER", "total": "5000.00",
              "validFrom": days(-1).isoformat(), "validUntil": days(90).isoformat()}
    values.update(overrides)
    return {"input": values}


def allocate_input(distribution, amounts: list[str], **overrides) -> dict:
    values = {"quotaId": distribution.distributor.quota_id,
              "allocations": [{"resellerId": r, "amount": a} for r, a in zip(distribution.reseller_ids(), amounts, strict=False)]}
    values.update(overrides)
    return {"input": values}


async def test_operations_grants_a_quota_of_a_kind_the_partner_issues(as_staff_operations):
    partner = await create_partner(I.GOV_CLOUD_PARTNER)
    granted = (await as_staff_operations.query(GRANT, grant_input(partner, kind="PICKUP"))).ok()["couponQuotaGrant"]
    assert granted["userErrors"] == []
    quota = granted["quota"]
    assert (quota["status"], quota["kind"], quota["total"]["amount"], quota["available"]["amount"]) == ("NORMAL", "PICKUP", "5000.00", "5000.00")
    row = await CouponQuota.get(id=pk_of(quota["id"]))
    staff = await as_staff_operations.account()
    assert row.partner_id == partner.id and row.granted_by_id == staff.id and row.parent_quota_id is None
    record = await CouponOperation.get(quota_id=row.id)
    assert (record.type, record.partner_id, record.amount, record.operator_id) == (Op.QUOTA_ALLOCATE, partner.id, Decimal("5000.00"), staff.id)

    cases = [
        (grant_input(partner, kind="VOUCHER"), ["NOT_ALLOWED"]),
        (grant_input(partner, kind="PICKUP", total="0"), ["INVALID"]),
        (grant_input(partner, kind="PICKUP", validFrom=days(5).isoformat(), validUntil=days(4).isoformat()), ["INVALID"]),
        (grant_input(partner, kind="PICKUP", validUntil=days(-1).isoformat(), validFrom=days(-5).isoformat()), ["INVALID"]),
        (grant_input(partner, partnerId=gid("Partner", 10**9)), ["NOT_FOUND"]),
    ]
    for variables, expected in cases:
        payload = (await as_staff_operations.query(GRANT, variables)).ok()["couponQuotaGrant"]
        assert payload["quota"] is None and user_error_codes(payload) == expected, variables
    assert await CouponQuota.filter(partner_id=partner.id).count() == 1
    assert await audit_count("couponQuotaGrant", AuditOutcome.USER_ERROR, staff) >= len(cases)

    subsidy = await create_partner(I.GOV_SUBSIDY_PARTNER)
    for kind in ("VOUCHER", "CASH"):
        assert (await as_staff_operations.query(GRANT, grant_input(subsidy, kind=kind))).ok()["couponQuotaGrant"]["userErrors"] == []
    assert user_error_codes((await as_staff_operations.query(GRANT, grant_input(subsidy, kind="PICKUP"))).ok()["couponQuotaGrant"]) == ["NOT_ALLOWED"]
    path = await create_partner(I.SERVICE_PARTNER)
    assert user_error_codes((await as_staff_operations.query(GRANT, grant_input(path))).ok()["couponQuotaGrant"]) == ["NOT_ALLOWED"]


async def test_partners_cannot_grant_themselves_quota(gql):
    issuer = await create_issuer()
    denied = await gql.as_(issuer.name, GRANT, grant_input(issuer.partner))
    assert denied.codes == ["FORBIDDEN"]
    assert await CouponQuota.filter(partner_id=issuer.partner.id).count() == 1


async def test_allocate_to_resellers_then_they_issue_from_it(gql):
    distribution = await create_distribution(resellers=2, total="10000.00")
    result = (await gql.as_(distribution.name, ALLOCATE, allocate_input(distribution, ["3000.00", "2000.50"]))).ok()["couponQuotaAllocate"]
    assert result["userErrors"] == []
    assert [q["total"]["amount"] for q in result["quotas"]] == ["3000.00", "2000.50"]
    assert result["sourceQuota"]["used"]["amount"] == "5000.50" and result["sourceQuota"]["available"]["amount"] == "4999.50"
    children = await CouponQuota.filter(id__in=[pk_of(q["id"]) for q in result["quotas"]]).order_by("id")
    parent = distribution.distributor.quota
    assert [c.partner_id for c in children] == [r.id for r in distribution.resellers]
    assert all(c.parent_quota_id == parent.id and c.granted_by_id == distribution.distributor.account.id for c in children)
    assert all((c.valid_from, c.valid_until) == (parent.valid_from, parent.valid_until) for c in children)
    records = await CouponOperation.filter(quota_id__in=[c.id for c in children], type=Op.QUOTA_ALLOCATE)
    assert len(records) == 2 and {r.partner_id for r in records} == {distribution.distributor.partner.id}
    assert await audit_count("couponQuotaAllocate", AuditOutcome.SUCCESS, distribution.distributor.account) == 1

    # The reseller issues from what it received.
    customer = (await create_customers(distribution.resellers[0], 1))[0]
    issued = (await gql.as_(distribution.reseller_accounts[0].name, ISSUE, {"input": {
        "quotaId": gid("CouponQuota", children[0].id), "customerIds": [gid("Customer", customer.id)], "faceValue": "500.00"}})).ok()
    assert issued["couponIssue"]["userErrors"] == []
    assert (await CouponQuota.get(id=children[0].id)).used == Decimal("500.00")


async def test_allocation_refusals_change_nothing(gql):
    distribution = await create_distribution(resellers=2, total="1000.00")
    stranger = await create_partner(I.RESELLER)
    parent = distribution.distributor.quota
    frozen = await create_quota(distribution.distributor.partner, status=QuotaStatus.FROZEN)
    cases = [
        (allocate_input(distribution, ["600.00", "400.01"]), ["INSUFFICIENT_FUNDS"]),
        (allocate_input(distribution, ["0", "1.001"]), ["INVALID", "INVALID"]),
        (allocate_input(distribution, ["1", "1"], allocations=[]), ["REQUIRED"]),
        (allocate_input(distribution, [], allocations=[{"resellerId": gid("Partner", stranger.id), "amount": "10"}]), ["NOT_FOUND"]),
        (allocate_input(distribution, [], allocations=[{"resellerId": distribution.reseller_ids()[0], "amount": "10"}] * 2), ["INVALID"]),
        (allocate_input(distribution, [], allocations=[{"resellerId": distribution.reseller_ids()[0], "amount": "1"}] * 101),
         ["LIMIT_EXCEEDED", *["INVALID"] * 100]),
        (allocate_input(distribution, ["10", "10"], validUntil=days(61).isoformat()), ["INVALID"]),
        (allocate_input(distribution, ["10", "10"], quotaId=gid("CouponQuota", frozen.id)), ["INVALID_STATE"]),
    ]
    for variables, expected in cases:
        payload = (await gql.as_(distribution.name, ALLOCATE, variables)).ok()["couponQuotaAllocate"]
        assert payload["quotas"] is None and user_error_codes(payload) == expected, (variables, payload["userErrors"])
    assert (await CouponQuota.get(id=parent.id)).used == 0
    assert not await CouponQuota.filter(parent_quota_id__in=[parent.id, frozen.id]).exists()
    # Only distributors allocate; a reseller's quota is not a source either.
    reseller_account = distribution.reseller_accounts[0]
    denied = await gql.as_(reseller_account.name, ALLOCATE, allocate_input(distribution, ["10", "10"]))
    assert denied.codes == ["FORBIDDEN"]
    assert await audit_count("couponQuotaAllocate", AuditOutcome.DENIED, reseller_account) == 1


async def test_allocation_takes_the_verification_code_when_switched_on(gql):
    distribution = await create_distribution(resellers=1, verification_code_enabled=True)
    missing = (await gql.as_(distribution.name, ALLOCATE, allocate_input(distribution, ["100.00"]))).ok()["couponQuotaAllocate"]
    wrong = (await gql.as_(distribution.name, ALLOCATE, allocate_input(distribution, ["100.00"], verificationCode="123456"))).ok()["couponQuotaAllocate"]
    assert user_error_codes(missing) == user_error_codes(wrong) == ["VERIFICATION_FAILED"]
    code = await create_verification_code(distribution.distributor.account, VerificationPurpose.QUOTA_ALLOCATION)
    done = (await gql.as_(distribution.name, ALLOCATE, allocate_input(distribution, ["100.00"], verificationCode=code))).ok()["couponQuotaAllocate"]
    assert done["userErrors"] == []
    reused = (await gql.as_(distribution.name, ALLOCATE, allocate_input(distribution, ["100.00"], verificationCode=code))).ok()["couponQuotaAllocate"]
    assert user_error_codes(reused) == ["VERIFICATION_FAILED"]
    assert (await CouponQuota.get(id=distribution.distributor.quota.id)).used == Decimal("100.00")


async def test_allocation_is_idempotent(gql):
    distribution = await create_distribution(resellers=2)
    variables = allocate_input(distribution, ["100.00", "200.00"], idempotencyKey="alloc-1")
    first, second = await asyncio.gather(*(gql.as_(distribution.name, ALLOCATE, variables) for _ in range(2)))
    ids = [[q["id"] for q in a.ok()["couponQuotaAllocate"]["quotas"]] for a in (first, second)]
    assert ids[0] == ids[1] and len(ids[0]) == 2
    assert (await CouponQuota.get(id=distribution.distributor.quota.id)).used == Decimal("300.00")


async def test_reclaim_a_reseller_quota_takes_its_whole_remainder(gql):
    distribution = await create_distribution(resellers=1, total="1000.00")
    allocated = (await gql.as_(distribution.name, ALLOCATE, allocate_input(distribution, ["400.00"]))).ok()["couponQuotaAllocate"]
    child = await CouponQuota.get(id=pk_of(allocated["quotas"][0]["id"]))
    customer = (await create_customers(distribution.resellers[0], 1))[0]
    await create_coupon(child, customer, face="150.00")
    result = (await gql.as_(distribution.name, QUOTA_RECLAIM, {"input": {"quotaId": gid("CouponQuota", child.id)}})).ok()["couponQuotaReclaim"]
    assert result["userErrors"] == []
    quota = result["quota"]
    assert (quota["status"], quota["total"]["amount"], quota["used"]["amount"], quota["available"]["amount"]) == ("INVALID", "150.00", "150.00", "0.00")
    assert (await CouponQuota.get(id=distribution.distributor.quota.id)).used == Decimal("150.00")
    record = await CouponOperation.get(quota_id=child.id, type=Op.QUOTA_RECLAIM)
    assert record.amount == Decimal("250.00") and record.partner_id == distribution.distributor.partner.id
    assert await audit_count("couponQuotaReclaim", AuditOutcome.SUCCESS, distribution.distributor.account) == 1

    # Nothing left: refused, nothing changes; the reseller issues no more from it.
    again = (await gql.as_(distribution.name, QUOTA_RECLAIM, {"input": {"quotaId": gid("CouponQuota", child.id)}})).ok()["couponQuotaReclaim"]
    assert user_error_codes(again) == ["INVALID_STATE"]
    issue = (await gql.as_(distribution.reseller_accounts[0].name, ISSUE, {"input": {
        "quotaId": gid("CouponQuota", child.id), "customerIds": [gid("Customer", customer.id)], "faceValue": "1.00"}})).ok()["couponIssue"]
    assert user_error_codes(issue) == ["INVALID_STATE"]
    assert (await CouponQuota.get(id=distribution.distributor.quota.id)).used == Decimal("150.00")


async def test_reclaim_refusals(gql):
    distribution = await create_distribution(resellers=1, total="1000.00")
    allocated = (await gql.as_(distribution.name, ALLOCATE, allocate_input(distribution, ["400.00"]))).ok()["couponQuotaAllocate"]
    child_id = allocated["quotas"][0]["id"]
    # A fully issued reseller quota has nothing to give back.
    full = await create_quota(distribution.resellers[0], total="100.00", parent_quota=distribution.distributor.quota)
    await create_coupon(full, (await create_customers(distribution.resellers[0], 1))[0], face="100.00")
    other = await create_distribution(resellers=1)
    cases = [
        (gid("CouponQuota", full.id), distribution.name, "INVALID_STATE"),
        (distribution.distributor.quota_id, distribution.name, "NOT_ALLOWED"),
        (child_id, other.name, "NOT_FOUND"),
    ]
    for quota_id, caller, code in cases:
        payload = (await gql.as_(caller, QUOTA_RECLAIM, {"input": {"quotaId": quota_id}})).ok()["couponQuotaReclaim"]
        assert user_error_codes(payload) == [code], (quota_id, caller)
    denied = await gql.as_(distribution.reseller_accounts[0].name, QUOTA_RECLAIM, {"input": {"quotaId": child_id}})
    assert denied.codes == ["FORBIDDEN"]
    child = await CouponQuota.get(id=pk_of(child_id))
    assert child.status is QuotaStatus.NORMAL and child.total == Decimal("400.00")
    assert (await CouponQuota.get(id=full.id)).status is QuotaStatus.NORMAL


async def test_quota_reclaim_takes_the_verification_code_when_switched_on(gql):
    distribution = await create_distribution(resellers=1, verification_code_enabled=True)
    account = distribution.distributor.account
    code = await create_verification_code(account, VerificationPurpose.QUOTA_ALLOCATION)
    allocated = (await gql.as_(distribution.name, ALLOCATE, allocate_input(distribution, ["100.00"], verificationCode=code))).ok()
    child_id = allocated["couponQuotaAllocate"]["quotas"][0]["id"]
    request = {"quotaId": child_id}
    missing = (await gql.as_(distribution.name, QUOTA_RECLAIM, {"input": request})).ok()["couponQuotaReclaim"]
    other_purpose = await create_verification_code(account, VerificationPurpose.QUOTA_ALLOCATION)
    wrong = (await gql.as_(distribution.name, QUOTA_RECLAIM, {"input": {**request, "verificationCode": other_purpose}})).ok()["couponQuotaReclaim"]
    assert user_error_codes(missing) == user_error_codes(wrong) == ["VERIFICATION_FAILED"]
    assert (await CouponQuota.get(id=pk_of(child_id))).status is QuotaStatus.NORMAL
    code = await create_verification_code(account, VerificationPurpose.QUOTA_RECLAIM)
    done = (await gql.as_(distribution.name, QUOTA_RECLAIM, {"input": {**request, "verificationCode": code}})).ok()["couponQuotaReclaim"]
    assert done["userErrors"] == [] and done["quota"]["status"] == "INVALID"
    assert (await CouponQuota.get(id=distribution.distributor.quota.id)).used == Decimal("0.00")


async def test_concurrent_reclaims_and_issues_on_a_reseller_quota_keep_the_books(gql):
    distribution = await create_distribution(resellers=1, total="1000.00")
    allocated = (await gql.as_(distribution.name, ALLOCATE, allocate_input(distribution, ["500.00"]))).ok()["couponQuotaAllocate"]
    child_id = allocated["quotas"][0]["id"]
    customers = await create_customers(distribution.resellers[0], 5)
    reseller = distribution.reseller_accounts[0].name
    calls = [gql.as_(distribution.name, QUOTA_RECLAIM, {"input": {"quotaId": child_id}}) for _ in range(3)]
    calls += [gql.as_(reseller, ISSUE, {"input": {"quotaId": child_id, "customerIds": [gid("Customer", c.id)], "faceValue": "50.00"}})
              for c in customers]
    await asyncio.gather(*calls)
    child = await CouponQuota.get(id=pk_of(child_id))
    parent = await CouponQuota.get(id=distribution.distributor.quota.id)
    assert child.status is QuotaStatus.INVALID and child.used == child.total
    assert await CouponOperation.filter(quota_id=child.id, type=Op.QUOTA_RECLAIM).count() == 1
    # The distributor quota carries exactly what the reseller issued before the reclaim.
    assert parent.used == child.total == Decimal("50.00") * await CouponOperation.filter(quota_id=child.id, type=Op.ISSUE).count()
    assert parent.kind is CouponKind.VOUCHER
