"""The GraphQL documents the coupon tests send, and helpers to read their answers."""

from __future__ import annotations

from decimal import Decimal

from models.audit import AuditOutcome, AuditRecord
from models.coupons import Coupon, CouponQuota
from models.members import Account
from models.safeguards import VerificationPurpose
from resolvers.principal import principal_for
from resolvers.safeguards import issue_code

ERRORS = "userErrors { field message code }"
COUPON = "id status faceValue { amount } usedAmount { amount } balance { amount } validFrom expiresAt closedAt remark kind"
QUOTA = "id status kind total { amount } used { amount } available { amount } validFrom validUntil"

GRANT = f"""mutation($input: CouponQuotaGrantInput!) {{ couponQuotaGrant(input: $input) {{ quota {{ {QUOTA} }} {ERRORS} }} }}"""
ALLOCATE = f"""mutation($input: CouponQuotaAllocateInput!) {{ couponQuotaAllocate(input: $input) {{
    quotas {{ {QUOTA} parentQuota {{ id }} }} sourceQuota {{ {QUOTA} }} {ERRORS} }} }}"""
QUOTA_RECLAIM = f"""mutation($input: CouponQuotaReclaimInput!) {{ couponQuotaReclaim(input: $input) {{ quota {{ {QUOTA} }} {ERRORS} }} }}"""
ISSUE = f"""mutation($input: CouponIssueInput!) {{ couponIssue(input: $input) {{ coupons {{ {COUPON} }} {ERRORS} }} }}"""
RECLAIM = f"""mutation($input: CouponReclaimInput!) {{ couponReclaim(input: $input) {{ coupon {{ {COUPON} }} {ERRORS} }} }}"""
USAGE = f"""mutation($input: CouponUsageRecordInput!) {{ couponUsageRecord(input: $input) {{
    usageRecord {{ id orderId amount {{ amount }} }} coupon {{ {COUPON} }} {ERRORS} }} }}"""
NODE = f"""query($id: ID!) {{ node(id: $id) {{ ... on Coupon {{ {COUPON} }} }} }}"""
COUPONS = """query($status: CouponStatus, $quota: ID) { viewer { partner { coupons(first: 100, filter: {status: $status, quotaId: $quota}) {
    totalCount nodes { id status } } } } }"""


def codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def quota_used(quota: CouponQuota) -> Decimal:
    return (await CouponQuota.get(id=quota.id)).used


async def coupon_count(quota: CouponQuota) -> int:
    return await Coupon.filter(quota_id=quota.id).count()


async def code_for(account: Account, purpose: VerificationPurpose) -> str:
    code, _ = await issue_code(await principal_for(account.id), purpose)
    return code


async def audited(account: Account, action: str, outcome: AuditOutcome) -> int:
    return await AuditRecord.filter(actor_id=account.id, action=action, outcome=outcome).count()
