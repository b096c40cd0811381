"""On-behalf authorization (代下单授权), between a partner and one of its resale customers.

    REQUESTED → AUTHORIZED | REJECTED   (the customer answers, with a verification code)
    AUTHORIZED → CANCELLED              (the customer, with a reason and a verification code)
    REQUESTED | AUTHORIZED → CANCELLED  (the association ends or turns referral)

The partner asks; only the customer's own account answers or cancels. A cancellation is one
conditional UPDATE on the row every order also updates (resolvers/customers/order_services.py), so an
order racing it either commits first and is counted, or finds the authorization cancelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from tortoise.expressions import F

from models.customers import (
    AuthorizationScope,
    AuthorizationStatus,
    Customer,
    CustomerStatus,
    OnBehalfAuthorization,
)
from models.safeguards import VerificationPurpose
from resolvers.customers.holds import hold
from resolvers.customers.queries import readable_authorizations, readable_customers
from resolvers.errors import Refusal
from resolvers.errors import UserErrorCode as Code
from resolvers.principal import Principal
from resolvers.safeguards import require_code
from resolvers.transitions import move
from resolvers.validation import Checks

# What the platform tells a customer that has just granted an authorization.
CLOUD_AUDIT_ADVICE = ("Turn on Cloud Trace Service (云审计) in your own account to follow every operation the partner "
                      "performs on your resources under this authorization.")
OPEN = (AuthorizationStatus.REQUESTED, AuthorizationStatus.AUTHORIZED)


async def request(principal: Principal, *, customer_id: int, scopes: Sequence[AuthorizationScope],
                  message: str | None = None) -> OnBehalfAuthorization:
    """Ask a resale customer for an on-behalf authorization; one open (requested or granted) at a time."""
    partner_id = principal.own_partner("its customers")
    checks = Checks()
    if not scopes:
        checks.fail(Code.REQUIRED, "Ask for at least one scope.", "scopes")
    elif len(set(scopes)) != len(scopes):
        checks.fail(Code.INVALID, "Each scope at most once.", "scopes")
    note = checks.text(message, "message", max_length=500, required=False) or ""
    checks.done()
    customer = await readable_customers.one(principal, customer_id, "customer", field="customerId", partner_id=partner_id)
    await hold_resale_customer(customer, "customerId")
    if customer.customer_account_id is None:
        raise Refusal(Code.NOT_ALLOWED, "The customer has no cloud account to answer the request.", ["customerId"])
    if await OnBehalfAuthorization.filter(customer_id=customer.id, partner_id=partner_id, status__in=OPEN).exists():
        raise Refusal(Code.CONFLICT, "This customer already has an open authorization request or grant.", ["customerId"])
    return await OnBehalfAuthorization.create(
        partner_id=partner_id, customer_id=customer.id, scopes=sorted(s.value for s in scopes), message=note,
        requested_by_id=principal.account_id, requested_at=datetime.now(UTC),
    )


async def hold_resale_customer(customer: Customer, field: str, *, yours: bool = True) -> None:
    """Hold the customer (resolvers/customers/holds.py) if it is still an associated resale customer;
    refused otherwise (INVALID_STATE once it changed, NOT_ALLOWED for a referral one)."""
    if await hold([customer.id], resale=True):
        return
    now = await Customer.get(id=customer.id)
    whose = "your partner" if yours else "this partner"
    if now.status is not CustomerStatus.ASSOCIATED:
        raise Refusal(Code.INVALID_STATE, f"The customer is no longer associated with {whose}.", [field])
    raise Refusal(Code.NOT_ALLOWED, "On-behalf authorization and ordering are for resale customers only.", [field])


async def close_open_authorizations(customer_id: int, why: str) -> int:
    """An association change ends what the partner was authorized to do: every requested or granted
    authorization is CANCELLED (a granted one with its orders counted), in the change's transaction."""
    now = datetime.now(UTC)
    closed = await OnBehalfAuthorization.filter(customer_id=customer_id, status=AuthorizationStatus.AUTHORIZED).update(
        status=AuthorizationStatus.CANCELLED, cancel_reason=why, cancelled_at=now, orders_at_cancellation=F("orders_placed"))
    closed += await OnBehalfAuthorization.filter(customer_id=customer_id, status=AuthorizationStatus.REQUESTED).update(
        status=AuthorizationStatus.CANCELLED, cancel_reason=why, cancelled_at=now)
    return closed


async def _customers_own(principal: Principal, authorization_id: int) -> OnBehalfAuthorization:
    if not principal.is_customer:
        raise Refusal(Code.NOT_ALLOWED, "Only the customer's own account answers an authorization.", ["id"])
    return await readable_authorizations.one(principal, authorization_id, "authorization")


async def grant(principal: Principal, *, id: int, verification_code: str | None = None) -> OnBehalfAuthorization:
    authorization = await _customers_own(principal, id)
    await require_code(principal, VerificationPurpose.CUSTOMER_AUTHORIZATION, verification_code)
    # Still the partner's associated resale customer, held until this grant commits (an association
    # change cancels the open authorizations, so it meets this one either before or after).
    await hold_resale_customer(await Customer.get(id=authorization.customer_id), "id", yours=False)
    return await move(authorization, AuthorizationStatus.REQUESTED, "granted", noun="authorization",
                      status=AuthorizationStatus.AUTHORIZED, responded_by_id=principal.account_id,
                      responded_at=datetime.now(UTC))


async def reject(principal: Principal, *, id: int, verification_code: str | None = None) -> OnBehalfAuthorization:
    authorization = await _customers_own(principal, id)
    await require_code(principal, VerificationPurpose.CUSTOMER_AUTHORIZATION, verification_code)
    return await move(authorization, AuthorizationStatus.REQUESTED, "rejected", noun="authorization",
                      status=AuthorizationStatus.REJECTED, responded_by_id=principal.account_id,
                      responded_at=datetime.now(UTC))


async def cancel(principal: Principal, *, id: int, reason: str,
                 verification_code: str | None = None) -> OnBehalfAuthorization:
    """AUTHORIZED → CANCELLED; the orders counted so far are frozen into the record."""
    checks = Checks()
    why = checks.text(reason, "reason", max_length=500)
    checks.done()
    authorization = await _customers_own(principal, id)
    await require_code(principal, VerificationPurpose.CUSTOMER_AUTHORIZATION, verification_code)
    # Take the row first, so orders in flight commit before the time of cancellation is read: every
    # order it counts was placed before it, every later one finds it cancelled.
    await OnBehalfAuthorization.filter(id=authorization.id).update(cancel_reason=authorization.cancel_reason)
    return await move(authorization, AuthorizationStatus.AUTHORIZED, "cancelled", noun="authorization",
                      status=AuthorizationStatus.CANCELLED, cancel_reason=why, cancelled_at=datetime.now(UTC),
                      orders_at_cancellation=F("orders_placed"))
