"""A partner's associations with its customers (关联关系): account managers, the association type,
disassociation and the customer's own requests for it. Every change writes an association record.

The cooling rule: a partner may not disassociate a customer, nor switch its association type, while
the customer asked to be disassociated within the last three months (calendar months) — the
customer's request is handled through the request itself. Disassociating, or switching a resale
customer to referral, reclaims the customer's AVAILABLE coupons into their quotas in the same
transaction, after the customer's row is taken: a concurrent `couponIssue`, which takes the same
row (resolvers/coupons/issue_services.py), either commits first and is reclaimed, or finds the
customer no longer a resale one and is refused.
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime

from models.coupons import CouponOperationType
from models.customers import (
    AssociationOperation,
    AssociationRecord,
    AssociationType,
    Customer,
    CustomerStatus,
    DisassociationRequest,
    DisassociationRequestStatus,
)
from models.members import Account, AccountKind, AccountStatus, PresetRole
from models.safeguards import VerificationPurpose
from resolvers.coupons.issue_services import reclaim_customer_coupons
from resolvers.customers.authorization_services import close_open_authorizations
from resolvers.customers.holds import hold
from resolvers.customers.queries import readable_customers, readable_disassociation_requests
from resolvers.errors import Refusal
from resolvers.errors import UserErrorCode as Code
from resolvers.members.queries import readable_accounts
from resolvers.principal import Principal
from resolvers.safeguards import require_code
from resolvers.transitions import move
from resolvers.validation import Checks

COOLING_MONTHS = 3
MEMBER_KINDS = (AccountKind.MAIN_ACCOUNT, AccountKind.ORGANISATION_MEMBER, AccountKind.BOUND_MEMBER)


def months_before(moment: datetime, months: int) -> datetime:
    """The same time `months` calendar months earlier (the 31st becomes the month's last day)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


DETAIL_LENGTH = 500


def _outcome(reclaimed: int, closed: int) -> str:
    return f"{reclaimed} coupon(s) reclaimed, {closed} authorization(s) cancelled."


async def record(customer: Customer, operation: AssociationOperation, operator_id: int | None, *, before: str = "",
                 after: str = "", detail: str = "", at: datetime | None = None) -> AssociationRecord:
    return await AssociationRecord.create(
        partner_id=customer.partner_id, customer_id=customer.id, operation=operation, operator_id=operator_id,
        before=before, after=after, detail=detail, created_at=at or datetime.now(UTC),
    )


async def _associated(principal: Principal, customer_id: int) -> Customer:
    """One of the caller's partner's customers, still associated, its row taken for this transaction."""
    partner_id = principal.own_partner("its customers")
    customer = await readable_customers.one(principal, customer_id, "customer", field="customerId", partner_id=partner_id)
    if not await hold([customer.id]):
        raise Refusal(Code.INVALID_STATE, "The customer is no longer associated with your partner.", ["customerId"])
    return await Customer.get(id=customer.id)


async def _check_cooling(customer: Customer, now: datetime) -> None:
    since = months_before(now, COOLING_MONTHS)
    latest = await DisassociationRequest.filter(customer_id=customer.id, requested_at__gt=since).order_by("-requested_at").first()
    if latest is not None:
        allowed = latest.requested_at.replace(tzinfo=latest.requested_at.tzinfo or UTC)
        raise Refusal(Code.NOT_ALLOWED, f"The customer asked to be disassociated on {allowed:%Y-%m-%d %H:%M} UTC; you may "
                      f"disassociate it or switch its type {COOLING_MONTHS} months after that (the cooling rule).",
                      ["customerId"])


async def _member_with(principal: Principal, account_id: int, preset: PresetRole, field: str) -> Account:
    member = await readable_accounts(principal).filter(id=account_id, partner_id=principal.partner_id,
                                                       kind__in=MEMBER_KINDS).first()
    if member is None:
        raise Refusal(Code.NOT_FOUND, "No such member of your partner.", [field])
    if member.status is not AccountStatus.ACTIVE:
        raise Refusal(Code.INVALID_STATE, "The member is disabled.", [field])
    if not await member.roles.filter(preset=preset).exists():
        raise Refusal(Code.NOT_ALLOWED, f"The member does not hold the {preset.value} role.", [field])
    return member


async def set_account_manager(principal: Principal, *, customer_id: int, account_manager_id: int | None,
                              verification_code: str | None = None) -> Customer:
    """Assign, change or (with null) remove the customer's account manager."""
    customer = await _associated(principal, customer_id)
    manager = None
    if account_manager_id is not None:
        manager = await _member_with(principal, account_manager_id, PresetRole.ACCOUNT_MANAGER, "accountManagerId")
    if customer.account_manager_id == account_manager_id:
        raise Refusal(Code.INVALID, "The customer already has this account manager.", ["accountManagerId"])
    await require_code(principal, VerificationPurpose.CUSTOMER_ASSOCIATION, verification_code)
    previous = await Account.get_or_none(id=customer.account_manager_id) if customer.account_manager_id else None
    await Customer.filter(id=customer.id).update(account_manager_id=account_manager_id)
    await record(customer, AssociationOperation.ACCOUNT_MANAGER_CHANGED, principal.account_id,
                 before=previous.name if previous else "", after=manager.name if manager else "")
    return await Customer.get(id=customer.id)


async def set_supervisor(principal: Principal, *, account_manager_id: int, supervisor_id: int | None,
                         verification_code: str | None = None) -> Account:
    """Put an account manager under an account-manager supervisor (or under none, with null)."""
    principal.own_partner("its account managers")
    manager = await _member_with(principal, account_manager_id, PresetRole.ACCOUNT_MANAGER, "accountManagerId")
    if supervisor_id is not None:
        if supervisor_id == manager.id:
            raise Refusal(Code.INVALID, "An account manager cannot supervise itself.", ["supervisorId"])
        await _member_with(principal, supervisor_id, PresetRole.ACCOUNT_MANAGER_SUPERVISOR, "supervisorId")
    if manager.supervisor_id == supervisor_id:
        raise Refusal(Code.INVALID, "The account manager already has this supervisor.", ["supervisorId"])
    await require_code(principal, VerificationPurpose.CUSTOMER_ASSOCIATION, verification_code)
    await Account.filter(id=manager.id).update(supervisor_id=supervisor_id)
    return await Account.get(id=manager.id)


async def switch_type(principal: Principal, *, customer_id: int, association_type: AssociationType,
                      verification_code: str | None = None) -> Customer:
    """RESALE ↔ REFERRAL. A customer switched to referral gets no coupons: its AVAILABLE ones come back."""
    now = datetime.now(UTC)
    customer = await _associated(principal, customer_id)
    if customer.association_type is association_type:
        raise Refusal(Code.INVALID, f"The customer is already a {association_type.value} customer.", ["associationType"])
    await _check_cooling(customer, now)
    await require_code(principal, VerificationPurpose.CUSTOMER_ASSOCIATION, verification_code)
    await Customer.filter(id=customer.id).update(association_type=association_type)
    outcome = ""
    if association_type is AssociationType.REFERRAL:
        reclaimed = await reclaim_customer_coupons(customer.id, operator_id=principal.account_id, now=now,
                                                   operation=CouponOperationType.SWITCH_RECLAIM,
                                                   detail="Customer switched to referral; remainder returned to the quota.")
        closed = await close_open_authorizations(customer.id, "The customer was switched to a referral association.")
        outcome = _outcome(reclaimed, closed)
    await record(customer, AssociationOperation.TYPE_SWITCHED, principal.account_id, before=customer.association_type.value,
                 after=association_type.value, detail=outcome, at=now)
    return await Customer.get(id=customer.id)


async def _end(principal: Principal, customer: Customer, now: datetime, detail: str) -> Customer:
    await Customer.filter(id=customer.id).update(status=CustomerStatus.DISASSOCIATED, disassociated_at=now)
    reclaimed = await reclaim_customer_coupons(customer.id, operator_id=principal.account_id, now=now)
    closed = await close_open_authorizations(customer.id, "The association ended.")
    # The outcome first: the reason may take the whole of what the record holds.
    await record(customer, AssociationOperation.DISASSOCIATED, principal.account_id, before=customer.association_type.value,
                 detail=f"{_outcome(reclaimed, closed)} {detail}".strip()[:DETAIL_LENGTH], at=now)
    return await Customer.get(id=customer.id)


async def disassociate(principal: Principal, *, customer_id: int, reason: str,
                       verification_code: str | None = None) -> Customer:
    """End the association (the cooling rule applies); the customer's AVAILABLE coupons come back."""
    now = datetime.now(UTC)
    checks = Checks()
    why = checks.text(reason, "reason", max_length=500)
    checks.done()
    customer = await _associated(principal, customer_id)
    await _check_cooling(customer, now)
    await require_code(principal, VerificationPurpose.CUSTOMER_DISASSOCIATION, verification_code)
    return await _end(principal, customer, now, why)


async def request_disassociation(principal: Principal, *, customer_id: int, reason: str) -> DisassociationRequest:
    """A customer asks a partner to end their association; it reaches the partner's admins."""
    if not principal.is_customer:
        raise Refusal(Code.NOT_ALLOWED, "Only the customer's own account asks to be disassociated.", ["customerId"])
    checks = Checks()
    why = checks.text(reason, "reason", max_length=500)
    checks.done()
    customer = await readable_customers.one(principal, customer_id, "association", field="customerId")
    if not await hold([customer.id]):
        raise Refusal(Code.INVALID_STATE, "You are no longer associated with this partner.", ["customerId"])
    if await DisassociationRequest.filter(customer_id=customer.id, status=DisassociationRequestStatus.PENDING).exists():
        raise Refusal(Code.CONFLICT, "Your earlier request is still waiting for the partner.", ["customerId"])
    now = datetime.now(UTC)
    request = await DisassociationRequest.create(partner_id=customer.partner_id, customer_id=customer.id, reason=why,
                                                 requested_at=now)
    await record(customer, AssociationOperation.DISASSOCIATION_REQUESTED, principal.account_id, detail=why, at=now)
    return request


async def handle_request(principal: Principal, *, id: int, approve: bool,
                         response: str | None = None, verification_code: str | None = None) -> DisassociationRequest:
    """The partner admin approves (the customer is disassociated, coupons reclaimed) or declines with a reason."""
    partner_id = principal.own_partner("its customers")
    checks = Checks()
    answer = checks.text(response, "response", max_length=500, required=not approve) or ""
    checks.done()
    request = await readable_disassociation_requests.one(principal, id, "disassociation request", partner_id=partner_id)
    now = datetime.now(UTC)
    if approve:
        await require_code(principal, VerificationPurpose.CUSTOMER_DISASSOCIATION, verification_code)
    handled = await move(request, DisassociationRequestStatus.PENDING, "approved" if approve else "declined",
                         noun="disassociation request",
                         status=DisassociationRequestStatus.APPROVED if approve else DisassociationRequestStatus.REJECTED,
                         response=answer, handled_by_id=principal.account_id, handled_at=now)
    customer = await Customer.get(id=request.customer_id)
    if approve:
        if not await hold([customer.id]):
            raise Refusal(Code.INVALID_STATE, "The customer is no longer associated with your partner.", ["id"])
        await _end(principal, customer, now, "At the customer's request.")
    else:
        await record(customer, AssociationOperation.DISASSOCIATION_REJECTED, principal.account_id, detail=answer, at=now)
    return handled
