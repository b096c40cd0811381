"""No permission in the catalog guards nothing: each one guards a field, an argument's field or a
mutation (its `@requires`), or is checked by name where the schema cannot say it — a service's
`require(...)`, a `principal.has(...)`, a scoped read's staff permission, a download's readers."""

from __future__ import annotations

import re
from pathlib import Path

from resolvers.permissions.catalog import CATALOG, Permission
from schema.build import schema
from schema.permissions.policy import policy_for

ROOT = Path(__file__).resolve().parents[2]
CHECK = re.compile(r"(?:\.has\(|require\(|staff=|readers=\(?)\s*Permission\.([A-Z_]+)")


def guarded_by_the_schema() -> set[str]:
    found: set[str] = set()
    for decision in policy_for(schema._schema).fields.values():
        found |= set(decision.any_of)
    return found


def checked_in_code() -> set[str]:
    found: set[str] = set()
    for folder in ("resolvers", "schema", "gateway"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name == "catalog.py":
                continue
            found |= {Permission[name].value for name in CHECK.findall(path.read_text())}
    return found


def test_every_permission_guards_something() -> None:
    used = guarded_by_the_schema() | checked_in_code()
    assert [spec.code.value for spec in CATALOG if spec.code.value not in used] == []


def test_the_checks_in_code_are_real_permissions() -> None:
    # A typo in `Permission.X` would fail at import; this checks the scan finds the checks at all.
    assert {"certificate.download", "partner.profile.view", "partner.all.view"} <= checked_in_code()
