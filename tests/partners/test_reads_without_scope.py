"""Callers the scoping rule gives no rows (a personal account without a partner, staff without
the domain's view permission) read nothing: NOT_FOUND or an empty list, never a server error."""

from __future__ import annotations

import pytest

from models.invitations import Invitation
from models.members import AccountKind, StaffRole
from resolvers.permissions.catalog import Permission
from resolvers.principal import Principal
from resolvers.scoping import Scope
from tests.graphql import gid
from tests.partners.documents import NODE


def principal(kind: AccountKind, *, partner_id: int | None = None, staff_role: StaffRole | None = None) -> Principal:
    return Principal(
        account_id=1, account_name="scoping", kind=kind, partner_id=partner_id, identities=frozenset(),
        roles=(), staff_role=staff_role, permissions=frozenset(),
    )


@pytest.mark.parametrize(
    "caller",
    [
        principal(AccountKind.PERSONAL),
        principal(AccountKind.STAFF, staff_role=StaffRole.FINANCE),
    ],
    ids=["personal-account", "staff-without-the-view-permission"],
)
async def test_no_rows_is_an_empty_query_not_an_error(demo_db, caller: Principal) -> None:
    rows = Scope(Invitation, staff=Permission.SPECIALIST_REVIEW)(caller)
    assert await rows == []
    assert await rows.count() == 0
    # Still a query: callers narrow and page it further.
    assert await rows.filter(id__gt=0).order_by("-id").limit(5) == []


async def test_a_personal_account_reading_a_partner_invitation_gets_not_found(as_person_alice) -> None:
    response = await as_person_alice.query(NODE, {"id": gid("Invitation", 1)})
    assert response.status == 200, response.body
    assert response.data == {"node": None}
    assert response.codes == ["NOT_FOUND"], response.errors


async def test_staff_without_partner_or_balance_view_read_no_partners_or_wallets(demo_db) -> None:
    from resolvers.partners.queries import readable_partners, readable_wallets

    staff = principal(AccountKind.STAFF, staff_role=StaffRole.FINANCE)
    assert await readable_partners(staff) == [] and await readable_wallets(staff).count() == 0
    assert await readable_wallets(principal(AccountKind.PERSONAL)) == []
