"""The whole permission matrix, generated from the schema's own decisions and the catalog.

For every guarded field, a query reaching it is sent as callers of every identity group, every
preset role, a custom role, staff, a personal account and a narrowed API key; each answer must
allow or deny exactly as the catalog says. A field added without a decision fails
`test_every_field_has_a_decision`.
"""

from __future__ import annotations

import secrets
from collections import deque
from pathlib import Path

import pytest
from graphql import GraphQLInterfaceType, GraphQLNonNull, GraphQLObjectType, Undefined, get_named_type

from models.members import PresetRole, StaffRole
from models.partners import PartnerIdentity as I
from resolvers.permissions.catalog import BY_CODE, Permission
from resolvers.permissions.effective import (
    customer_permissions,
    partner_member_permissions,
    personal_permissions,
    staff_permissions,
)
from schema.build import schema
from schema.permissions.policy import policy_for

POLICY = policy_for(schema._schema)
GQL = schema._schema

COUPON_DESK = ["coupon.quota.view", "coupon.issued.view", "coupon.usage.view", "coupon.oplog.view",
               "coupon.voucher.issue", "customer.view"]


def member(identities, *, main=False, presets=(), custom=()):
    return partner_member_permissions(identities, is_main_account=main, presets=presets, custom_grants=custom)


# Expected permission sets, computed from the catalog for what each demo account is.
CALLERS: dict[str, frozenset[str]] = {
    "distributor.admin": member([I.DISTRIBUTOR], main=True),
    "distributor.sysadmin": member([I.DISTRIBUTOR], presets=[PresetRole.SYSTEM_ADMIN]),
    "distributor.am": member([I.DISTRIBUTOR], presets=[PresetRole.ACCOUNT_MANAGER]),
    "distributor.amlead": member([I.DISTRIBUTOR], presets=[PresetRole.ACCOUNT_MANAGER_SUPERVISOR]),
    "distributor.sa": member([I.DISTRIBUTOR], presets=[PresetRole.SA_SPECIALIST]),
    "distributor.finance": member([I.DISTRIBUTOR], presets=[PresetRole.FINANCE_SPECIALIST]),
    "distributor.coupons": member([I.DISTRIBUTOR], custom=[COUPON_DESK]),
    "reseller.admin": member([I.RESELLER], main=True),
    "provider.admin": member([I.SOLUTION_PROVIDER], main=True),
    "provider.sa": member([I.SOLUTION_PROVIDER], presets=[PresetRole.SA_SPECIALIST]),
    "service.admin": member([I.SERVICE_PARTNER], main=True),
    "govsubsidy.admin": member([I.GOV_SUBSIDY_PARTNER], main=True),
    "govcloud.admin": member([I.GOV_CLOUD_PARTNER], main=True),
    "staff.pdm": staff_permissions(StaffRole.PDM),
    "staff.ecosystem": staff_permissions(StaffRole.ECOSYSTEM_MANAGER),
    "staff.operations": staff_permissions(StaffRole.OPERATIONS),
    "staff.finance": staff_permissions(StaffRole.FINANCE),
    "person.alice": personal_permissions(),
    "juniper.admin": member([I.RESELLER], main=True),
    "cobalt.admin": member([I.SOLUTION_PROVIDER], main=True),
    "customer.acme": customer_permissions(),
}
API_KEY_SCOPES = frozenset({"home.view", "partner.company.view", "partner.account.view", "coupon.issued.view"})


def test_every_field_has_a_decision():
    undecided = [f"{t}.{f}" for (t, f), d in POLICY.fields.items() if d.undecided]
    assert not undecided, f"fields without @requires or @public: {undecided}"


def test_guarded_fields_are_nullable_and_name_known_permissions():
    for (type_name, field_name), decision in POLICY.fields.items():
        if decision.public:
            continue
        field = GQL.get_type(type_name).fields[field_name]
        assert not isinstance(field.type, GraphQLNonNull), f"{type_name}.{field_name} can be denied, so must be nullable"
        assert all(code in BY_CODE for code in decision.any_of)
        assert decision.any_of[0] in field.description, f"{type_name}.{field_name}: description must name the permission"


def test_printed_schema_shows_the_directive_on_every_guarded_field():
    sdl = (schema.as_str())
    guarded = [(t, f, d) for (t, f), d in POLICY.fields.items() if not d.public]
    assert len(guarded) >= 20
    for _type_name, _field_name, decision in guarded:
        enum_name = BY_CODE[decision.any_of[0]].enum_name
        assert f"@requires(permission: {enum_name}" in sdl


def harmless(gql_type):
    """A value for a required input that passes GraphQL coercion but that every service refuses."""
    from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLList, GraphQLScalarType

    if isinstance(gql_type, GraphQLNonNull):
        gql_type = gql_type.of_type
    if isinstance(gql_type, GraphQLList):
        return []
    if isinstance(gql_type, GraphQLInputObjectType):
        return {name: harmless(f.type) for name, f in gql_type.fields.items() if isinstance(f.type, GraphQLNonNull)}
    if isinstance(gql_type, GraphQLEnumType):
        return next(iter(gql_type.values))
    assert isinstance(gql_type, GraphQLScalarType)
    # An ID of no type: refused as bad input once the mutation runs; a string that is empty.
    return {"ID": "Tm90aGluZzow", "GlobalID": "Tm90aGluZzow", "String": "", "Int": 0, "Boolean": False}.get(gql_type.name, "")


def request_for(target: tuple[str, str]) -> tuple[str, dict, list[tuple[str, str]]]:
    """A document reaching the target field, its variables, and the chain of fields it passes."""
    if target[0] != "Mutation":
        path = path_to(target)
        return document_for(path), {}, path
    field = GQL.mutation_type.fields[target[1]]
    input_type = field.args["input"].type
    document = f"mutation($input: {input_type}) {{ {target[1]}(input: $input) {{ __typename }} }}"
    return document, {"input": harmless(input_type)}, [target]


# Fields whose required arguments the matrix must give to walk through them.
ARGUMENTS = {
    ("Partner", "operationsDashboard"): '(from: "2026-01", to: "2026-12")',
    ("Query", "newsSearch"): '(text: "news")',
    ("Query", "certificateVerification"): '(number: "PC0")',
}


def path_to(target: tuple[str, str]) -> list[tuple[str, str]]:
    """The shortest chain of fields from Query to the target field (not through node/nodes)."""
    queue = deque([("Query", [])])
    seen = {"Query"}
    while queue:
        type_name, path = queue.popleft()
        gql_type = GQL.get_type(type_name)
        for field_name, field in gql_type.fields.items():
            if (type_name, field_name) in (("Query", "node"), ("Query", "nodes")):
                continue
            if (type_name, field_name) not in ARGUMENTS and any(
                    isinstance(a.type, GraphQLNonNull) and a.default_value in (None, Undefined) for a in field.args.values()):
                continue
            step = [*path, (type_name, field_name)]
            if (type_name, field_name) == target:
                return step
            named = get_named_type(field.type)
            if isinstance(named, (GraphQLObjectType, GraphQLInterfaceType)) and named.name not in seen:
                seen.add(named.name)
                queue.append((named.name, step))
    raise AssertionError(f"no path to {target}")


def document_for(path: list[tuple[str, str]]) -> str:
    leaf_type = get_named_type(GQL.get_type(path[-1][0]).fields[path[-1][1]].type)
    inner = " { __typename }" if isinstance(leaf_type, (GraphQLObjectType, GraphQLInterfaceType)) else ""
    for type_name, field_name in reversed(path):
        # Small pages: some histories require a page size, and every page adds to the cost.
        paging = "(first: 2)" if "first" in GQL.get_type(type_name).fields[field_name].args else ""
        paging = ARGUMENTS.get((type_name, field_name), paging)
        inner = f"{field_name}{paging}{inner}"
        inner = f" {{ {inner} }}"
    return inner.strip()


def expected_denial(path: list[tuple[str, str]], permissions: frozenset[str]):
    for depth, (type_name, field_name) in enumerate(path):
        decision = POLICY.fields[(type_name, field_name)]
        if not decision.allows(permissions):
            return decision.any_of[0], [f for _, f in path[: depth + 1]]
    return None


GUARDED = sorted(k for k, d in POLICY.fields.items() if not d.public)


def test_the_matrix_covers_every_guarded_mutation():
    open_mutations = {f for f in GQL.mutation_type.fields if POLICY.fields[("Mutation", f)].public}
    # Only asking for one's own verification code is open to every caller.
    assert open_mutations == {"verificationCodeRequest"}
    assert {f for t, f in GUARDED if t == "Mutation"} == set(GQL.mutation_type.fields) - open_mutations


async def check_matrix(gql, caller: str, permissions: frozenset[str], send) -> int:
    checked = 0
    for target in GUARDED:
        document, variables, path = request_for(target)
        response = await send(document, variables)
        assert response.status == 200, (caller, target, response.body)
        forbidden = [e for e in response.errors if e["extensions"]["code"] == "FORBIDDEN"]
        # A permitted mutation runs and refuses the harmless input; any other error is a failure.
        tolerated = {"FORBIDDEN", "BAD_USER_INPUT"} if target[0] == "Mutation" else {"FORBIDDEN"}
        assert {e["extensions"]["code"] for e in response.errors} <= tolerated, (caller, target, response.errors)
        expected = expected_denial(path, permissions)
        if expected is None:
            assert not forbidden, (caller, target, forbidden)
        else:
            permission, error_path = expected
            assert [(e["extensions"]["permission"], e["path"]) for e in forbidden] == [(permission, error_path)], (caller, target)
        checked += 1
    return checked


def codes(served: list[str]) -> frozenset[str]:
    """The codes of the Permission values `viewer.permissions` answered."""
    return frozenset(Permission[name].value for name in served)


@pytest.mark.parametrize("caller", sorted(CALLERS))
async def test_caller_permissions_match_the_catalog(gql, caller):
    served = (await gql.as_(caller, "{ viewer { permissions } }")).ok()["viewer"]["permissions"]
    assert codes(served) == CALLERS[caller]


@pytest.mark.parametrize("caller", sorted(CALLERS))
async def test_every_guarded_field_allows_or_denies_as_the_catalog_says(gql, caller):
    checked = await check_matrix(gql, caller, CALLERS[caller], lambda q, v: gql.as_(caller, q, v))
    assert checked == len(GUARDED)


async def test_api_key_is_limited_to_its_scopes(gql):
    from gateway.auth import hash_secret
    from models.api_keys import ApiKey
    from models.members import Account

    account = await Account.get(name="distributor.admin")
    prefix = secrets.token_hex(4)
    key = f"pgk_{prefix}_{secrets.token_urlsafe(24)}"
    row = await ApiKey.create(account=account, name="matrix", prefix=prefix, secret_hash=hash_secret(key), scopes=sorted(API_KEY_SCOPES))
    try:
        headers = {"Authorization": f"Bearer {key}"}
        expected = CALLERS["distributor.admin"] & API_KEY_SCOPES
        served = (await gql.raw("{ viewer { permissions } }", headers=headers)).ok()["viewer"]["permissions"]
        assert codes(served) == expected
        assert await check_matrix(gql, "api-key", expected, lambda q, v: gql.raw(q, v, headers=headers)) == len(GUARDED)
    finally:
        await row.delete()


# Hand-written facts from DOMAIN.md §3, so the generated matrix is not checked only against itself.
DOMAIN_FACTS = [
    ("service.admin", "account.balance.view", False),
    ("service.admin", "solution.view", True),
    ("service.admin", "cloudlab.apply", True),
    ("reseller.admin", "task.sales.view", True),
    ("reseller.admin", "task.sales.handle", False),
    ("reseller.admin", "incentive.view", False),
    ("reseller.admin", "coupon.voucher.issue", True),
    ("distributor.admin", "coupon.quota.allocate_reseller", True),
    ("provider.admin", "coupon.quota.allocate_reseller", False),
    ("govsubsidy.admin", "coupon.cash.issue", True),
    ("govsubsidy.admin", "coupon.pickup.issue", False),
    ("govcloud.admin", "coupon.pickup.issue", True),
    ("govcloud.admin", "coupon.cash.issue", False),
    ("distributor.am", "customer.view", True),
    ("distributor.am", "coupon.voucher.issue", False),
    ("distributor.am", "account.balance.view", True),
    ("distributor.am", "org.member.manage", False),
    ("distributor.coupons", "coupon.voucher.issue", True),
    ("distributor.coupons", "org.member.manage", False),
    ("distributor.sysadmin", "org.member.manage", True),
    ("staff.pdm", "cosale.review", True),
    ("staff.operations", "coupon.quota.grant", True),
    ("staff.finance", "coupon.quota.grant", False),
    ("person.alice", "invitation.respond", True),
    ("person.alice", "partner.company.view", False),
]


@pytest.mark.parametrize(("caller", "permission", "held"), DOMAIN_FACTS)
def test_domain_facts(caller, permission, held):
    assert (permission in CALLERS[caller]) is held


def test_system_admin_equals_the_main_account():
    assert CALLERS["distributor.sysadmin"] == CALLERS["distributor.admin"]


PUBLIC_BY_TYPE = Path(__file__).with_name("public_by_type.txt")


def test_fields_public_only_because_their_type_is_public_are_listed():
    """A plain field added to a `@public` type is open to every caller without anyone writing so: the
    list is committed, so each new one shows up in review. After checking that a new field may be
    public, regenerate it: python -c "from schema.build import schema; from schema.permissions.policy import
    public_by_type; print('\\n'.join(public_by_type(schema._schema)))" > tests/permissions/public_by_type.txt"""
    from schema.permissions.policy import public_by_type

    listed = PUBLIC_BY_TYPE.read_text().split()
    found = public_by_type(schema._schema)
    assert sorted(set(found) - set(listed)) == [], "new fields public only through their type (see the docstring)"
    assert sorted(set(listed) - set(found)) == [], "fields no longer public through their type: regenerate the list"
