"""Each operation limit refuses an operation just over it and accepts one just under it."""

from __future__ import annotations

import pytest

from gateway.config import Settings
from tests.graphql import GraphQLClient, client_with

DEFAULTS = Settings()
CALLER = "distributor.admin"


def supervisors(levels: int) -> str:
    """`{ viewer { account { supervisor { … { id } } } } }`: depth 3 + levels."""
    inner = "id"
    for _ in range(levels):
        inner = f"supervisor {{ {inner} }}"
    return f"{{ viewer {{ account {{ {inner} }} }} }}"


async def refused(gql: GraphQLClient, query: str, code: str, limit: str | None = None) -> dict:
    response = await gql.as_(CALLER, query)
    assert response.data is None, response.body
    assert response.codes == [code], response.errors
    if limit is not None:
        assert response.errors[0]["extensions"]["limit"] == limit
    return response.errors[0]


async def accepted(gql: GraphQLClient, query: str) -> dict:
    response = await gql.as_(CALLER, query)
    assert response.status == 200
    assert "OPERATION_LIMIT_EXCEEDED" not in response.codes and "QUERY_TOO_COMPLEX" not in response.codes, response.errors
    assert response.data is not None, response.body
    return response.body


async def test_depth(gql):
    assert DEFAULTS.max_depth == 10
    await accepted(gql, supervisors(7))  # depth 10
    error = await refused(gql, supervisors(8), "OPERATION_LIMIT_EXCEEDED", "depth")
    assert error["extensions"]["maximum"] == 10


async def test_depth_counts_fragments(gql):
    # The same depth 11 hidden in two fragments is refused; at depth 10 it is accepted.
    for levels, ok in ((7, True), (8, False)):
        inner = "id"
        for _ in range(levels - 1):
            inner = f"supervisor {{ {inner} }}"
        query = ("query { viewer { account { ...Chain } } } "
                 f"fragment Chain on Account {{ supervisor {{ ...Rest }} }} fragment Rest on Account {{ {inner} }}")
        if ok:
            await accepted(gql, query)
        else:
            await refused(gql, query, "OPERATION_LIMIT_EXCEEDED", "depth")


async def test_a_fragment_cycle_is_a_validation_error_not_a_crash(gql):
    query = "query { viewer { account { ...A } } } fragment A on Account { supervisor { ...B } } fragment B on Account { supervisor { ...A } }"
    response = await gql.as_(CALLER, query)
    assert response.data is None and set(response.codes) == {"BAD_USER_INPUT"}


async def test_deeply_nested_text_is_refused_before_parsing(gql):
    # 600 levels would overflow the parser's recursion; the text scan refuses it first.
    query = "{ viewer " + "{ account " * 600 + "{ id" + " }" * 602
    await refused(gql, query, "OPERATION_LIMIT_EXCEEDED", "depth")


async def test_aliases(gql):
    assert DEFAULTS.max_aliases == 15
    fields = lambda n: " ".join(f"a{i}: id" for i in range(n))  # noqa: E731
    await accepted(gql, f"{{ viewer {{ account {{ {fields(15)} }} }} }}")
    error = await refused(gql, f"{{ viewer {{ account {{ {fields(16)} }} }} }}", "OPERATION_LIMIT_EXCEEDED", "aliases")
    assert error["extensions"]["actual"] == 16


async def test_tokens(demo_db):
    assert DEFAULTS.max_tokens == 2000
    # At 2,000 tokens of one repeated field graphql-core's own overlap check gives up first, so the
    # boundary is shown at 200. `{ viewer { account { id` … `} } }` is 9 tokens; `__typename` adds one.
    padded = lambda n: "{ viewer { account { id " + "__typename " * n + "} } }"  # noqa: E731
    async with client_with(max_tokens=200) as client:
        await accepted(client, padded(191))
        await refused(client, padded(192), "OPERATION_LIMIT_EXCEEDED", "tokens")
    # A long document under the default is refused by the token limit, not by anything else.
    await refused_default_tokens(padded(1992))


async def refused_default_tokens(query: str) -> None:
    async with client_with() as client:
        await refused(client, query, "OPERATION_LIMIT_EXCEEDED", "tokens")


async def test_directives(gql):
    assert DEFAULTS.max_directives == 50
    fields = lambda n: " ".join("__typename @include(if: true)" for _ in range(n))  # noqa: E731
    await accepted(gql, f"{{ viewer {{ account {{ id {fields(50)} }} }} }}")
    error = await refused(gql, f"{{ viewer {{ account {{ id {fields(51)} }} }} }}", "OPERATION_LIMIT_EXCEEDED", "directives")
    assert error["extensions"]["actual"] == 51


async def test_a_repeated_directive_is_one_error(gql):
    query = "{ viewer { account { id" + " @include(if: true)" * 40 + " } } }"
    response = await gql.as_(CALLER, query)
    assert response.data is None
    assert len(response.errors) == 1 and response.codes == ["BAD_USER_INPUT"]
    assert "repeated" in response.errors[0]["message"]


async def test_root_fields(gql):
    assert DEFAULTS.max_root_fields == 20
    await accepted(gql, "{ " + "viewer { account { id } } " * 20 + "}")
    await refused(gql, "{ " + "viewer { account { id } } " * 21 + "}", "OPERATION_LIMIT_EXCEEDED", "rootFields")


async def test_validation_stops_after_a_handful_of_errors(gql):
    query = "{ viewer { account { " + " ".join(f"unknown{i}" for i in range(40)) + " } } }"
    response = await gql.as_(CALLER, query)
    assert response.data is None
    # The limit, plus graphql-core's one "validation aborted" notice.
    assert 1 < len(response.errors) <= DEFAULTS.max_validation_errors + 1
    assert set(response.codes) == {"BAD_USER_INPUT"}


async def test_page_size_is_checked_before_execution(gql):
    await accepted(gql, "{ viewer { partner { coupons(first: 100) { totalCount } } } }")
    error = await refused(gql, "{ viewer { partner { coupons(first: 101) { totalCount } } } }", "BAD_USER_INPUT")
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "first", "maximum": 100}
    # Variables are read too.
    response = await gql.as_(CALLER, "query($n: Int) { viewer { partner { coupons(first: $n) { totalCount } } } }", {"n": 101})
    assert response.data is None and response.codes == ["BAD_USER_INPUT"]


@pytest.mark.parametrize("field", ["couponOperations", "ledger"])
async def test_long_histories_require_a_page_size(gql, field):
    error = await refused(gql, f"{{ viewer {{ partner {{ {field} {{ totalCount }} }} }} }}", "BAD_USER_INPUT")
    assert "first" in error["message"]
    await accepted(gql, f"{{ viewer {{ partner {{ {field}(first: 5) {{ totalCount }} }} }} }}")
    await accepted(gql, f"{{ viewer {{ partner {{ {field}(last: 5) {{ totalCount }} }} }} }}")


def nested_page(members: int) -> str:
    # cost = 1 + 100 × (1 + 1 + members): each partner, its member connection, each member.
    return f"{{ partners(first: 100) {{ nodes {{ members(first: {members}) {{ nodes {{ id }} }} }} }} }}"


async def test_cost_budget(gql):
    assert DEFAULTS.cost_budget == 10_000
    body = await accepted_as(gql, "staff.operations", nested_page(97))
    assert body["extensions"]["cost"] == {"requested": 9901, "maximum": 10_000}
    response = await gql.as_("staff.operations", nested_page(98))
    assert response.data is None and response.codes == ["QUERY_TOO_COMPLEX"]
    assert response.errors[0]["extensions"]["cost"] == {"requested": 10001, "maximum": 10_000}
    assert response.body["extensions"]["cost"] == {"requested": 10001, "maximum": 10_000}


async def accepted_as(gql: GraphQLClient, caller: str, query: str) -> dict:
    response = await gql.as_(caller, query)
    assert response.status == 200 and response.data is not None, response.errors
    return response.body


async def test_every_response_reports_its_cost(gql):
    ok = await gql.as_(CALLER, "{ viewer { account { id } } }")
    assert ok.body["extensions"]["cost"] == {"requested": 2, "maximum": 10_000}
    invalid = await gql.as_(CALLER, "{ viewer { nope } }")
    assert invalid.body["extensions"]["cost"]["maximum"] == 10_000
    mutation = await gql.as_(CALLER, 'mutation { roleDelete(input: {id: "x"}) { userErrors { code } } }')
    assert mutation.body["extensions"]["cost"]["requested"] >= 10


async def test_limits_follow_the_settings(demo_db):
    async with client_with(max_depth=5, cost_budget=50) as client:
        await refused(client, supervisors(3), "OPERATION_LIMIT_EXCEEDED", "depth")
        await accepted(client, supervisors(2))
        response = await client.as_(CALLER, "{ viewer { partner { coupons(first: 60) { nodes { id } } } } }")
        assert response.codes == ["QUERY_TOO_COMPLEX"]


async def test_the_ide_introspection_query_fits_the_limits(gql):
    from graphql import get_introspection_query

    query = get_introspection_query(descriptions=True, specified_by_url=True, directive_is_repeatable=True,
                                    schema_description=True, input_value_deprecation=True)
    body = await accepted(gql, query)
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


def test_the_histories_declare_that_they_need_a_page_size():
    from schema.build import schema
    from schema.limits.cost import page_size_required

    flagged = {(type_.name, name) for type_ in schema._schema.type_map.values() if hasattr(type_, "fields")
               and not type_.name.startswith("__") and hasattr(type_, "interfaces")
               for name, field in type_.fields.items() if page_size_required(field)}
    assert flagged == {("Query", "auditRecords"), ("Partner", "couponOperations"), ("Partner", "ledger"),
                       ("Partner", "associationRecords"), ("Customer", "associationRecords"), ("Query", "enterprises")}
    for type_name, name in flagged:
        assert "Give `first` or `last`" in schema._schema.get_type(type_name).fields[name].description


async def test_audit_records_require_a_page_size(gql):
    await refused(gql, "{ auditRecords { totalCount } }", "BAD_USER_INPUT")
    await accepted(gql, "{ auditRecords(first: 1) { totalCount } }")


async def test_a_document_too_big_to_validate_is_a_limit_the_client_can_act_on(gql):
    # ~900 copies of one field stay under the token limit, but comparing them with each other runs
    # out graphql-core's validation budget; that was "Validation aborted." as BAD_USER_INPUT.
    copies = "{ viewer { " + " ".join(["roles"] * 900) + " } }"
    error = await refused(gql, copies, "OPERATION_LIMIT_EXCEEDED", "validation")
    assert "too complex to validate" in error["message"] and "Select each field once" in error["message"]
    await accepted(gql, "{ viewer { " + " ".join(["roles"] * 50) + " } }")
    # Plain validation errors keep their own code and message.
    wrong = await gql.as_(CALLER, "{ viewer { nope } }")
    assert wrong.codes == ["BAD_USER_INPUT"] and "nope" in wrong.errors[0]["message"]


async def test_an_operations_shape_is_measured_once_per_text_operation_and_limits(demo_db, monkeypatch):
    from schema.limits import caches

    walks: list[str | None] = []
    real = caches.check_operation

    def counted(document, operation, limits):
        walks.append(operation.name.value if operation.name else None)
        return real(document, operation, limits)

    monkeypatch.setattr(caches, "check_operation", counted)
    caches._cached_shape.cache_clear()
    # Two operations in one document: one within the depth limit, one past it.
    document = f"query Shallow {supervisors(2)} query Deep {supervisors(8)}"
    async with client_with() as client:
        for _ in range(3):
            ok = await client.http.post("/graphql", json={"query": document, "operationName": "Shallow"},
                                        headers={"Authorization": f"Bearer {client.token(CALLER)}"})
            assert ok.status_code == 200 and "errors" not in ok.json(), ok.text
            deep = await client.http.post("/graphql", json={"query": document, "operationName": "Deep"},
                                          headers={"Authorization": f"Bearer {client.token(CALLER)}"})
            assert deep.json()["errors"][0]["extensions"]["limit"] == "depth"
    async with client_with(max_depth=4) as client:
        refused_now = await client.http.post("/graphql", json={"query": document, "operationName": "Shallow"},
                                             headers={"Authorization": f"Bearer {client.token(CALLER)}"})
        assert refused_now.json()["errors"][0]["extensions"]["limit"] == "depth"
    assert walks == ["Shallow", "Deep", "Shallow"]
