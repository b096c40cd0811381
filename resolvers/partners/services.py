"""Changes to partner companies that only platform staff make."""

from __future__ import annotations

from models.partners import Partner
from resolvers.errors import Refusal
from resolvers.errors import UserErrorCode as Code
from resolvers.partners.queries import readable_partners
from resolvers.principal import Principal
from resolvers.validation import Checks

MAX_NAME = 200
RENAME_LOCK = 0x5041_524E  # "PARN": the advisory lock renames take turns on


async def rename(principal: Principal, *, id: int, name: str) -> tuple[Partner, str]:
    """The ecosystem manager renames a partner (the company's registered name changed); the name
    before is answered, and so kept in the audit record's target."""
    checks = Checks()
    new_name = " ".join((checks.text(name, "name", max_length=MAX_NAME) or "").split())
    checks.done()
    partner = await readable_partners.one(principal, id, "partner")
    if new_name == partner.name:
        raise Refusal(Code.INVALID, "That is the partner's name already.", ["name"])
    # Renames take turns (SQLite's writer lock; a transaction lock on PostgreSQL), so two renames to
    # names that differ in case cannot both pass the check. Names compare case-folded in Python: the
    # databases fold case differently (SQLite only ASCII).
    database = Partner._meta.db
    if database.capabilities.dialect == "postgres":
        await database.execute_query("SELECT pg_advisory_xact_lock($1)", [RENAME_LOCK])
    folded = new_name.casefold()
    others = await Partner.exclude(id=partner.id).values_list("name", flat=True)
    if any(str(other).casefold() == folded for other in others):
        raise Refusal(Code.CONFLICT, "Another partner has this name.", ["name"])
    await Partner.filter(id=partner.id).update(name=new_name)
    return await Partner.get(id=partner.id), partner.name
