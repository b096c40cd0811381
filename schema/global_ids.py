"""Global IDs: one decoder, one behaviour per place that takes them.

A global ID is `base64("<Type>:<id>")`. Every place that turns one back into a row id goes through
`row_id`; what a wrong one means depends on where it arrived:

- `node(id:)` / `nodes(ids:)`: an ID that names no row of a readable type is NOT_FOUND, like a row
  that does not exist or is not yours (schema/query.py, ModelNode.resolve_nodes);
- a filter argument: the caller asked a malformed question, BAD_USER_INPUT naming the argument
  (schema/filters.py);
- a mutation input: the referenced object does not exist for the caller, a NOT_FOUND user error at
  the input field's path (schema/mutations.py, before any transaction starts).

Input fields that take an ID say which type it must name with `node_id("CouponQuota", ...)`, so the
mutation declaration can decode them all without a line of code per field.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry import relay

# Primary keys are 32-bit: a larger number names no row (and must not reach the driver).
MAX_PK = 2**31 - 1
NODE_TYPE = "gateway.node_type"


class WrongGlobalId(ValueError):
    """The ID does not name a row of the expected type."""

    def __init__(self, expected: str) -> None:
        super().__init__(f"Not the ID of a {expected}.")
        self.expected = expected


def row_id(node_id: str) -> int | None:
    """The row id in a global ID's node part; None if it cannot name a row."""
    # Digits only, ASCII only: int() would also take " 8", "+8" and "٨", several spellings of one ID.
    if not (node_id.isascii() and node_id.isdigit()):
        return None
    pk = int(node_id)
    return pk if 0 < pk <= MAX_PK else None


def expect(global_id: relay.GlobalID, type_name: str) -> int:
    """The row id of a global ID that must name a `type_name`; WrongGlobalId otherwise."""
    pk = row_id(global_id.node_id) if global_id.type_name == type_name else None
    if pk is None:
        raise WrongGlobalId(type_name)
    return pk


def parse(raw: str) -> relay.GlobalID | None:
    """A global ID as text (a URL, a variable); None if it is not one."""
    try:
        return relay.GlobalID.from_id(raw)
    except Exception:  # strawberry raises GlobalIDValueError, binascii and Unicode errors
        return None


def argument_pk(raw: str, type_name: str) -> int | None:
    """The row id an ID argument names, if it is the global ID of a `type_name`; None otherwise."""
    global_id = parse(raw)
    try:
        return expect(global_id, type_name) if global_id is not None else None
    except WrongGlobalId:
        return None


def node_id(type_name: str, *, description: str, **kwargs: Any) -> Any:
    """An input field holding the global ID of a `type_name` (or a list of them)."""
    return strawberry.field(description=description, metadata={NODE_TYPE: type_name}, **kwargs)
