"""What the coupon services share: input checks for amounts and windows, who may issue which
kind, the per-kind permissions and operation records.

The services themselves live in `quota_services` (grant, allocate and reclaim quota) and
`issue_services` (issue, reclaim, usage, expiry). Every money movement there is one
`resolvers.money.adjust` statement; nothing is read-modify-written in Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal

from models.coupons import CouponKind, CouponOperation, CouponOperationType
from models.partners import PartnerIdentity as I
from models.safeguards import VerificationPurpose
from resolvers.errors import Refusal
from resolvers.errors import UserErrorCode as Code
from resolvers.permissions.catalog import Permission
from resolvers.principal import Principal
from resolvers.safeguards import require_code
from resolvers.validation import Checks

CENT = Decimal("0.01")
MAX_CODE_LENGTH = 32
MAX_BATCH = 100  # customers per issue call, resellers per allocation call

# docs/domain.md §4.7: who issues which kind of coupon.
ISSUERS: dict[CouponKind, frozenset[I]] = {
    CouponKind.VOUCHER: frozenset({I.DISTRIBUTOR, I.RESELLER, I.SOLUTION_PROVIDER, I.GOV_SUBSIDY_PARTNER}),
    CouponKind.CASH: frozenset({I.GOV_SUBSIDY_PARTNER}),
    CouponKind.PICKUP: frozenset({I.GOV_CLOUD_PARTNER}),
}
GOV_IDENTITIES = frozenset({I.GOV_CLOUD_PARTNER, I.GOV_SUBSIDY_PARTNER})


ISSUE_PERMISSION = {
    CouponKind.VOUCHER: Permission.COUPON_VOUCHER_ISSUE,
    CouponKind.CASH: Permission.COUPON_CASH_ISSUE,
    CouponKind.PICKUP: Permission.COUPON_PICKUP_ISSUE,
}
RECLAIM_PERMISSION = {
    CouponKind.VOUCHER: Permission.COUPON_VOUCHER_RECLAIM,
    CouponKind.CASH: Permission.COUPON_CASH_RECLAIM,
    CouponKind.PICKUP: Permission.COUPON_PICKUP_RECLAIM,
}


async def verify(principal: Principal, purpose: VerificationPurpose, code: str | None) -> None:
    """The verification code, when the partner has them switched on (a code is never that long)."""
    if code is not None and len(code) > MAX_CODE_LENGTH:
        raise Refusal(Code.VERIFICATION_FAILED, "The verification code is wrong, used or expired.", ["verificationCode"])
    await require_code(principal, purpose, code)


def utc(value: datetime) -> datetime:
    """Times without an offset are taken as UTC, the API's time zone."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def check_window(
    checks: Checks, start: datetime, end: datetime, *, now: datetime, fields: tuple[str, str],
    inside: tuple[datetime, datetime] | None = None, what: str = "quota",
) -> None:
    """`start < end`, `end` in the future and, with `inside`, both within that window."""
    if start >= end:
        checks.fail(Code.INVALID, f"`{fields[0]}` must be before `{fields[1]}`.", fields[0])
    if end <= now:
        checks.fail(Code.INVALID, f"`{fields[1]}` must be in the future.", fields[1])
    if inside is not None:
        if start < inside[0]:
            checks.fail(Code.INVALID, f"`{fields[0]}` must not be before the {what}'s validity starts.", fields[0])
        if end > inside[1]:
            checks.fail(Code.INVALID, f"`{fields[1]}` must not be after the {what}'s validity ends.", fields[1])


def check_batch(checks: Checks, items: Sequence[object], field: str, what: str) -> None:
    if not items:
        checks.fail(Code.REQUIRED, f"Give at least one {what}.", field)
    elif len(items) > MAX_BATCH:
        checks.fail(Code.LIMIT_EXCEEDED, f"At most {MAX_BATCH} {what}s per call.", field)


def check_distinct(checks: Checks, pks: Iterable[int], field: str, what: str) -> None:
    seen: set[int] = set()
    for index, pk in enumerate(pks):
        if pk in seen:
            checks.fail(Code.INVALID, f"The same {what} is given twice.", field, str(index))
        seen.add(pk)


def operation(
    type_: CouponOperationType, *, partner_id: int, operator_id: int | None, amount: Decimal, at: datetime,
    quota_id: int | None = None, coupon_id: int | None = None, customer_id: int | None = None, detail: str = "",
) -> CouponOperation:
    """An unsaved operation record (操作记录); callers save it in the change's transaction."""
    return CouponOperation(
        type=type_, partner_id=partner_id, operator_id=operator_id, amount=amount, created_at=at,
        quota_id=quota_id, coupon_id=coupon_id, customer_id=customer_id, detail=detail[:500],
    )
