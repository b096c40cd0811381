"""A global ID whose number is past the 32-bit primary keys names no row: a typed answer, never
an integer the database driver cannot bind (SQLite: OverflowError; PostgreSQL: out of range)."""

from __future__ import annotations

import pytest

from tests.graphql import gid

TOO_LARGE = [2**31, 10**30]

SPECIALIST_APPLY = """
mutation ($input: SpecialistApplyInput!) {
  specialistApply(input: $input) { specialistApplication { id } userErrors { field code } }
}
"""
COUPONS_OF_CUSTOMER = """
query ($customerId: ID) {
  viewer { partner { coupons(first: 5, filter: {customerId: $customerId}) { totalCount } } }
}
"""


@pytest.mark.parametrize("pk", TOO_LARGE)
async def test_a_mutation_input_id_past_the_primary_keys_is_not_found(gql, pk: int) -> None:
    response = await gql.as_("distributor.admin", SPECIALIST_APPLY, {"input": {"memberId": gid("Account", pk)}})
    payload = response.ok()["specialistApply"]
    assert payload == {"specialistApplication": None, "userErrors": [{"field": ["memberId"], "code": "NOT_FOUND"}]}


@pytest.mark.parametrize("pk", TOO_LARGE)
async def test_a_filter_id_past_the_primary_keys_is_bad_user_input(gql, pk: int) -> None:
    response = await gql.as_("distributor.admin", COUPONS_OF_CUSTOMER, {"customerId": gid("Customer", pk)})
    assert response.status == 200, response.body
    assert response.codes == ["BAD_USER_INPUT"], response.errors
    assert response.errors[0]["extensions"]["argument"] == "customerId"
    assert response.data == {"viewer": {"partner": {"coupons": None}}}
