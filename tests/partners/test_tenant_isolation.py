"""A partner never reaches another partner's data: not by lists, not by `node`/`nodes`."""

from __future__ import annotations

import pytest
from graphql import GraphQLObjectType

from schema.build import schema
from tests.partners.documents import DISTRIBUTOR_GRAPH, NODE, NODES, OWN_PARTNER, SERVICE_GRAPH

# The platform's data, not a partner's: enterprise profiles (企业百科), read by every member holding
# customer.insight.view, and published news, read by every partner.
SHARED = {"EnterpriseProfile", "NewsArticle"}
# A solution provider holds no cloud-lab permission: it can reach no cloud-lab row.
UNREACHABLE_FOR_PROVIDER = {"CloudLabApplication", "CloudLabBeneficiary"}


def node_type_names() -> set[str]:
    return {
        name for name, t in schema._schema.type_map.items()
        if isinstance(t, GraphQLObjectType) and any(i.name == "Node" for i in t.interfaces)
    }


def collect_ids(value, found: dict[str, str]) -> None:
    """Walk a response and keep one id per node type, decoding the type from the global id."""
    import base64

    if isinstance(value, dict):
        if isinstance(value.get("id"), str) and not value.get("preset"):
            type_name = base64.b64decode(value["id"]).decode().split(":", 1)[0]
            found.setdefault(type_name, value["id"])
        for child in value.values():
            collect_ids(child, found)
    elif isinstance(value, list):
        for child in value:
            collect_ids(child, found)


@pytest.fixture
async def distributor_ids(as_distributor_admin, as_service_admin) -> dict[str, str]:
    created = await as_distributor_admin.query("""mutation { apiKeyCreate(input: {name: "isolation", scopes: [HOME_VIEW]}) {
        userErrors { code } } }""")
    assert created.ok()["apiKeyCreate"]["userErrors"] == []
    data = (await as_distributor_admin.query(DISTRIBUTOR_GRAPH)).ok()
    found: dict[str, str] = {}
    collect_ids(data, found)
    # Cloud labs are the development paths' only: the service partner's stand in for them.
    collect_ids((await as_service_admin.query(SERVICE_GRAPH)).ok(), found)
    return found


async def test_the_distributor_graph_covers_every_node_type(distributor_ids):
    # A new node type must be added to DISTRIBUTOR_GRAPH, so the isolation checks below cover it.
    assert node_type_names() - set(distributor_ids) == set()


async def test_owner_reaches_its_own_nodes(as_distributor_admin, as_service_admin, distributor_ids):
    for type_name, node_id in distributor_ids.items():
        owner = as_service_admin if type_name in UNREACHABLE_FOR_PROVIDER else as_distributor_admin
        data = (await owner.query(NODE, {"id": node_id})).ok()
        assert data["node"]["__typename"] == type_name


async def test_another_partner_gets_not_found_for_every_node_type(as_provider_admin, distributor_ids):
    for type_name, node_id in distributor_ids.items():
        if type_name == "Partner" or type_name in SHARED:
            continue  # the distributor's own id is checked below; shared rows are everyone's
        response = await as_provider_admin.query(NODE, {"id": node_id})
        assert response.data == {"node": None}, type_name
        # FORBIDDEN only for a type it can reach no way at all (whatever the ID: it says nothing).
        expected = ["NOT_FOUND"] if type_name not in UNREACHABLE_FOR_PROVIDER else ["FORBIDDEN"]
        assert response.codes == expected, type_name


async def test_not_found_is_the_same_as_for_an_id_that_does_not_exist(as_provider_admin, distributor_ids):
    import base64

    foreign = await as_provider_admin.query(NODE, {"id": distributor_ids["Coupon"]})
    missing_id = base64.b64encode(b"Coupon:999999").decode()
    missing = await as_provider_admin.query(NODE, {"id": missing_id})
    assert foreign.codes == missing.codes == ["NOT_FOUND"]
    assert foreign.errors[0]["message"].replace(distributor_ids["Coupon"], "X") == missing.errors[0]["message"].replace(missing_id, "X")


async def test_nodes_answers_null_with_an_error_per_foreign_id(as_provider_admin, distributor_ids):
    ids = [node_id for type_name, node_id in distributor_ids.items() if type_name not in SHARED | UNREACHABLE_FOR_PROVIDER]
    own = (await as_provider_admin.query(OWN_PARTNER)).ok()["viewer"]["partner"]["id"]
    response = await as_provider_admin.query(NODES, {"ids": [own, *ids]})
    assert response.data["nodes"][0] == {"id": own}
    assert response.data["nodes"][1:] == [None] * len(ids)
    assert sorted(e["path"][1] for e in response.errors) == list(range(1, len(ids) + 1))
    assert set(response.codes) == {"NOT_FOUND"}


async def test_partner_lists_never_show_the_distributor(as_provider_admin, distributor_ids):
    query = "{ partners(first: 100) { totalCount nodes { id name } } }"
    data = (await as_provider_admin.query(query)).ok()
    assert data["partners"]["totalCount"] == 1
    assert distributor_ids["Partner"] not in {p["id"] for p in data["partners"]["nodes"]}
    search = (await as_provider_admin.query('{ partners(filter: {search: "Northwind"}) { totalCount } }')).ok()
    assert search["partners"]["totalCount"] == 0


async def test_distributor_sees_itself_and_its_resellers_staff_see_all(as_distributor_admin, as_reseller_admin, as_staff_operations):
    query = "{ partners(first: 100) { totalCount nodes { name identities parentDistributor { name } } } }"
    mine = (await as_distributor_admin.query(query)).ok()["partners"]
    assert mine["totalCount"] == 4
    resellers = [p for p in mine["nodes"] if "RESELLER" in p["identities"]]
    assert len(resellers) == 3 and all(p["parentDistributor"] for p in resellers)
    everyone = (await as_staff_operations.query(query)).ok()["partners"]
    assert everyone["totalCount"] > mine["totalCount"]
    reseller = (await as_reseller_admin.query(query)).ok()["partners"]
    assert reseller["totalCount"] == 1


async def test_distributor_sees_no_private_rows_of_its_resellers(as_distributor_admin):
    query = """{ partners(filter: {identity: RESELLER}, first: 10) { nodes {
        members(first: 5) { totalCount } coupons(first: 5) { totalCount } customers(first: 5) { totalCount }
        tasks(first: 5) { totalCount } balance { amount } couponQuotas(first: 10) { nodes { parentQuota { id } } } } } }"""
    nodes = (await as_distributor_admin.query(query)).ok()["partners"]["nodes"]
    assert len(nodes) == 3
    for reseller in nodes:
        assert reseller["members"]["totalCount"] == reseller["coupons"]["totalCount"] == 0
        assert reseller["customers"]["totalCount"] == reseller["tasks"]["totalCount"] == 0
        assert reseller["balance"] is None
        # The quotas it allocated to its resellers are the distributor's business too.
        assert all(q["parentQuota"] for q in reseller["couponQuotas"]["nodes"])
    assert any(r["couponQuotas"]["nodes"] for r in nodes)
