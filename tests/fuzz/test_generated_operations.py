"""Property-based fuzzing: operations generated from the schema, sent as every kind of caller to
a live gateway of its own, on SQLite and on PostgreSQL, never answer with a 5xx, a leaked implementation detail, an untyped
error or INTERNAL_SERVER_ERROR, and never make the server log an unexpected traceback.

Bounded and reproducible: a fixed number of examples per caller, each test with its own fixed
seed, no example database. The tests run in file order against one server per backend (all of
SQLite's, then all of PostgreSQL's), so the data each sees (after the mutations before it) is the
same on every run. Each backend's tests use the same seeds, so PostgreSQL is sent much of what
SQLite is (fewer examples, tests/fuzz/backends.py): a failure on one backend alone points at it.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import graphql
import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, note, seed, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema, mutations, queries

from schema.build import schema as gateway_schema
from tests.fuzz.backends import BACKENDS, Backend, fuzz_server
from tests.fuzz.callers import CALLERS, credentials, own_view
from tests.fuzz.checks import problems_in_answer, unexpected_log_entries
from tests.fuzz.documents import lift_arguments, select_user_errors, target_global_ids
from tests.fuzz.values import custom_scalars, node_type_names
from tests.live_server import LiveServer

# Per test against SQLite; PostgreSQL runs a share of them (tests/fuzz/backends.py).
QUERY_EXAMPLES = 50
MUTATION_EXAMPLES = 60
INVALID_EXAMPLES = 30

SCHEMA = graphql.build_schema(gateway_schema.as_str())
NODE_TYPES = node_type_names(SCHEMA)
GENERATION = {"custom_scalars": custom_scalars(SCHEMA), "print_ast": lambda document: document}

@dataclass(frozen=True)
class Generated:
    """A document and the schema it was generated from (the caller's view or the whole one)."""

    schema: graphql.GraphQLSchema = field(repr=False)
    document: graphql.DocumentNode

    def __repr__(self) -> str:
        # What hypothesis prints for a falsifying example: the operation as generated.
        return graphql.print_ast(self.document)


def _from(schema: graphql.GraphQLSchema, documents: st.SearchStrategy[graphql.DocumentNode]) -> st.SearchStrategy[Generated]:
    return documents.map(lambda document: Generated(schema, document))


def query_documents(schema: graphql.GraphQLSchema) -> st.SearchStrategy[Generated]:
    return _from(schema, queries(schema, **GENERATION))


def mutation_documents(schema: graphql.GraphQLSchema) -> st.SearchStrategy[Generated] | None:
    if schema.mutation_type is None:
        return None
    # One root field per mutation: a mutation asking for a forbidden field does not run at all,
    # so several roots would mostly stop at the permission check, before any service.
    return st.one_of([
        _from(schema, mutations(schema, fields=[name], **GENERATION)) for name in sorted(schema.mutation_type.fields)
    ])


@pytest.fixture(scope="module", params=BACKENDS, ids=lambda backend: backend.name)
def database(request: pytest.FixtureRequest) -> Backend:
    return request.param


@pytest.fixture(scope="module")
def server(database: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with fuzz_server(database, tmp_path_factory.mktemp(f"fuzz-{database.name}")) as live:
        yield live


@pytest.fixture(scope="module")
def http(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def callers(server: LiveServer, http: httpx.Client) -> dict[str, str]:
    return credentials(server, http)


@pytest.fixture(scope="module")
def views(http: httpx.Client, callers: dict[str, str]) -> dict[str, graphql.GraphQLSchema]:
    return {caller: own_view(http, credential) for caller, credential in callers.items()}


def _fuzz(
    server: LiveServer, http: httpx.Client, credential: str, operations: st.SearchStrategy[Generated], examples: int,
    label: str, *, variables_too: bool = True,
) -> None:
    @seed(zlib.crc32(label.encode()))
    @settings(
        max_examples=examples, deadline=None, database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
    @given(generated=operations, as_variables=st.booleans() if variables_too else st.just(False))
    def answers_are_typed(generated: Generated, as_variables: bool) -> None:
        schema, document = generated.schema, generated.document
        document = select_user_errors(schema, target_global_ids(schema, document, NODE_TYPES))
        variables: dict = {}
        if as_variables:
            document, variables = lift_arguments(schema, document)
        query = graphql.print_ast(document)
        note(f"query:\n{query}\nvariables: {json.dumps(variables, ensure_ascii=False)}")
        response = http.post("/graphql", json={"query": query, "variables": variables},
                             headers={"Authorization": f"Bearer {credential}"})
        problems = problems_in_answer(response)
        problems += [f"server log: {entry}" for entry in unexpected_log_entries(server.new_output())]
        assert not problems, f"{problems}\nanswer: {response.text[:3000]}"

    answers_are_typed()


@pytest.mark.parametrize("caller", CALLERS)
def test_generated_queries_answer_with_typed_errors(
    database: Backend, server: LiveServer, http: httpx.Client, callers: dict[str, str],
    views: dict[str, graphql.GraphQLSchema], caller: str,
) -> None:
    operations = query_documents(views[caller]) | query_documents(SCHEMA)
    _fuzz(server, http, callers[caller], operations, database.examples(QUERY_EXAMPLES), f"queries:{caller}")


@pytest.mark.parametrize("caller", CALLERS)
def test_generated_mutations_answer_with_typed_errors(
    database: Backend, server: LiveServer, http: httpx.Client, callers: dict[str, str],
    views: dict[str, graphql.GraphQLSchema], caller: str,
) -> None:
    own = mutation_documents(views[caller])
    everything = mutation_documents(SCHEMA)
    assert everything is not None
    operations = everything if own is None else own | everything
    _fuzz(server, http, callers[caller], operations, database.examples(MUTATION_EXAMPLES), f"mutations:{caller}")


@pytest.mark.parametrize("caller", ["staff", "distributor-main-account"])
def test_invalid_operations_answer_bad_user_input(
    database: Backend, server: LiveServer, http: httpx.Client, callers: dict[str, str], caller: str,
) -> None:
    # Documents with exactly one violation of the schema, sent as generated: a wrong literal is
    # the violation itself, and a variable of the argument's declared type would not keep it.
    operations = _from(SCHEMA, from_schema(SCHEMA, mode=Mode.NEGATIVE, **GENERATION))
    _fuzz(server, http, callers[caller], operations, database.examples(INVALID_EXAMPLES), f"invalid:{caller}",
          variables_too=False)


INCENTIVE_MUTATIONS = sorted(name for name in SCHEMA.mutation_type.fields  # type: ignore[union-attr]
                             if name.startswith(("incentive", "settlement", "yanxuan")))
INCENTIVE_CALLERS = ["provider-main-account", "finance-staff", "staff"]  # the partner, finance and operations
INCENTIVE_EXAMPLES = 3


@pytest.mark.parametrize("mutation", INCENTIVE_MUTATIONS)
def test_generated_incentive_mutations_answer_with_typed_errors(
    database: Backend, server: LiveServer, http: httpx.Client, callers: dict[str, str], mutation: str,
) -> None:
    # Money moves here: every incentive mutation is sent on purpose, by each side of the flow.
    operations = _from(SCHEMA, mutations(SCHEMA, fields=[mutation], **GENERATION))
    for caller in INCENTIVE_CALLERS:
        _fuzz(server, http, callers[caller], operations, database.examples(INCENTIVE_EXAMPLES), f"{mutation}:{caller}")


def test_the_incentive_mutations_were_reached(http: httpx.Client, callers: dict[str, str]) -> None:
    # Each left an audit record (applied, refused or denied): the operations got past validation
    # to the permission check or the service.
    missing = []
    for action in INCENTIVE_MUTATIONS:
        answer = http.post("/graphql", headers={"Authorization": f"Bearer {callers['staff']}"}, json={
            "query": "query($a: String) { auditRecords(first: 1, filter: {action: $a}) { totalCount } }", "variables": {"a": action}})
        if not answer.json()["data"]["auditRecords"]["totalCount"]:
            missing.append(action)
    assert len(INCENTIVE_MUTATIONS) == 15 and not missing, missing


def test_queries_after_the_mutations_still_answer_with_typed_errors(
    database: Backend, server: LiveServer, http: httpx.Client, callers: dict[str, str], views: dict[str, graphql.GraphQLSchema],
) -> None:
    # The mutations above changed rows (statuses, balances, members, roles); read them back.
    caller = "distributor-main-account"
    _fuzz(server, http, callers[caller], query_documents(views[caller]), database.examples(QUERY_EXAMPLES),
          f"queries-after:{caller}")


def test_the_server_logged_no_unexpected_error(server: LiveServer) -> None:
    output = server.output()
    assert server.process.poll() is None, f"the server stopped:\n{output[-5000:]}"
    assert not unexpected_log_entries(output), unexpected_log_entries(output)[:5]
