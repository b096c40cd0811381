"""Who may touch incentives: resellers earn no rebates and are refused every incentive field and
mutation; every incentive permission in the catalog guards something; finance specialists read and
invoice but do not drive staff steps."""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    get_named_type,
)

from models.partners import PartnerIdentity as I
from resolvers.permissions.catalog import BY_CODE, Permission
from resolvers.permissions.effective import partner_member_permissions
from schema.build import schema
from schema.permissions.policy import policy_for
from tests.graphql import gid

GQL = schema._schema
POLICY = policy_for(GQL)
# The catalog's incentive rows: incentives and settlement, which resellers never earn, and the staff steps.
INCENTIVE = frozenset({
    Permission.INCENTIVE_VIEW, Permission.INCENTIVE_APPLY, Permission.INCENTIVE_INVOICE, Permission.SETTLEMENT_VIEW,
    Permission.SETTLEMENT_INVOICE, Permission.INCENTIVE_PERIOD_CLOSE, Permission.INCENTIVE_PAYOUT_REVIEW,
    Permission.SETTLEMENT_MANAGE,
})
YANXUAN = frozenset({Permission.YANXUAN_VIEW, Permission.YANXUAN_PRICE_ADJUST})


def guarded_by(codes: frozenset[str]) -> list[tuple[str, str]]:
    """(type, field) of every field that only these permissions open."""
    return sorted(key for key, decision in POLICY.fields.items() if decision.any_of and set(decision.any_of) <= codes)


def test_every_incentive_permission_guards_something():
    guarding = {code for decision in POLICY.fields.values() for code in decision.any_of}
    assert guarding >= INCENTIVE | YANXUAN, sorted((INCENTIVE | YANXUAN) - guarding)
    # Staff steps are staff-only; the partner steps are never a reseller's.
    for code in INCENTIVE:
        assert I.RESELLER not in BY_CODE[code].assignable_to, code


def test_resellers_hold_no_incentive_permission():
    reseller = partner_member_permissions([I.RESELLER], is_main_account=True, presets=(), custom_grants=())
    assert not reseller & INCENTIVE


def placeholder(input_type: Any) -> Any:
    """A value of the input type that passes validation (the permission check comes before any service)."""
    inner = input_type.of_type if isinstance(input_type, GraphQLNonNull) else input_type
    if isinstance(inner, GraphQLList):
        return [placeholder(inner.of_type)]
    if isinstance(inner, GraphQLInputObjectType):
        return {name: placeholder(field.type) for name, field in inner.fields.items() if isinstance(field.type, GraphQLNonNull)}
    if isinstance(inner, GraphQLEnumType):
        return next(iter(inner.values))
    assert isinstance(inner, GraphQLScalarType)
    return {"ID": gid("IncentiveBill", 1), "Boolean": True, "Int": 1, "Decimal": "1.00"}.get(inner.name, "2001-01")


def selection(field_type: Any) -> str:
    named = get_named_type(field_type)
    if not isinstance(named, GraphQLObjectType):
        return ""
    if "nodes" in named.fields:
        return "{ totalCount }"
    return "{ __typename }"


async def test_a_reseller_is_refused_every_incentive_field_and_mutation(as_reseller_admin):
    partner_fields = [field for type_name, field in guarded_by(INCENTIVE) if type_name == "Partner"]
    assert {"incentiveBills", "payoutApplications", "payoutSetting", "settlementBills"} <= set(partner_fields)
    for field in partner_fields:
        gql_field = GQL.type_map["Partner"].fields[field]
        response = await as_reseller_admin.query(f"{{ viewer {{ partner {{ {field} {selection(gql_field.type)} }} }} }}")
        assert response.data == {"viewer": {"partner": {field: None}}}, field
        assert [e["extensions"]["code"] for e in response.errors] == ["FORBIDDEN"], field

    mutations = [field for type_name, field in guarded_by(INCENTIVE) if type_name == "Mutation"]
    assert len(mutations) == 14, mutations
    for field in mutations:
        argument = GQL.mutation_type.fields[field].args["input"].type
        response = await as_reseller_admin.query(
            f"mutation($input: {argument}) {{ {field}(input: $input) {{ __typename }} }}", {"input": placeholder(argument)})
        assert [e["extensions"]["code"] for e in response.errors] == ["FORBIDDEN"], (field, response.body)
        assert not (response.data or {}).get(field)  # nothing ran

    # Objects below those fields: a reseller reaches none of them, not even by ID.
    for type_name in ("IncentiveBill", "PayoutApplication", "SettlementBill"):
        node = await as_reseller_admin.query("query($id: ID!) { node(id: $id) { id } }", {"id": gid(type_name, 1)})
        assert node.data == {"node": None}, type_name


async def test_a_finance_specialist_reads_and_invoices_but_takes_no_staff_step(as_finance_specialist):
    page = (await as_finance_specialist.query("""{ viewer { partner {
        incentiveBills(first: 12) { totalCount nodes { period applicationLines { nodes { application { number status } } } } }
        payoutApplications(first: 12) { totalCount nodes { invoicingList { total { amount } } } }
        settlementBills(first: 5) { totalCount } yanxuanOrders(first: 5) { totalCount } } } }""")).ok()
    partner = page["viewer"]["partner"]
    assert partner["incentiveBills"]["totalCount"] > 0 and partner["payoutApplications"]["totalCount"] > 0
    for field, argument in (("incentivePeriodClose", "IncentivePeriodCloseInput"), ("incentivePayoutAccept", "PayoutApplicationInput")):
        argument_type = GQL.mutation_type.fields[field].args["input"].type
        response = await as_finance_specialist.query(
            f"mutation($input: {argument}!) {{ {field}(input: $input) {{ __typename }} }}", {"input": placeholder(argument_type)})
        assert response.errors[0]["extensions"]["code"] == "FORBIDDEN", field
