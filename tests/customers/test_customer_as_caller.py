"""A customer's token reaches nothing but its own rows and the partners they name: every root field,
every mutation, `node(id:)` with partner and other-customer ids (NOT_FOUND, exactly like a missing id),
and its own filtered introspection."""

from __future__ import annotations

import base64

from resolvers.permissions.effective import customer_permissions
from schema.build import schema
from schema.permissions.policy import policy_for, reachable_types
from tests.callers import Caller
from tests.customers.support import create_world
from tests.graphql import gid
from tests.partners.documents import DISTRIBUTOR_GRAPH, NODE
from tests.partners.test_tenant_isolation import collect_ids

# Every root field, as a customer would send it, and what it answers.
ROOT_FIELDS = {
    "viewer": ("{ viewer { account { name kind } partner { id } permissions roles "
               "customerAssociations(first: 20) { totalCount nodes { id partner { id name } } } } }", None),
    "node": None,  # below, with every kind of foreign id
    "nodes": None,
    "permissionCatalog": ("{ permissionCatalog { code } }", None),
    "roles": ("{ roles(first: 5) { nodes { id } } }", "FORBIDDEN"),
    "auditRecords": ("{ auditRecords(first: 5) { nodes { id } } }", "FORBIDDEN"),
    "enterprises": ('{ enterprises(first: 5, filter: {name: "Co"}) { nodes { id } } }', "FORBIDDEN"),
    "partners": ("{ partners(first: 5) { nodes { id } } }", "FORBIDDEN"),
    "news": ("{ news(first: 5) { nodes { id } } }", "FORBIDDEN"),
    "newsSearch": ('{ newsSearch(text: "partner") { id } }', "FORBIDDEN"),
    # Public: what a certificate number certifies is anyone's to check.
    "certificateVerification": ('{ certificateVerification(number: "PC0") { partnerName } }', None),
}
CUSTOMER_MUTATIONS = {"customerAuthorizationGrant", "customerAuthorizationReject", "customerAuthorizationCancel",
                      "customerDisassociationRequest"}
REACHABLE = {"Query", "Viewer", "Account", "Role", "Customer", "CustomerConnection", "CustomerEdge", "Partner", "PartnerProgram",
             "OnBehalfAuthorization", "OnBehalfAuthorizationConnection", "OnBehalfAuthorizationEdge", "OnBehalfOrder",
             "OnBehalfOrderConnection", "OnBehalfOrderEdge", "DisassociationRequest", "DisassociationRequestConnection",
             "DisassociationRequestEdge", "PageInfo", "Money", "PermissionInfo", "CertificateVerification"}
OWN = """{ viewer { customerAssociations(first: 20) { nodes { id partner { id name mainAccount { id } members(first: 1) { totalCount } }
  authorizations(first: 20) { nodes { id orders(first: 20) { nodes { id } } } }
  onBehalfOrders(first: 20) { nodes { id } } disassociationRequests(first: 20) { nodes { id } } } } } }"""


def test_a_customer_holds_only_its_own_permissions() -> None:
    codes = customer_permissions()
    assert codes == {"customer.self.view", "customer.authorization.respond", "customer.disassociation.request"}
    policy = policy_for(schema._schema)
    assert reachable_types(schema._schema, policy.fields, codes) == REACHABLE
    mutations = schema._schema.mutation_type.fields  # type: ignore[union-attr]
    allowed = {name for name in mutations if policy.fields[("Mutation", name)].allows(codes)}
    public = {name for name in mutations if policy.fields[("Mutation", name)].public}
    assert public == {"verificationCodeRequest"} and allowed == CUSTOMER_MUTATIONS | public


def test_every_root_field_is_covered() -> None:
    assert set(schema._schema.query_type.fields) == set(ROOT_FIELDS)  # type: ignore[union-attr]


async def test_every_root_field_answers_only_its_own(as_customer_acme: Caller, as_customer_globex: Caller) -> None:
    for field, case in ROOT_FIELDS.items():
        if case is None:
            continue
        document, refused = case
        response = await as_customer_acme.query(document)
        if refused:
            assert response.codes == [refused] and response.data in (None, {field: None}), (field, response.body)
        else:
            response.ok()
    viewer = (await as_customer_acme.query(ROOT_FIELDS["viewer"][0])).ok()["viewer"]
    assert viewer["partner"] is None and viewer["account"] == {"name": "customer.acme", "kind": "CUSTOMER"}
    mine = {n["partner"]["name"] for n in viewer["customerAssociations"]["nodes"]}
    assert mine == {"Northwind Distribution", "Lattice Solutions", "Capital Gov Cloud Operations"}
    theirs = (await as_customer_globex.query(ROOT_FIELDS["viewer"][0])).ok()["viewer"]["customerAssociations"]["nodes"]
    assert {n["partner"]["name"] for n in theirs} == {"Lattice Solutions", "Harbor Lane Cloud Services"}
    assert not {n["id"] for n in theirs} & {n["id"] for n in viewer["customerAssociations"]["nodes"]}

    # The partners it is associated with: their public face, none of their members or rows.
    own = await as_customer_acme.query(OWN)
    partners = [n["partner"] for n in own.data["viewer"]["customerAssociations"]["nodes"]]
    assert all(p["mainAccount"] is None and p["members"] is None for p in partners)
    assert set(own.codes) == {"FORBIDDEN"}  # members needs partner.account.view


async def test_a_customer_filters_only_by_what_it_may_see(as_customer_acme: Caller) -> None:
    # Its account manager is not its to see, so it cannot probe for one by filter either.
    probe = await as_customer_acme.query('{ viewer { customerAssociations(filter: {accountManagerId: "QWNjb3VudDox"}) '
                                         "{ totalCount } } }")
    assert probe.codes == ["BAD_USER_INPUT"] and "accountManagerId" in probe.errors[0]["message"]
    resale = (await as_customer_acme.query("{ viewer { customerAssociations(filter: {associationType: RESALE}) "
                                           "{ nodes { partner { name } } } } }")).ok()
    assert {n["partner"]["name"] for n in resale["viewer"]["customerAssociations"]["nodes"]} >= {"Northwind Distribution"}


def _missing(global_id: str) -> str:
    type_name = base64.b64decode(global_id).decode().split(":", 1)[0]
    return base64.b64encode(f"{type_name}:987654321".encode()).decode()


async def test_node_with_partner_and_other_customer_ids_answers_as_for_a_missing_id(
        gql, as_distributor_admin: Caller, as_customer_acme: Caller) -> None:
    found: dict[str, str] = {}
    collect_ids((await as_distributor_admin.query(DISTRIBUTOR_GRAPH)).ok(), found)
    # What the distributor graph shows of the customer business may be acme's own: take another
    # partner's and another customer's instead.
    world = await create_world(gql)
    authorization_id = await world.authorized()
    order = (await world.order()).ok()["order"]
    asked = (await world.customer.query('mutation($id: ID!) { customerDisassociationRequest(input: {customerId: $id, '
                                        'reason: "x"}) { request { id } } }', {"id": world.customer_id})).ok()
    found.update({"Partner": gid("Partner", world.partner.id), "Customer": world.customer_id,
                  "OnBehalfAuthorization": authorization_id, "OnBehalfOrder": order["id"],
                  "DisassociationRequest": asked["customerDisassociationRequest"]["request"]["id"]})
    checked = set()
    for type_name, foreign in found.items():
        answer = await as_customer_acme.query(NODE, {"id": foreign})
        missing_id = _missing(foreign)
        missing = await as_customer_acme.query(NODE, {"id": missing_id})
        assert answer.data == missing.data == {"node": None}, type_name
        assert answer.codes == missing.codes, type_name
        assert answer.errors[0]["message"].replace(foreign, "X") == missing.errors[0]["message"].replace(missing_id, "X")
        if type_name in REACHABLE:
            assert answer.codes == ["NOT_FOUND"], type_name
        checked.add(type_name)
    assert {"Partner", "Customer", "OnBehalfAuthorization", "OnBehalfOrder", "DisassociationRequest", "Coupon",
            "CouponQuota", "IncentiveBill", "AssociationRecord", "Prospect"} <= checked

    # Its own rows answer.
    own = (await as_customer_acme.query(OWN)).data["viewer"]["customerAssociations"]["nodes"]
    own_ids = [n["id"] for n in own] + [a["id"] for n in own for a in n["authorizations"]["nodes"]]
    for node_id in own_ids:
        assert (await as_customer_acme.query(NODE, {"id": node_id})).ok()["node"]["id"] == node_id


async def test_introspection_shows_only_what_a_customer_may_use(as_customer_acme: Caller) -> None:
    data = (await as_customer_acme.query("{ __schema { types { name } mutationType { fields { name } } } "
                                         '__type(name: "Partner") { fields { name } } }')).ok()
    types = {t["name"] for t in data["__schema"]["types"]}
    assert {"Coupon", "IncentiveBill", "Task", "EnterpriseProfile", "Prospect"}.isdisjoint(types)
    assert {"Customer", "OnBehalfAuthorization", "OnBehalfOrder", "DisassociationRequest"} <= types
    mutations = {f["name"] for f in data["__schema"]["mutationType"]["fields"]}
    assert mutations >= CUSTOMER_MUTATIONS and "couponIssue" not in mutations and "customerOrderPlace" not in mutations
    partner_fields = {f["name"] for f in data["__type"]["fields"]}
    assert "name" in partner_fields and not {"coupons", "members", "customers", "onBehalfOrders"} & partner_fields
