"""E-mail and mobile are masked by one rule however an account is reached.

Lists and relations build accounts from rows and mask while building; `node(id:)` and
`viewer.account` serve models through the field's resolver. Both must answer alike, for callers
who may see contact details and for those who may not.
"""

from __future__ import annotations

import pytest

from tests.factories import unique

CREATE_KEY = """mutation($input: ApiKeyCreateInput!) { apiKeyCreate(input: $input) { secret userErrors { code } } }"""
CONTACT = "id name email mobile"
MEMBERS_OF_PARTNER = "{ viewer { account { %s } partner { members(first: 100) { nodes { %s supervisor { %s } } } } } }" % (
    CONTACT, CONTACT, CONTACT)
MEMBERS_AS_STAFF = """query($partner: ID!) { viewer { account { %s } }
    node(id: $partner) { ... on Partner { members(first: 100) { nodes { %s supervisor { %s } } } } } }""" % (CONTACT, CONTACT, CONTACT)
NODE = "query($id: ID!) { node(id: $id) { ... on Account { %s } } }" % CONTACT


def masked(account: dict) -> bool:
    return "***" in account["email"] or "***" in account["mobile"]


async def headers_for(gql, caller: str) -> dict[str, str]:
    if caller == "distributor.admin/key":
        # Scoped to reading members but not their personal information.
        created = (await gql.as_("distributor.admin", CREATE_KEY, {"input": {
            "name": unique("masking"), "scopes": ["PARTNER_ACCOUNT_VIEW"]}})).ok()["apiKeyCreate"]
        assert created["userErrors"] == []
        return {"Authorization": f"Bearer {created['secret']}"}
    return {"Authorization": f"Bearer {gql.token(caller)}"}


@pytest.mark.parametrize(("caller", "others_masked"), [
    ("distributor.admin", False), ("distributor.admin/key", True), ("staff.operations", True),
])
async def test_rows_and_models_mask_alike(gql, caller, others_masked):
    headers = await headers_for(gql, caller)
    if caller.startswith("staff"):
        # Staff read the distributor's members through node(id:): a model parent, row-built members.
        partner = (await gql.as_("distributor.admin", "{ viewer { partner { id } } }")).ok()["viewer"]["partner"]["id"]
        data = (await gql.raw(MEMBERS_AS_STAFF, {"partner": partner}, headers=headers)).ok()
        partners = [data["node"]]
    else:
        data = (await gql.raw(MEMBERS_OF_PARTNER, headers=headers)).ok()
        partners = [data["viewer"]["partner"]]
    me = data["viewer"]["account"]
    listed = [m for p in partners for m in p["members"]["nodes"]]
    related = [m["supervisor"] for m in listed if m["supervisor"]]
    assert listed and related, "the demo data should list members with supervisors"

    assert not masked(me), "your own contact details are never masked"
    others = [m for m in listed + related if m["id"] != me["id"] and (m["email"] or m["mobile"])]
    assert others and all(masked(m) is others_masked for m in others)

    # The model path (node) answers what the row path answered, account by account.
    for account in ({m["id"]: {k: m[k] for k in ("id", "name", "email", "mobile")} for m in listed + related}).values():
        node = (await gql.raw(NODE, {"id": account["id"]}, headers=headers)).ok()["node"]
        assert node == account
