"""Argument values for generated operations: the custom scalars, strings and global IDs.

Mostly valid values (so the operations get past coercion into the services), sometimes
invalid ones (so coercion and validation failures are exercised too).

Most global IDs are generated as placeholders with a small primary key; `documents.py`
points them at the object type their argument names once the whole document exists, so a
fair share of them name real rows of the demo data.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import graphql
from hypothesis import strategies as st
from hypothesis_graphql import nodes

from tests.graphql import gid

PLACEHOLDER = "?"
# The demo data has at most a few dozen rows of a type; small primary keys hit real rows.
MAX_DEMO_PK = 40


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


VALID_DECIMALS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000000"), places=2, allow_nan=False)
ODD_DECIMALS = st.sampled_from([
    "0", "-0", "-1", "-0.01", "0.001", "1.005", "1e-7", "1E+2", "1e999999", "-1e999999",
    "999999999999999999999999999999.99", "NaN", "-NaN", "sNaN", "Infinity", "-Infinity",
    "", " ", "1,000.00", "abc", "0x10", "１００",
])
# one_of picks its branches evenly: a branch listed twice is drawn twice as often.
DECIMAL = st.one_of(
    VALID_DECIMALS.map(str).map(nodes.String),
    VALID_DECIMALS.map(str).map(nodes.String),
    ODD_DECIMALS.map(nodes.String),
    st.integers(min_value=-(2**31), max_value=2**31 - 1).map(nodes.Int),
    st.floats(allow_nan=False, allow_infinity=False).map(nodes.Float),
)

AROUND_NOW = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC),
)
ODD_DATETIMES = st.one_of(
    st.datetimes(timezones=st.just(UTC)).map(datetime.isoformat),
    # Offsets at the edges of the calendar overflow when converted to UTC.
    st.sampled_from([
        "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2025-06-01",
        "2025-06-01T12:00:00", "2025-02-30T00:00:00Z", "2025-06-01T25:00:00Z", "1970-01-01T00:00:00Z",
        "2025-06-01T12:00:00.123456789Z", "", "now", "1717243200", "2025-W23", "T12:00",
    ]),
    st.timezones(no_cache=True).flatmap(
        lambda zone: st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(zone))
    ).map(datetime.isoformat),
)
DATETIME = st.one_of(
    AROUND_NOW.map(datetime.isoformat).map(nodes.String),
    AROUND_NOW.map(lambda at: at.astimezone(timezone(timedelta(hours=8))).isoformat()).map(nodes.String),
    ODD_DATETIMES.map(nodes.String),
)

# Shapes the services check (sign-in names, e-mails, mobiles, order ids) beside arbitrary text.
PLAUSIBLE_STRINGS = st.sampled_from([
    "fuzz.member", "fuzz_member-2", "ab", "a" * 101, "Coupon desk", "crm sync", "fuzz@example.com",
    "not-an-email", "+86 138 0000 0000", "13800000000", "12", "ORD-1", "ORD-2", "passed", "failed",
    "Resume accepted", "idem-key-1", "idem-key-2", "123456", "000000", "demo-invitation-alice-7f3a9c",
    "person.alice", "alice@example.com", "distributor.admin", "https://example.com", "x" * 5000,
    "   ", "\t\n", "<script>alert(1)</script>", "'; --", "%s%s%n", "\u202e\u0000", "名字",
])
# Page cursors shaped like real ones (resolvers/pagination.py): version, order tag, key values; the
# tag rarely matches, so most are refused as another order's, the rest page from odd positions.
_CURSOR_VALUES = st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=12), st.just("2026-01-01T00:00:00+00:00"),
                                    st.just("1e999"), st.booleans()), max_size=4)
CURSORS = st.tuples(st.sampled_from([2, 1, "2"]), st.text(alphabet="0123456789abcdef", min_size=12, max_size=12), _CURSOR_VALUES).map(
    lambda parts: base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode())
STRING = st.one_of(
    st.text(max_size=40).map(nodes.String),
    PLAUSIBLE_STRINGS.map(nodes.String),
    CURSORS.map(nodes.String),
)

# Page sizes and counts: mostly within the page limit (so pages are read), sometimes anything.
INT = st.one_of(
    st.integers(min_value=0, max_value=120).map(nodes.Int),
    st.integers(min_value=0, max_value=120).map(nodes.Int),
    st.integers(min_value=-(2**31), max_value=2**31 - 1).map(nodes.Int),
)

SMALL_PK = st.integers(min_value=1, max_value=MAX_DEMO_PK)


def id_values(node_types: list[str]) -> st.SearchStrategy[graphql.ValueNode]:
    malformed = st.one_of(
        st.text(max_size=20),
        st.sampled_from(node_types).map(lambda t: gid(t, "abc")),
        st.sampled_from(node_types).map(lambda t: gid(t, -1)),
        st.sampled_from(node_types).map(lambda t: gid(t, 10**30)),
        st.sampled_from(node_types).map(lambda t: gid(t, "")),
        st.just(gid("NoSuchType", 1)),
        st.just(_b64("no separator")),
        st.just(_b64(":")),
        st.binary(max_size=12).map(lambda raw: base64.b64encode(raw).decode()),
    )
    # Three in six name a row of the type the argument expects (see documents.py).
    return st.one_of(
        SMALL_PK.map(lambda pk: nodes.String(gid(PLACEHOLDER, pk))),
        SMALL_PK.map(lambda pk: nodes.String(gid(PLACEHOLDER, pk))),
        SMALL_PK.map(lambda pk: nodes.String(gid(PLACEHOLDER, pk))),
        st.tuples(st.sampled_from(node_types), SMALL_PK).map(lambda pair: nodes.String(gid(*pair))),
        malformed.map(nodes.String),
        st.integers(min_value=-5, max_value=MAX_DEMO_PK).map(nodes.Int),
    )


def node_type_names(schema: graphql.GraphQLSchema) -> list[str]:
    node = schema.get_type("Node")
    assert isinstance(node, graphql.GraphQLInterfaceType)
    return sorted(t.name for t in schema.get_implementations(node).objects)


def custom_scalars(schema: graphql.GraphQLSchema) -> dict[str, st.SearchStrategy[graphql.ValueNode]]:
    """Strategies for every scalar an input of the schema uses (the built-in String, Int and ID too)."""
    return {
        "Decimal": DECIMAL, "DateTime": DATETIME, "String": STRING, "Int": INT, "ID": id_values(node_type_names(schema)),
    }
