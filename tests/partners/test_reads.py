"""The read API: every domain readable by its owner, with paging, filters and ordering."""

from __future__ import annotations

import base64

from tests.partners.documents import OWN_PARTNER

PARTNER_CONNECTIONS = [
    "members", "invitations", "specialists", "expertApplications", "solutions", "couponQuotas",
    "coupons", "couponOperations", "tasks", "customers", "resellers", "ledger", "withdrawals", "balanceAlerts",
]


async def test_distributor_admin_reads_every_domain_non_empty(as_distributor_admin):
    fields = " ".join(f"{name}(first: 5) {{ totalCount nodes {{ id }} }}" for name in PARTNER_CONNECTIONS)
    nested = """solutionsNested: solutions(first: 20) { nodes { coSaleProducts { totalCount } } }
                couponsNested: coupons(first: 50) { nodes { usageRecords { totalCount } } }
                tasksNested: tasks(first: 50) { nodes { details { totalCount } handlingRecords { totalCount } } }"""
    data = (await as_distributor_admin.query(f"{{ viewer {{ partner {{ {fields} {nested} balance {{ amount currency }} }} }} }}")).ok()
    partner = data["viewer"]["partner"]
    for name in PARTNER_CONNECTIONS:
        assert partner[name]["totalCount"] > 0, name
        assert len(partner[name]["nodes"]) == min(5, partner[name]["totalCount"]), name
    assert sum(s["coSaleProducts"]["totalCount"] for s in partner["solutionsNested"]["nodes"]) > 0
    assert sum(c["usageRecords"]["totalCount"] for c in partner["couponsNested"]["nodes"]) > 0
    assert all(t["details"]["totalCount"] > 0 for t in partner["tasksNested"]["nodes"])
    assert partner["balance"]["currency"] == "CNY"


async def test_forward_and_backward_paging_walk_the_same_list(as_distributor_admin):
    query = """query($first: Int, $after: String, $last: Int, $before: String) { viewer { partner {
        coupons(first: $first, after: $after, last: $last, before: $before) {
          totalCount edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } } }"""

    async def page(**variables):
        return (await as_distributor_admin.query(query, variables)).ok()["viewer"]["partner"]["coupons"]

    everything = await page(first=100)
    all_ids = [e["node"]["id"] for e in everything["edges"]]
    assert len(all_ids) == everything["totalCount"] >= 6

    forward, after = [], None
    while True:
        chunk = await page(first=4, after=after)
        forward += [e["node"]["id"] for e in chunk["edges"]]
        if not chunk["pageInfo"]["hasNextPage"]:
            break
        after = chunk["pageInfo"]["endCursor"]
    assert forward == all_ids

    backward, before = [], None
    while True:
        chunk = await page(last=4, before=before)
        backward = [e["node"]["id"] for e in chunk["edges"]] + backward
        if not chunk["pageInfo"]["hasPreviousPage"]:
            break
        before = chunk["pageInfo"]["startCursor"]
    assert backward == all_ids

    default = await page()
    assert len(default["edges"]) == min(20, len(all_ids))


async def test_bad_paging_arguments_are_typed_errors(as_distributor_admin):
    base = "{ viewer { partner { coupons(%s) { totalCount } } } }"
    bogus = base64.b64encode(b"nope").decode()
    for args, argument in [("first: 101", "first"), ("first: -1", "first"), ("last: 500", "last"),
                           (f'after: "{bogus}"', "after"), ('before: "%%%"', "before"), ("first: 1, last: 1", "last")]:
        response = await as_distributor_admin.query(base % args)
        assert response.status == 200
        assert response.codes == ["BAD_USER_INPUT"], args
        assert response.errors[0]["extensions"]["argument"] == argument
        if args in ("first: 101", "first: -1", "last: 500"):
            # A page size out of range is refused before anything runs (it feeds the cost).
            assert response.data is None
        else:
            # Cursors, and first with last, are checked when the page is read.
            assert response.data == {"viewer": {"partner": {"coupons": None}}}


async def test_coupon_filters_and_ordering(as_distributor_admin):
    query = """query($filter: CouponFilter, $order: CouponOrder) { viewer { partner {
        coupons(first: 100, filter: $filter, orderBy: $order) { totalCount nodes { id kind status faceValue { amount } customer { id } issuedAt } } } } }"""

    async def coupons(**variables):
        return (await as_distributor_admin.query(query, variables)).ok()["viewer"]["partner"]["coupons"]

    everything = await coupons()
    for status in {c["status"] for c in everything["nodes"]}:
        only = await coupons(filter={"status": status})
        assert only["totalCount"] == sum(c["status"] == status for c in everything["nodes"])
        assert {c["status"] for c in only["nodes"]} == {status}
    customer = everything["nodes"][0]["customer"]["id"]
    by_customer = await coupons(filter={"customerId": customer})
    assert by_customer["totalCount"] >= 1 and {c["customer"]["id"] for c in by_customer["nodes"]} == {customer}

    by_value = await coupons(order={"field": "FACE_VALUE", "direction": "DESC"})
    values = [float(c["faceValue"]["amount"]) for c in by_value["nodes"]]
    assert values == sorted(values, reverse=True)
    by_time = await coupons(order={"field": "ISSUED_AT", "direction": "ASC"})
    times = [c["issuedAt"] for c in by_time["nodes"]]
    assert times == sorted(times)


async def test_filter_with_an_id_of_the_wrong_type_is_refused(as_distributor_admin):
    data = (await as_distributor_admin.query(OWN_PARTNER)).ok()
    partner_id = data["viewer"]["partner"]["id"]
    query = "query($id: ID!) { viewer { partner { coupons(filter: {customerId: $id}) { totalCount } } } }"
    response = await as_distributor_admin.query(query, {"id": partner_id})
    assert response.codes == ["BAD_USER_INPUT"]


async def test_task_filters_overdue_kind_and_status(as_distributor_admin):
    query = """query($filter: TaskFilter) { viewer { partner { tasks(first: 100, filter: $filter) {
        totalCount nodes { kind status overdue deadline } } } } }"""

    async def tasks(**filter_):
        return (await as_distributor_admin.query(query, {"filter": filter_ or None})).ok()["viewer"]["partner"]["tasks"]

    everything = await tasks()
    overdue = await tasks(overdue=True)
    assert overdue["totalCount"] >= 1 and all(t["overdue"] for t in overdue["nodes"])
    not_overdue = await tasks(overdue=False)
    assert overdue["totalCount"] + not_overdue["totalCount"] == everything["totalCount"]
    assert not any(t["overdue"] for t in not_overdue["nodes"])
    renewals = await tasks(kind="LARGE_ORDER_RENEWAL", status="COMPLETED")
    assert renewals["totalCount"] >= 1
    assert {(t["kind"], t["status"]) for t in renewals["nodes"]} == {("LARGE_ORDER_RENEWAL", "COMPLETED")}


async def test_operation_records_filter_by_type_and_time_range(as_distributor_admin):
    query = """query($filter: CouponOperationFilter) { viewer { partner { couponOperations(first: 100, filter: $filter) {
        totalCount nodes { type createdAt amount { amount } } } } } }"""
    run = lambda f: as_distributor_admin.query(query, {"filter": f})  # noqa: E731
    everything = (await run(None)).ok()["viewer"]["partner"]["couponOperations"]
    issues = (await run({"type": "ISSUE"})).ok()["viewer"]["partner"]["couponOperations"]
    assert 0 < issues["totalCount"] < everything["totalCount"]
    times = sorted(n["createdAt"] for n in everything["nodes"])
    middle = times[len(times) // 2]
    early = (await run({"before": middle})).ok()["viewer"]["partner"]["couponOperations"]
    late = (await run({"after": middle})).ok()["viewer"]["partner"]["couponOperations"]
    assert early["totalCount"] + late["totalCount"] == everything["totalCount"]


async def test_every_status_of_the_demo_is_readable(as_distributor_admin):
    query = """{ viewer { partner {
        invitations(first: 100) { nodes { status } }
        specialists(first: 100) { nodes { status } }
        solutions(first: 40) { nodes { status coSaleProducts(first: 20) { nodes { status } } } }
        coupons(first: 100) { nodes { status kind } } } } }"""
    partner = (await as_distributor_admin.query(query)).ok()["viewer"]["partner"]
    assert {n["status"] for n in partner["invitations"]["nodes"]} == {"INVITED", "BOUND", "EXPIRED", "REVOKED", "UNBOUND"}
    assert {n["status"] for n in partner["specialists"]["nodes"]} == {
        "SPECIALIST_PENDING", "SPECIALIST", "SPECIALIST_REJECTED", "CANCEL_PENDING", "CANCELLED"}
    listing = {p["status"] for s in partner["solutions"]["nodes"] for p in s["coSaleProducts"]["nodes"]}
    assert listing == {"REQUESTED", "LISTED", "REJECTED", "DELISTED"}
    assert {n["status"] for n in partner["coupons"]["nodes"]} == {"AVAILABLE", "USED", "EXPIRED", "RECLAIMED"}


async def test_member_contact_details_are_masked_for_outsiders(as_distributor_admin, as_staff_operations):
    query = "{ partners(first: 50) { nodes { name members(first: 100) { nodes { name email mobile } } } } }"
    # Staff read members across partners but see personal data masked.
    partners = (await as_staff_operations.query(query)).ok()["partners"]["nodes"]
    emails = [m["email"] for p in partners for m in p["members"]["nodes"] if m["email"]]
    assert emails and all("***@" in e for e in emails)
    own = (await as_distributor_admin.query("{ viewer { partner { members(first: 100) { nodes { email } } } } }")).ok()
    assert all("***" not in m["email"] for m in own["viewer"]["partner"]["members"]["nodes"])


async def test_account_manager_sees_only_own_customers_and_their_tasks(as_account_manager, as_distributor_admin):
    query = """{ viewer { account { id } partner {
        customers(first: 100) { totalCount nodes { accountManager { id name } } }
        tasks(first: 100) { totalCount nodes { customer { accountManager { id } } } } } } }"""
    data = (await as_account_manager.query(query)).ok()["viewer"]
    me = data["account"]["id"]
    assert data["partner"]["customers"]["totalCount"] >= 1
    assert {c["accountManager"]["id"] for c in data["partner"]["customers"]["nodes"]} == {me}
    assert data["partner"]["tasks"]["totalCount"] >= 1
    assert {t["customer"]["accountManager"]["id"] for t in data["partner"]["tasks"]["nodes"]} == {me}
    admin = (await as_distributor_admin.query(query)).ok()["viewer"]["partner"]
    assert admin["tasks"]["totalCount"] > data["partner"]["tasks"]["totalCount"]
    assert admin["customers"]["totalCount"] > data["partner"]["customers"]["totalCount"]


async def test_personal_account_sees_its_pending_invitation_and_no_partner(as_person_alice):
    data = (await as_person_alice.query("{ viewer { partner { id } pendingInvitations { status inviteeIdentifier } } }")).ok()
    assert data["viewer"]["partner"] is None
    assert [i["status"] for i in data["viewer"]["pendingInvitations"]] == ["INVITED"]
    # A personal account holds no partner permissions: the partner list is refused, not just empty.
    refused = await as_person_alice.query("{ partners { totalCount } }")
    assert refused.data == {"partners": None}
    assert refused.codes == ["FORBIDDEN"] and refused.errors[0]["extensions"]["permission"] == "partner.company.view"
