"""The fields the compiled read path does not cover (schema/compiled/coverage.py), printed, and
kept from growing: a field that falls back makes every query selecting it run on the standard
executor. A field added without its SQL must be named in fallbacks.txt, on purpose; a field that
gains its SQL leaves the file, so the list stays exact."""

from __future__ import annotations

from pathlib import Path

from models.members import Account, AccountKind, StaffRole
from resolvers.permissions.catalog import BY_CODE
from resolvers.principal import Principal
from schema.build import schema
from schema.compiled.coverage import fallbacks

LISTED = Path(__file__).with_name("fallbacks.txt")
EVERYTHING = Principal(
    account_id=0, account_name="coverage", kind=AccountKind.STAFF, partner_id=None, identities=frozenset(),
    roles=(), staff_role=StaffRole.OPERATIONS, permissions=frozenset(BY_CODE),
)


async def test_the_fields_that_fall_back_are_the_listed_ones(demo_db) -> None:
    found = fallbacks(schema, EVERYTHING, Account._meta.db.capabilities.dialect)
    print("\n".join(f"{field}: {reason}" for field, reason in found.items()))
    listed = {line.split(" ", 1)[0] for line in LISTED.read_text().splitlines() if line and not line.startswith("#")}
    grown = sorted(set(found) - listed)
    assert not grown, f"newly falling back (give them their SQL, or list them in {LISTED.name}): {grown}"
    gone = sorted(listed - set(found))
    assert not gone, f"compiled now: remove them from {LISTED.name}: {gone}"
