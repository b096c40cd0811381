"""The GraphQL documents the coupon tests send."""

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

