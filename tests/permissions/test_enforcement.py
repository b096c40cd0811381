"""How a denied field behaves: null plus one FORBIDDEN error, the rest of the answer intact."""

from __future__ import annotations

from tests.graphql import gateway_client

BALANCE = "{ viewer { partner { name balance { amount } members(first: 2) { totalCount } } } }"


async def test_service_admin_balance_is_null_with_forbidden_and_the_rest_is_returned(gql):
    response = await gql.as_("service.admin", BALANCE)
    assert response.status == 200
    partner = response.data["viewer"]["partner"]
    assert partner["balance"] is None
    assert partner["name"] and partner["members"]["totalCount"] > 0
    [error] = response.errors
    assert error["extensions"] == {"code": "FORBIDDEN", "permission": "account.balance.view"}
    assert error["path"] == ["viewer", "partner", "balance"]
    allowed = await gql.as_("distributor.admin", BALANCE)
    assert allowed.ok()["viewer"]["partner"]["balance"]["amount"]


async def test_denial_reaches_into_fragments_and_aliases(gql):
    query = """
    query { viewer { partner { ...Money  other: balance { amount } } } }
    fragment Money on Partner { name balance { amount } }
    """
    response = await gql.as_("service.admin", query)
    partner = response.data["viewer"]["partner"]
    assert partner["balance"] is None and partner["other"] is None and partner["name"]
    assert sorted(tuple(e["path"]) for e in response.errors) == [
        ("viewer", "partner", "balance"), ("viewer", "partner", "other")]


async def test_denial_inside_an_inline_fragment_on_node(gql):
    own = (await gql.as_("service.admin", "{ viewer { partner { id } } }")).ok()["viewer"]["partner"]["id"]
    query = "query($id: ID!) { node(id: $id) { id ... on Partner { name balance { amount } } } }"
    response = await gql.as_("service.admin", query, {"id": own})
    assert response.data["node"]["name"] and response.data["node"]["balance"] is None
    assert response.codes == ["FORBIDDEN"]


async def test_skipped_denied_field_is_not_an_error(gql):
    query = "query($skip: Boolean!) { viewer { partner { name balance @skip(if: $skip) { amount } } } }"
    skipped = await gql.as_("service.admin", query, {"skip": True})
    assert skipped.ok()["viewer"]["partner"] == {"name": skipped.data["viewer"]["partner"]["name"]}
    included = await gql.as_("service.admin", query, {"skip": False})
    assert included.codes == ["FORBIDDEN"]
    by_default = "query($skip: Boolean = true) { viewer { partner { name balance @skip(if: $skip) { amount } } } }"
    assert (await gql.as_("service.admin", by_default)).ok()["viewer"]["partner"]["name"]


async def test_denied_list_field_is_null_in_every_item(gql):
    query = "{ partners(first: 10) { nodes { name balance { amount } } } }"
    response = await gql.as_("staff.pdm", query)
    nodes = response.data["partners"]["nodes"]
    assert len(nodes) > 3 and all(n["balance"] is None and n["name"] for n in nodes)
    assert response.codes == ["FORBIDDEN"]


async def test_node_of_a_type_the_caller_cannot_reach_is_forbidden_before_lookup(gql):
    customer = (await gql.as_("distributor.admin", "{ viewer { partner { customers(first: 1) { nodes { id } } } } }")).ok()
    customer_id = customer["viewer"]["partner"]["customers"]["nodes"][0]["id"]
    response = await gql.as_("distributor.finance", "query($id: ID!) { node(id: $id) { id } }", {"id": customer_id})
    assert response.data == {"node": None}
    assert response.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": "customer.view",
                                                "permissions": ["customer.view"]}


async def test_reject_mode_refuses_the_whole_operation(demo_db, settings):
    strict = settings.model_copy(update={"authz_mode": "reject"})
    async with gateway_client(strict) as client:
        refused = await client.as_("service.admin", BALANCE)
        assert refused.status == 200
        assert refused.data is None
        assert refused.codes == ["FORBIDDEN"]
        fine = await client.as_("service.admin", "{ viewer { partner { name } } }")
        assert fine.ok()["viewer"]["partner"]["name"]


def test_every_node_type_a_caller_cannot_reach_names_the_permissions_that_lead_there():
    from strawberry.relay import Node

    from resolvers.permissions.catalog import BY_CODE
    from schema.build import schema
    from schema.permissions.policy import policy_for

    policy = policy_for(schema._schema)
    node_types = [t.name for t in schema._schema.type_map.values()
                  if any(i.name == Node.__name__ for i in getattr(t, "interfaces", ()))]
    assert len(node_types) > 15
    for type_name in node_types:
        needed = policy.needed_to_fetch(type_name, frozenset())
        assert policy.may_fetch(type_name, frozenset()) or needed, type_name
        assert set(needed) <= set(BY_CODE), (type_name, needed)
        # Holding them all opens the way (the message's promise); none of them is superfluous.
        assert policy.may_fetch(type_name, frozenset(needed)), (type_name, needed)
        for code in needed:
            assert not policy.may_fetch(type_name, frozenset(needed) - {code}), (type_name, code)


def test_every_node_type_reads_through_the_scoping_table():
    """Row scoping is declared once per model (resolvers/scoping.py): a node type whose read is
    hand-written would escape the rules every other read follows."""
    from strawberry.relay import Node

    from resolvers.scoping import SCOPES, Scope
    from schema.build import schema
    from schema.relay import ModelNode

    node_types = [t for t in schema.schema_converter.type_map.values()
                  if isinstance(getattr(t.definition, "origin", None), type) and issubclass(t.definition.origin, Node)]
    origins = {t.definition.origin for t in node_types if issubclass(t.definition.origin, ModelNode)}
    assert len(origins) > 15
    for node in origins:
        assert isinstance(node.readable, Scope), node.__name__
        assert SCOPES[node.model] is node.readable, node.__name__
