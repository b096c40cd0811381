"""A NUL character in input text is refused up front, on every database, literal or variable."""

from __future__ import annotations

import pytest

from models.members import Role

ROLE_CREATE = "mutation($input: RoleCreateInput!) { roleCreate(input: $input) { role { id } userErrors { code } } }"


async def test_a_nul_in_a_variable_is_bad_user_input_and_nothing_is_written(gql):
    before = await Role.filter(name__startswith="nul").count()
    response = await gql.as_("distributor.admin", ROLE_CREATE, {"input": {"name": "nul\u0000role", "permissions": ["HOME_VIEW"]}})
    assert response.data is None and response.codes == ["BAD_USER_INPUT"], response.body
    assert await Role.filter(name__startswith="nul").count() == before


@pytest.mark.parametrize("literal", ['"a\\u0000b"', '"\\u0000"'])
async def test_a_nul_escape_in_a_literal_is_bad_user_input(gql, literal):
    query = f"{{ viewer {{ partner {{ customers(first: 5, filter: {{search: {literal}}}) {{ totalCount }} }} }} }}"
    response = await gql.as_("distributor.admin", query)
    assert response.data is None and response.codes == ["BAD_USER_INPUT"], response.body


async def test_nested_variables_are_checked(gql):
    query = "query($f: CustomerFilter) { viewer { partner { customers(first: 5, filter: $f) { totalCount } } } }"
    response = await gql.as_("distributor.admin", query, {"f": {"search": "x\u0000"}})
    assert response.codes == ["BAD_USER_INPUT"]
    assert (await gql.as_("distributor.admin", query, {"f": {"search": "x\\u0000 is fine as text"}})).ok()
