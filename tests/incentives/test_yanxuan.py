"""Yanxuan (严选) resale orders: the price difference is the partner's earning; a distributor re-prices
within [floor, catalogue]."""

from __future__ import annotations

from decimal import Decimal

import pytest

from models.incentives import YanxuanOrder
from models.partners import PartnerIdentity as I
from models.safeguards import VerificationPurpose
from tests.callers import mutate
from tests.factories import create_main_account, create_partner, create_verification_code, create_yanxuan_order
from tests.graphql import GraphQLClient, gid
from tests.incentives.documents import OWN_YANXUAN_ORDERS, YANXUAN_ORDERS

BLUEPEAK, NORTHWIND = "Bluepeak Technology", "Northwind Distribution"


async def test_a_distributor_reads_its_resellers_orders_with_their_price_difference(as_distributor_admin, as_reseller2_admin):
    order = await create_yanxuan_order(BLUEPEAK, floor="100.00", catalogue="150.00", unit="120.00", quantity=10)
    partner = (await as_distributor_admin.query(YANXUAN_ORDERS)).ok()["viewer"]["partner"]
    shown = {o["id"]: o for r in partner["resellers"]["nodes"] for o in r["yanxuanOrders"]["nodes"]}[gid("YanxuanOrder", order.id)]
    assert shown["priceDifference"] == {"amount": "200.00"}
    own = (await as_reseller2_admin.query(OWN_YANXUAN_ORDERS)).ok()["viewer"]["partner"]["yanxuanOrders"]["nodes"]
    assert {"id": gid("YanxuanOrder", order.id), "unitPrice": {"amount": "120.00"}, "priceDifference": {"amount": "200.00"}} in own


@pytest.mark.parametrize(("price", "code"), [("99.99", "INVALID"), ("150.01", "INVALID"), ("0", "INVALID"), ("-1", "INVALID")])
async def test_a_price_outside_floor_and_catalogue_is_refused(gql: GraphQLClient, price, code):
    distributor = await create_partner(I.DISTRIBUTOR)
    main = await create_main_account(distributor)
    reseller = await create_partner(I.RESELLER, parent_distributor=distributor)
    order = await create_yanxuan_order(reseller, floor="100.00", catalogue="150.00", unit="120.00")
    document = """mutation($input: YanxuanOrderPriceAdjustInput!) { yanxuanOrderPriceAdjust(input: $input) {
        order { unitPrice { amount } priceDifference { amount } priceAdjustedAt } userErrors { field code } } }"""
    refused = (await gql.as_(main.name, document, {"input": {"id": gid("YanxuanOrder", order.id), "unitPrice": price}})).ok()
    assert [e["code"] for e in refused["yanxuanOrderPriceAdjust"]["userErrors"]] == [code]
    assert (await YanxuanOrder.get(id=order.id)).unit_price == Decimal("120.00")
    for edge in ("100.00", "150.00"):
        done = (await gql.as_(main.name, document, {"input": {"id": gid("YanxuanOrder", order.id), "unitPrice": edge}})).ok()
        adjusted = done["yanxuanOrderPriceAdjust"]["order"]
        assert adjusted["unitPrice"] == {"amount": edge} and adjusted["priceAdjustedAt"] is not None


async def test_repricing_takes_the_code_when_switched_on_and_stays_within_reach(gql: GraphQLClient, as_distributor_admin,
                                                                                 as_reseller2_admin):
    order = await create_yanxuan_order(BLUEPEAK)
    input = {"id": gid("YanxuanOrder", order.id), "unitPrice": "130.00"}
    assert (await mutate(as_distributor_admin, "yanxuanOrderPriceAdjust", input)).codes == ["VERIFICATION_FAILED"]
    code = await create_verification_code(await as_distributor_admin.account(), VerificationPurpose.YANXUAN_PRICE_ADJUST)
    done = await mutate(as_distributor_admin, "yanxuanOrderPriceAdjust", {**input, "verificationCode": code})
    assert done.codes == [] and done["order"]["unitPrice"]["amount"] == "130.00"
    # Resellers and other partners do not re-price.
    assert (await mutate(as_reseller2_admin, "yanxuanOrderPriceAdjust", input)).errors[0]["extensions"]["code"] == "FORBIDDEN"
    own = await create_yanxuan_order("Meridian Software Works")
    other = await create_partner(I.DISTRIBUTOR)
    main = await create_main_account(other)
    outsider = (await gql.as_(main.name, """mutation($input: YanxuanOrderPriceAdjustInput!) {
        yanxuanOrderPriceAdjust(input: $input) { userErrors { code } } }""",
        {"input": {"id": gid("YanxuanOrder", own.id), "unitPrice": "120.00"}})).ok()
    assert outsider["yanxuanOrderPriceAdjust"]["userErrors"] == [{"code": "NOT_FOUND"}]
