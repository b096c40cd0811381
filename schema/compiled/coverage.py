"""Which fields the compiler does not cover: each makes an operation that selects it run on the
standard executor. Found by compiling, not by a second list: every root field alone, then every
field of every type the covered roots reach, one at a time, under the first path that reaches it.
tests/compiled/test_fallbacks.py prints it and keeps it from growing.
"""

from __future__ import annotations

from graphql import GraphQLEnumType, GraphQLObjectType, GraphQLScalarType, get_named_type, get_operation_ast, parse
from graphql.execution.values import get_variable_values

from resolvers.principal import Principal
from schema.compiled.compiler import Compiler, Fallback

# Root fields whose arguments are required, with values that find something.
_ARGUMENTS = {"node": '(id: "UGFydG5lcjox")', "nodes": '(ids: ["UGFydG5lcjox"])'}  # Partner:1


def _selection(gql_type: GraphQLObjectType, name: str) -> str:
    if gql_type.name == "Query" and name in _ARGUMENTS:
        return f"{name}{_ARGUMENTS[name]} {{ __typename }}"
    field = gql_type.fields[name]
    named = get_named_type(field.type)
    if isinstance(named, (GraphQLScalarType, GraphQLEnumType)):
        return name
    if isinstance(named, GraphQLObjectType) and "nodes" in named.fields and "pageInfo" in named.fields:
        return f"{name}(first: 1) {{ __typename }}"
    return f"{name} {{ __typename }}"


def _compiles(schema: object, document: str, principal: Principal, dialect: str) -> str | None:
    """None when `document` compiles; else why not."""
    parsed = parse(document)
    operation = get_operation_ast(parsed)
    assert operation is not None
    variables = get_variable_values(schema._schema, (), {})  # type: ignore[attr-defined]
    assert not isinstance(variables, list)
    try:
        plan = Compiler(schema, parsed, operation, variables, principal, dialect).compile(parsed)
    except Fallback as reason:
        return str(reason)
    except Exception as exc:  # arguments the probe cannot supply, and the like
        return f"{type(exc).__name__}: {exc}"
    return next(iter(plan.fallback.values()), None)


def fallbacks(schema: object, principal: Principal, dialect: str) -> dict[str, str]:
    """`Type.field` -> why it falls back, for root fields and the fields of every reachable type."""
    gql = schema._schema  # type: ignore[attr-defined]
    root = gql.query_type
    found: dict[str, str] = {}
    paths: dict[str, str] = {}  # type name -> a document template with `%s` where its fields go
    queue: list[str] = []
    for name in sorted(root.fields):
        if name.startswith("__"):
            continue
        reason = _compiles(schema, "{ " + _selection(root, name) + " }", principal, dialect)
        if reason is not None:
            found[f"Query.{name}"] = reason
            continue
        named = get_named_type(root.fields[name].type)
        if isinstance(named, GraphQLObjectType):
            template = "{ " + _nested(named, name, "%s") + " }"
            _reach(named, template, paths, queue)
    while queue:
        type_name = queue.pop(0)
        gql_type = gql.type_map[type_name]
        template = paths[type_name]
        for name in sorted(gql_type.fields):
            if name in ("id", "__typename"):
                continue
            reason = _compiles(schema, template.replace("%s", _selection(gql_type, name)), principal, dialect)
            if reason is not None:
                found[f"{type_name}.{name}"] = reason
                continue
            named = get_named_type(gql_type.fields[name].type)
            if isinstance(named, GraphQLObjectType):
                _reach(named, template.replace("%s", _nested(named, name, "%s")), paths, queue)
    return dict(sorted(found.items()))


def _nested(named: GraphQLObjectType, name: str, inner: str) -> str:
    if "nodes" in named.fields and "pageInfo" in named.fields:
        return f"{name}(first: 1) {{ nodes {{ {inner} }} }}"
    return f"{name} {{ {inner} }}"


def _reach(named: GraphQLObjectType, template: str, paths: dict[str, str], queue: list[str]) -> None:
    if "nodes" in named.fields and "pageInfo" in named.fields:
        node_type = get_named_type(named.fields["nodes"].type)
        named = node_type
    if named.name in paths or named.name in ("Money", "PageInfo"):
        return
    paths[named.name] = template
    queue.append(named.name)
