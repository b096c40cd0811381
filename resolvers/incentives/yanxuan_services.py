"""Yanxuan (严选) resale orders: the partner earns the price difference only (no rebate, never reseller
performance); a distributor may re-price an order of its own or of a reseller it manages, within the
goods' floor and catalogue prices. Sensitive: the verification code when the partner has it on."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from models.incentives import YanxuanOrder
from models.safeguards import VerificationPurpose
from resolvers.errors import Refusal
from resolvers.errors import UserErrorCode as Code
from resolvers.incentives.queries import readable_yanxuan_orders
from resolvers.principal import Principal
from resolvers.safeguards import require_code
from resolvers.validation import Checks


async def adjust_price(principal: Principal, *, id: int, unit_price: Decimal,
                       verification_code: str | None = None) -> YanxuanOrder:
    checks = Checks()
    price = checks.amount(unit_price, "unitPrice")
    checks.done()
    order = await readable_yanxuan_orders.one(principal, id, "Yanxuan order")
    if not order.floor_price <= price <= order.catalogue_price:
        raise Refusal(Code.INVALID, f"The unit price must lie between the floor price {order.floor_price} and the "
                                    f"catalogue price {order.catalogue_price}.", ["unitPrice"])
    await require_code(principal, VerificationPurpose.YANXUAN_PRICE_ADJUST, verification_code)
    await YanxuanOrder.filter(id=order.id).update(unit_price=price, price_adjusted_at=datetime.now(UTC))
    return await YanxuanOrder.get(id=order.id)
