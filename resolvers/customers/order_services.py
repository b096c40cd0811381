"""Orders placed on a customer's behalf (代下单) under an AUTHORIZED authorization with PLACE_ORDERS.

An order counts itself on its authorization by a conditional UPDATE (`status = AUTHORIZED`) before it
is written, in the same transaction. That UPDATE waits for a concurrent cancellation's lock
(PostgreSQL) or for the write lock (SQLite) and re-reads the status: an order whose transaction
starts after a cancellation committed is refused, and every order that committed is counted in the
cancellation's `orders_at_cancellation`.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from decimal import Decimal

from tortoise.expressions import F

from models.customers import AuthorizationScope, AuthorizationStatus, OnBehalfAuthorization, OnBehalfOrder
from models.incentives import BillingMode
from resolvers.customers.authorization_services import hold_resale_customer
from resolvers.customers.queries import readable_customers
from resolvers.errors import Refusal
from resolvers.errors import UserErrorCode as Code
from resolvers.principal import Principal
from resolvers.validation import Checks

# KooGallery (云商店) goods carry offering codes that start with this; they cannot be ordered on behalf.
STORE_PREFIX = "OFFI"
MAX_PERIOD_MONTHS = 36
MAX_QUANTITY = 1000


def order_number(at: datetime) -> str:
    """The day and 48 random bits: unique without a second statement, and says nothing of volumes."""
    return f"OB{at:%Y%m%d}{secrets.token_hex(6).upper()}"


async def place(principal: Principal, *, customer_id: int, product_code: str, product_name: str,
                billing_mode: BillingMode, amount: Decimal, period_months: int | None = None,
                quantity: int = 1) -> OnBehalfOrder:
    partner_id = principal.own_partner("its customers")
    checks = Checks()
    code = checks.text(product_code, "productCode", max_length=64)
    name = checks.text(product_name, "productName", max_length=200)
    total = checks.amount(amount, "amount")
    if code and code.upper().startswith(STORE_PREFIX):
        checks.fail(Code.NOT_ALLOWED, "Store (KooGallery) goods cannot be ordered on a customer's behalf.", "productCode")
    if billing_mode is BillingMode.YEARLY_MONTHLY:
        if period_months is None or not 1 <= period_months <= MAX_PERIOD_MONTHS:
            checks.fail(Code.INVALID, f"A yearly/monthly order runs 1 to {MAX_PERIOD_MONTHS} months.", "periodMonths")
    elif period_months is not None:
        checks.fail(Code.INVALID, "An on-demand order has no period.", "periodMonths")
    if not 1 <= quantity <= MAX_QUANTITY:
        checks.fail(Code.INVALID, f"Order 1 to {MAX_QUANTITY} units.", "quantity")
    checks.done()
    customer = await readable_customers.one(principal, customer_id, "customer", field="customerId", partner_id=partner_id)
    await hold_resale_customer(customer, "customerId")
    authorization = await OnBehalfAuthorization.filter(
        partner_id=partner_id, customer_id=customer.id, status=AuthorizationStatus.AUTHORIZED,
    ).order_by("-id").first()
    if authorization is None:
        raise Refusal(Code.NOT_ALLOWED, "The customer has not authorized your partner to order on its behalf.", ["customerId"])
    if AuthorizationScope.PLACE_ORDERS.value not in authorization.scopes:
        raise Refusal(Code.NOT_ALLOWED, "The customer's authorization does not cover placing orders.", ["customerId"])
    if not await OnBehalfAuthorization.filter(id=authorization.id, status=AuthorizationStatus.AUTHORIZED).update(
            orders_placed=F("orders_placed") + 1):
        raise Refusal(Code.NOT_ALLOWED, "The customer cancelled the authorization meanwhile.", ["customerId"])
    now = datetime.now(UTC)
    return await OnBehalfOrder.create(
        number=order_number(now), partner_id=partner_id,
        customer_id=customer.id, authorization_id=authorization.id, product_code=code, product_name=name,
        billing_mode=billing_mode, period_months=period_months, quantity=quantity, amount=total,
        placed_by_id=principal.account_id, placed_at=now,
    )
