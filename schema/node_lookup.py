"""What `node(id:)` and `nodes(ids:)` look up, decided once for both read paths: the resolvers
(schema/query.py) and the compiled reads (schema/compiled/compiler.py) ask the same questions, in
the same order, and answer the same errors."""

from __future__ import annotations

from typing import Any

from strawberry import relay

from resolvers.errors import BadUserInput, Forbidden, NotFound
from resolvers.principal import Principal
from schema.global_ids import parse
from schema.permissions.policy import policy_for
from schema.relay import ModelNode

MAX_NODES = 100
# Field metadata: the root field looks nodes up by global ID (one: `node`; many: `nodes`).
NODE_LOOKUP = "gateway_node_lookup"


def node_lookup(kind: str) -> dict[str, str]:
    return {NODE_LOOKUP: kind}


def _parse(raw: str) -> relay.GlobalID:
    if (global_id := parse(raw)) is None:
        raise BadUserInput(f"`{raw}` is not a valid ID.")
    return global_id


def node_target(schema: Any, raw: str, principal: Principal) -> tuple[type[ModelNode], str, str]:
    """The node type a global ID names, its GraphQL name and the ID's node part, if the caller may fetch that type at all;
    else the error `node` answers (checked before any lookup, so it says nothing about whether the
    object exists)."""
    global_id = _parse(raw)
    type_def = schema.get_type_by_name(global_id.type_name)
    origin = getattr(type_def, "origin", None)
    if not (isinstance(origin, type) and issubclass(origin, ModelNode)):
        raise NotFound(f"No node with ID `{raw}`.")
    policy = policy_for(schema._schema)
    if not policy.may_fetch(global_id.type_name, principal.permissions):
        needed = policy.needed_to_fetch(global_id.type_name, principal.permissions)
        if not needed:
            raise Forbidden(f"You may not read a {global_id.type_name}.")
        names = " and ".join(f"`{code}`" for code in needed)
        raise Forbidden(f"You need the permission{'s' if len(needed) > 1 else ''} {names} to read a {global_id.type_name}.",
                        permission=needed[-1], permissions=list(needed))
    return origin, global_id.type_name, global_id.node_id


def check_count(ids: list[Any]) -> None:
    if len(ids) > MAX_NODES:
        raise BadUserInput(f"At most {MAX_NODES} IDs per call.", argument="ids")
