"""The benchmark's queries: GraphQL documents, who sends them, and which have a reference twin.

Accounts come from `partner-gateway seed --size N` (gateway/seed/synthetic.py): partner n's main
account is `p{n}.admin`; partner 1 is the first distributor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

# Q4 cannot use p1.admin: the synthetic seed switches verification codes on for every third
# partner (index % 3 == 0, partner 1 included), and a one-time code per request is no
# throughput test. Partner 2 (a reseller of partner 1) has them off. Writing to partner 2 also
# leaves Q2/Q3 (partner 1's coupons and records) unchanged however long the mutation runs.
READER = "p1.admin"


def twelve_months() -> tuple[str, str]:
    """The last twelve months, as the synthetic seed fills them (this month and eleven before)."""
    today = datetime.now(UTC)
    index = today.year * 12 + today.month - 1 - 11
    return f"{index // 12:04d}-{index % 12 + 1:02d}", f"{today:%Y-%m}"

ISSUER = "p2.admin"
STAFF = "staff.operations"
# Partner 1's first FINANCE_SPECIALIST member (gateway/seed/synthetic.py MEMBER_ROLES).
FINANCE = "p1.m13"
ISSUE_FACE_VALUE = Decimal("1.00")


@dataclass(frozen=True)
class Query:
    key: str
    title: str
    account: str
    document: str
    reference_path: str | None = None  # the reference endpoint's route for the same answer
    mutation: bool = False

    def body(self, variables: dict | None = None) -> str:
        payload: dict = {"query": self.document}
        if variables is not None:
            payload["variables"] = variables
        return json.dumps(payload, separators=(",", ":"))


QUERIES: list[Query] = [
    Query(
        "Q1", "50 partners x 20 members (staff)", STAFF,
        "{ partners(first: 50) { nodes { name members(first: 20) { nodes { name email } } } } }",
        reference_path="/q1",
    ),
    Query(
        "Q2", "partner, 50 coupons + usage, tasks", READER,
        "{ viewer { partner { name coupons(first: 50) { nodes { id status faceValue { amount } "
        "usageRecords(first: 10) { nodes { orderId amount { amount } } } } } "
        "tasks(first: 20) { nodes { name status deadline } } } } }",
        reference_path="/q2",
    ),
    Query(
        "Q3", "100 coupon operation records, filtered", READER,
        "{ viewer { partner { couponOperations(first: 100, filter: {type: ISSUE}) { totalCount "
        "nodes { type amount { amount } createdAt } } } } }",
    ),
    Query(
        "Q4", "couponIssue (1 coupon, 1.00)", ISSUER,
        "mutation Issue($input: CouponIssueInput!) { couponIssue(input: $input) { "
        "coupons { id faceValue { amount } } userErrors { field message code } } }",
        mutation=True,
    ),
    Query("Q5", "smallest authenticated query", READER, "{ viewer { account { id } } }"),
    Query(
        "Q6", "finance specialist: 12 incentive bills + applications", FINANCE,
        "{ viewer { partner { incentiveBills(first: 12) { nodes { period type status amount { amount } "
        "pendingAmount { amount } frozenAmount { amount } appliedAmount { amount } "
        "applicationLines(first: 5) { nodes { amount { amount } application { number method status "
        "invoiceRejectionReason } } } } } "
        "payoutApplications(first: 12) { nodes { number status amount { amount } createdAt } } } } }",
    ),
    Query(
        "Q7", "distributor: operations dashboard over 12 months", READER,
        "{ viewer { partner { operationsDashboard(from: \"%s\", to: \"%s\") { "
        "consumption { total { amount } byMonth { key amount { amount } } byCustomer { key amount { amount } } "
        "byProduct { key amount { amount } } } performance { total { amount } byMonth { key amount { amount } } "
        "byReseller { key amount { amount } } } incentives { estimated { amount } confirmed { amount } paid { amount } } } } } }"
        % twelve_months(),
    ),
]

ACCOUNTS = sorted({q.account for q in QUERIES})

# Run once before Q4 as the issuer: the quota to issue from and the customer to issue to.
ISSUE_TARGET = Query(
    "Q4-setup", "issue target", ISSUER,
    "{ viewer { partner { name verificationCodeEnabled "
    "couponQuotas(filter: {kind: VOUCHER, status: NORMAL}) { nodes { id available { amount } } } "
    "customers(first: 1, filter: {associationType: RESALE}) { nodes { id } } } } }",
)

QUOTA_LEFT = "query Left($id: ID!) { node(id: $id) { ... on CouponQuota { available { amount } } } }"


def issue_variables(quota_id: str, customer_id: str) -> dict:
    # No idempotency key: every request must issue a new coupon, not replay the first answer.
    return {"input": {"quotaId": quota_id, "customerIds": [customer_id], "faceValue": str(ISSUE_FACE_VALUE)}}


def pick_issue_target(answer: dict) -> tuple[str, Decimal, str]:
    """(quota id, its available amount, customer id) from the ISSUE_TARGET answer."""
    partner = ((answer.get("data") or {}).get("viewer") or {}).get("partner")
    if not partner:
        raise ValueError(f"{ISSUER} sees no partner: {answer}")
    if partner["verificationCodeEnabled"]:
        raise ValueError(f"{partner['name']} has verification codes on; couponIssue would need a code per request")
    quotas = partner["couponQuotas"]["nodes"]
    customers = partner["customers"]["nodes"]
    if not quotas or not customers:
        raise ValueError(f"{partner['name']} has no NORMAL voucher quota or no resale customer")
    quota = max(quotas, key=lambda q: Decimal(q["available"]["amount"]))
    return quota["id"], Decimal(quota["available"]["amount"]), customers[0]["id"]
