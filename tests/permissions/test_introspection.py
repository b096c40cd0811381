"""Introspection shows each caller only the fields and types it may use."""

from __future__ import annotations

from graphql import get_introspection_query

from tests.graphql import gateway_client

PARTNER_FIELDS = '{ __type(name: "Partner") { fields { name } } }'


async def partner_fields(client, caller: str) -> set[str]:
    return {f["name"] for f in (await client.as_(caller, PARTNER_FIELDS)).ok()["__type"]["fields"]}


async def test_service_admin_does_not_see_balance_distributor_admin_does(gql):
    service = await partner_fields(gql, "service.admin")
    distributor = await partner_fields(gql, "distributor.admin")
    assert "balance" not in service and "couponQuotas" not in service and "resellers" not in service
    assert {"balance", "couponQuotas", "resellers", "name"} <= distributor
    assert "name" in service and "solutions" in service


async def test_unreachable_types_are_hidden(gql):
    data = (await gql.as_("distributor.finance", '{ customer: __type(name: "Customer") { name } coupon: __type(name: "Coupon") { name } }')).ok()
    assert data == {"customer": None, "coupon": {"name": "Coupon"}}


async def test_graphiql_introspection_query_works_per_caller(gql):
    full = (await gql.as_("distributor.admin", get_introspection_query(descriptions=True))).ok()
    personal = (await gql.as_("person.alice", get_introspection_query(descriptions=True))).ok()
    names = lambda d: {t["name"] for t in d["__schema"]["types"]}  # noqa: E731
    assert len(names(personal)) < len(names(full))
    assert "Coupon" in names(full) and "Coupon" not in names(personal)


async def test_introspection_mixed_with_data_is_refused_when_filtered(gql):
    response = await gql.as_("service.admin", "{ viewer { account { name } } __schema { queryType { name } } }")
    assert response.codes == ["BAD_USER_INPUT"]


async def test_introspection_modes(demo_db, settings):
    for mode, expect_balance in (("full", True), ("off", None)):
        configured = settings.model_copy(update={"introspection": mode})
        async with gateway_client(configured) as client:
            response = await client.as_("service.admin", PARTNER_FIELDS)
            if expect_balance is None:
                assert response.codes == ["FORBIDDEN"] and response.data is None
            else:
                assert "balance" in {f["name"] for f in response.data["__type"]["fields"]}
