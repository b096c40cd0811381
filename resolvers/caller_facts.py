"""Everything a `Principal` is made of, read in one statement per request.

The account, its partner's identities, its roles, the resellers its partner manages and the
account managers it supervises come back as one row: the account's columns and four aggregated
subqueries. The same statement reads the principal epoch (models/principal_epoch.py): a caller
that holds a principal read at epoch N passes N, and while the epoch is still N the statement
returns the epoch alone, so a cached principal is checked, not rebuilt, and a disabled account, a
changed role or a revoked API key still shows on the very next request.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from models.members import Account, AccountKind, AccountStatus, PresetRole, StaffRole
from models.partners import PartnerIdentity
from models.principal_epoch import EPOCH_ROW


@dataclass(frozen=True, slots=True)
class RoleFacts:
    id: int
    preset: PresetRole | None
    name: str
    permissions: list[str]


@dataclass(frozen=True, slots=True)
class ApiKeyFacts:
    id: int
    secret_hash: str
    revoked: bool
    scopes: list[str]


@dataclass(frozen=True, slots=True)
class CallerFacts:
    account_id: int
    name: str
    kind: AccountKind
    status: AccountStatus
    partner_id: int | None
    staff_role: StaffRole | None
    identities: frozenset[PartnerIdentity]
    roles: tuple[RoleFacts, ...]  # ordered by id
    managed_partner_ids: frozenset[int]  # the partner's resellers, whatever its identities
    supervised_ids: frozenset[int]  # accounts whose supervisor this account is
    api_key: ApiKeyFacts | None = None


_AGGREGATES = {
    "postgres": {
        "roles": "json_agg(json_build_array(r.id, r.preset, r.name, r.permissions))",
        "ids": "json_agg(x.id)",
        "param": "$1",
        "known": "$2",
    },
    "sqlite": {
        "roles": "json_group_array(json_array(r.id, r.preset, r.name, json(r.permissions)))",
        "ids": "json_group_array(x.id)",
        "param": "?",
        "known": "?",
    },
}


@functools.cache  # two dialects × three lookups: built once, not per request
def _statement(dialect: str, lookup: str) -> str:
    agg = _AGGREGATES["postgres" if dialect == "postgres" else "sqlite"]
    key_columns, source = "", "account a"
    if lookup == "api_key":
        key_columns = ", k.id AS key_id, k.secret_hash AS key_secret_hash, k.revoked_at AS key_revoked_at, k.scopes AS key_scopes"
        source = "api_key k JOIN account a ON a.id = k.account_id"
    where = {"name": "a.name", "id": "a.id", "api_key": "k.prefix"}[lookup]
    facts = (
        "SELECT a.id, a.name, a.kind, a.status, a.partner_id, a.staff_role, p.identities AS partner_identities, "
        f"(SELECT {agg['roles']} FROM account_role ar JOIN role r ON r.id = ar.role_id WHERE ar.account_id = a.id) AS roles, "
        f"(SELECT {agg['ids']} FROM partner x WHERE x.parent_distributor_id = a.partner_id) AS managed, "
        f"(SELECT {agg['ids']} FROM account x WHERE x.supervisor_id = a.id) AS supervised"
        f"{key_columns} FROM {source} LEFT JOIN partner p ON p.id = a.partner_id WHERE {where} = {agg['param']}"
    )
    # One row whatever happens: the epoch (NULL where the database has none: nothing may be cached)
    # and, unless the epoch is the one the caller already knows, the facts (NULL: no such caller).
    return (
        f"SELECT e.value AS principal_epoch, f.* FROM (SELECT 1 AS one) AS anchor "
        f"LEFT JOIN principal_epoch e ON e.id = {EPOCH_ROW} "
        f"LEFT JOIN ({facts}) AS f ON e.value IS NULL OR e.value <> {agg['known']}"
    )


def _json(value: Any, default: Any) -> Any:
    if value is None:
        return default
    return json.loads(value) if isinstance(value, (str, bytes)) else value


@dataclass(frozen=True, slots=True)
class CallerRead:
    # None: the database keeps no epoch (a schema made without migrations), so nothing is cached.
    epoch: int | None
    # None when the epoch was the one already known (`unchanged`), or when there is no such caller.
    facts: CallerFacts | None
    unchanged: bool


async def read_caller(lookup: str, value: Any, known_epoch: int | None = None) -> CallerRead:
    """The caller found by account `name`, account `id` or API-key `prefix` (lookup "api_key"), unless
    `known_epoch` is still the principal epoch: then only that is known, and nothing changed."""
    db = Account._meta.db
    rows = await db.execute_query_dict(_statement(db.capabilities.dialect, lookup), [value, -1 if known_epoch is None else known_epoch])
    row = rows[0]
    epoch = row["principal_epoch"]
    epoch = int(epoch) if epoch is not None else None
    if known_epoch is not None and epoch == known_epoch:
        return CallerRead(epoch=epoch, facts=None, unchanged=True)
    return CallerRead(epoch=epoch, facts=_facts(row, lookup) if row["id"] is not None else None, unchanged=False)


async def caller_facts(lookup: str, value: Any) -> CallerFacts | None:
    """The caller found by account `name`, account `id` or API-key `prefix` (lookup "api_key")."""
    return (await read_caller(lookup, value)).facts


def _facts(row: dict[str, Any], lookup: str) -> CallerFacts:
    roles = sorted(
        (RoleFacts(id=r[0], preset=PresetRole(r[1]) if r[1] else None, name=r[2], permissions=list(_json(r[3], [])))
         for r in _json(row["roles"], []) if r and r[0] is not None),
        key=lambda r: r.id,
    )
    key = None
    if lookup == "api_key":
        key = ApiKeyFacts(id=row["key_id"], secret_hash=row["key_secret_hash"], revoked=row["key_revoked_at"] is not None,
                          scopes=list(_json(row["key_scopes"], [])))
    return CallerFacts(
        account_id=row["id"],
        name=row["name"],
        kind=AccountKind(row["kind"]),
        status=AccountStatus(row["status"]),
        partner_id=row["partner_id"],
        staff_role=StaffRole(row["staff_role"]) if row["staff_role"] else None,
        identities=frozenset(PartnerIdentity(i) for i in _json(row["partner_identities"], [])),
        roles=tuple(roles),
        managed_partner_ids=frozenset(i for i in _json(row["managed"], []) if i is not None),
        supervised_ids=frozenset(i for i in _json(row["supervised"], []) if i is not None),
        api_key=key,
    )
