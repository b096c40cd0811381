"""E-mail and mobile are masked by one rule however an account is reached.

Lists and relations build accounts from rows and mask while building; `node(id:)` and
`viewer.account` serve models through the field's resolver. Both must answer alike, for callers
who may see contact details and for those who may not.
"""

from __future__ import annotations

import pytest

from tests.callers import Caller
from tests.factories import unique
from tests.members.documents import ACCOUNT_CONTACT, API_KEY_CREATE, MEMBERS_AS_STAFF, MEMBERS_OF_PARTNER, OWN_PARTNER


def masked(account: dict) -> bool:
    return "***" in account["email"] or "***" in account["mobile"]


async def headers_for(gql, admin: Caller, caller: str) -> dict[str, str]:
    if caller == "distributor.admin/key":
        # Scoped to reading members but not their personal information.
        created = (await admin.query(API_KEY_CREATE, {"input": {
            "name": unique("masking"), "scopes": ["PARTNER_ACCOUNT_VIEW"]}})).ok()["apiKeyCreate"]
        assert created["userErrors"] == []
        return {"Authorization": f"Bearer {created['secret']}"}
    return {"Authorization": f"Bearer {gql.token(caller)}"}


@pytest.mark.parametrize(("caller", "others_masked"), [
    ("distributor.admin", False), ("distributor.admin/key", True), ("staff.operations", True),
])
async def test_rows_and_models_mask_alike(gql, as_distributor_admin, caller, others_masked):
    headers = await headers_for(gql, as_distributor_admin, caller)
    if caller.startswith("staff"):
        # Staff read the distributor's members through node(id:): a model parent, row-built members.
        partner = (await as_distributor_admin.query(OWN_PARTNER)).ok()["viewer"]["partner"]["id"]
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
        node = (await gql.raw(ACCOUNT_CONTACT, {"id": account["id"]}, headers=headers)).ok()["node"]
        assert node == account
