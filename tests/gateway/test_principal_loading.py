"""Authentication reads the caller in one statement, fresh on every request.

The principal built from that one row must equal the one read relation by relation through the
ORM, for every account of the demo data (staff, personal, main accounts, members with preset and
custom roles, distributors with resellers, account-manager supervisors).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gateway.auth import AuthenticationFailed, authenticate
from gateway.sql_metrics import counting
from models.api_keys import ApiKey
from models.members import Account, AccountKind, AccountStatus, PresetRole
from models.partners import Partner, PartnerIdentity
from resolvers.permissions.effective import (
    customer_permissions,
    partner_member_permissions,
    personal_permissions,
    staff_permissions,
)
from resolvers.principal import Principal, principal_for
from tests.factories import create_account, unique
from tests.graphql import GraphQLClient


async def principal_through_the_orm(account: Account) -> Principal:
    """The principal as the gateway built it before it read everything in one statement."""
    roles = list(await account.roles.all()) if account.partner_id else []
    partner = await Partner.get(id=account.partner_id) if account.partner_id else None
    identities = frozenset(PartnerIdentity(i) for i in partner.identities) if partner else frozenset()
    managed: frozenset[int] = frozenset()
    if partner and PartnerIdentity.DISTRIBUTOR in identities:
        managed = frozenset(await Partner.filter(parent_distributor_id=partner.id).values_list("id", flat=True))
    if account.kind is AccountKind.STAFF:
        permissions = staff_permissions(account.staff_role) if account.staff_role else frozenset()
    elif account.kind is AccountKind.CUSTOMER:
        permissions = customer_permissions()
    elif partner is None:
        permissions = personal_permissions()
    else:
        permissions = partner_member_permissions(
            identities, is_main_account=account.kind is AccountKind.MAIN_ACCOUNT,
            presets=[r.preset for r in roles if r.preset is not None],
            custom_grants=[r.permissions for r in roles if r.preset is None])
    role_names = tuple(r.preset.value if r.preset else r.name for r in roles)
    customer_managers = None
    is_admin = account.kind is AccountKind.MAIN_ACCOUNT or PresetRole.SYSTEM_ADMIN.value in role_names
    if not is_admin and PresetRole.ACCOUNT_MANAGER.value in role_names:
        customer_managers = frozenset({account.id})
    elif not is_admin and PresetRole.ACCOUNT_MANAGER_SUPERVISOR.value in role_names:
        supervised = await Account.filter(supervisor_id=account.id).values_list("id", flat=True)
        customer_managers = frozenset({account.id, *supervised})
    return Principal(account_id=account.id, account_name=account.name, kind=account.kind, partner_id=account.partner_id,
                     identities=identities, roles=role_names, staff_role=account.staff_role, permissions=permissions,
                     managed_partner_ids=managed, customer_manager_ids=customer_managers, is_partner_admin=is_admin)


async def test_every_demo_account_gets_the_same_principal_as_through_the_orm(demo_db):
    accounts = await Account.all()
    kinds = {a.kind for a in accounts}
    assert {AccountKind.STAFF, AccountKind.MAIN_ACCOUNT, AccountKind.PERSONAL} <= kinds
    seen_managed = seen_supervised = seen_custom = False
    for account in accounts:
        expected = await principal_through_the_orm(account)
        assert await principal_for(account.id) == expected, account.name
        seen_managed |= bool(expected.managed_partner_ids)
        seen_supervised |= expected.customer_manager_ids is not None and len(expected.customer_manager_ids) > 1
        seen_custom |= any(r not in PresetRole.__members__ for r in expected.roles)
    assert seen_managed and seen_supervised and seen_custom, "the demo data should exercise every branch"


@pytest.mark.parametrize("name", ["distributor.admin", "staff.operations", "distributor.am"])
async def test_a_bearer_token_costs_one_statement(gql: GraphQLClient, name):
    with counting() as box:
        principal = await authenticate(gql.settings, f"Bearer {gql.token(name)}")
    assert principal.account_name == name
    assert box[0] == 1


async def test_a_disabled_account_is_refused_on_the_next_request(gql: GraphQLClient):
    account = await create_account()
    token = gql.token(account.name)
    assert (await authenticate(gql.settings, f"Bearer {token}")).account_id == account.id
    await Account.filter(id=account.id).update(status=AccountStatus.DISABLED)
    with pytest.raises(AuthenticationFailed):
        await authenticate(gql.settings, f"Bearer {token}")


async def test_an_api_key_costs_two_statements_and_a_revoked_one_is_refused_at_once(gql: GraphQLClient):
    created = (await gql.as_("distributor.admin", """mutation($input: ApiKeyCreateInput!) {
        apiKeyCreate(input: $input) { secret apiKey { prefix } } }""",
                             {"input": {"name": unique("auth"), "scopes": ["COUPON_ISSUED_VIEW"]}})).ok()["apiKeyCreate"]
    header = f"Bearer {created['secret']}"
    with counting() as box:
        principal = await authenticate(gql.settings, header)
    assert principal.permissions == frozenset({"coupon.issued.view"}) and principal.api_key_id is not None
    assert box[0] == 2  # the caller, and the key's last use
    await ApiKey.filter(prefix=created["apiKey"]["prefix"]).update(revoked_at=datetime.now(UTC))
    with pytest.raises(AuthenticationFailed):
        await authenticate(gql.settings, header)
    with pytest.raises(AuthenticationFailed):
        await authenticate(gql.settings, header[:-2] + ("aa" if not header.endswith("aa") else "bb"))

