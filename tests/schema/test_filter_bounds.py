"""Filter criteria the databases cannot take are the caller's mistake (BAD_USER_INPUT naming the
argument), never an internal error: a LIKE pattern of 50,000 characters (SQLite refuses it), a
date shifted past year 1 or 9999 by its offset (PostgreSQL refuses it)."""

from __future__ import annotations

import pytest

LONG = "x" * 50_001
CASES = [
    ("distributor.admin", '{ partners(filter: {search: "%s"}) { totalCount } }' % LONG, "filter.search"),
    ("distributor.admin", '{ partners(filter: {search: "%s"}) { totalCount } }' % ("%" * 201), "filter.search"),
    ("distributor.admin", '{ viewer { partner { resellers { nodes { yanxuanOrders(filter: {search: "%s"}) { totalCount } } } } } }' % LONG,
     "filter.search"),
    ("distributor.admin", '{ viewer { partner { yanxuanOrders(filter: {orderedAfter: "0001-01-01T00:00:00+10:00"}) { totalCount } } } }',
     "filter.orderedAfter"),
    ("distributor.admin", '{ viewer { partner { yanxuanOrders(filter: {orderedBefore: "9999-12-31T23:59:59-10:00"}) { totalCount } } } }',
     "filter.orderedBefore"),
    ("distributor.admin", '{ viewer { partner { ledger(first: 1, filter: {after: "0001-01-01T00:00:00+10:00"}) { totalCount } } } }',
     "filter.after"),
    ("provider.admin", '{ viewer { partner { incentiveBills(first: 1) { nodes { lines(filter: {customerName: "%s"}) { totalCount } } } } } }'
     % LONG, "filter.customerName"),
]


@pytest.mark.parametrize(("account", "query", "argument"), CASES, ids=[c[2] + str(i) for i, c in enumerate(CASES)])
async def test_criteria_out_of_bounds_are_bad_user_input(gql, account, query, argument):
    response = await gql.as_(account, query)
    assert response.status == 200
    codes = {e["extensions"]["code"] for e in response.errors}  # one error per list it was asked of
    assert codes == {"BAD_USER_INPUT"}, response.errors
    assert argument in response.errors[0]["message"] or response.errors[0]["extensions"].get("argument") == argument


async def test_criteria_within_bounds_still_filter(gql):
    response = await gql.as_("distributor.admin", '{ partners(filter: {search: "%s"}) { totalCount } }' % ("x" * 200))
    assert response.ok()["partners"]["totalCount"] == 0
