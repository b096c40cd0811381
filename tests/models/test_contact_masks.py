"""The masking rule in SQL answers what the Python rule answers, and the masked copies the database
keeps beside each account's contact details (models/contact_masks.py) are always that answer: after
an insert, an update through the ORM or by hand, a bulk insert, and a write to a copy itself; on
both databases, for the awkward values too."""

from __future__ import annotations

import uuid

import pytest

from models.contact_masks import ensure_contact_masks, mask_email, mask_email_sql, mask_mobile, mask_mobile_sql, trigger_names
from models.members import Account, AccountKind

EMAILS = ["ann@example.com", "@example.com", "ann@", "@", "", "no-at-sign", "a@b@c", "@@", "a@@", "é@ü.de",
          "ñandú@correo.es", "x@y@", "%_@x", "a b@c d", "'@\"", "a\\@b"]
MOBILES = ["13812345678", "138 1234 5678", "1234567", "12345678", "", "  ", "+86 138 0000 1111", "汉字12345678"]


@pytest.mark.parametrize(("rule", "sql", "values"), [(mask_email, mask_email_sql, EMAILS), (mask_mobile, mask_mobile_sql, MOBILES)])
async def test_the_sql_rule_answers_as_the_python_rule(demo_db: dict[str, int], rule, sql, values: list[str]) -> None:
    client = Account._meta.db
    dialect = client.capabilities.dialect
    # The expression names the value several times: one numbered parameter.
    expression = sql(dialect, "CAST($1 AS text)" if dialect == "postgres" else "?1")
    for value in values:
        [[answer]] = (await client.execute_query(f"SELECT {expression}", [value]))[1]
        assert answer == rule(value), (dialect, value)


def _pairs() -> list[tuple[str, str]]:
    mobiles = MOBILES * (len(EMAILS) // len(MOBILES) + 1)
    return list(zip(EMAILS, mobiles, strict=False))


async def _stored(ids: list[int]) -> dict[int, tuple[str, str, str, str]]:
    rows = await Account.filter(id__in=ids).values_list("id", "email", "email_masked", "mobile", "mobile_masked")
    return {row[0]: row[1:] for row in rows}


def _check(stored: dict[int, tuple[str, str, str, str]]) -> None:
    for email, email_masked, mobile, mobile_masked in stored.values():
        assert (email_masked, mobile_masked) == (mask_email(email), mask_mobile(mobile)), (email, mobile)


async def test_the_stored_copies_follow_every_write(demo_db: dict[str, int]) -> None:
    tag = uuid.uuid4().hex[:8]
    created = [await Account.create(name=f"mask.{tag}.{i}", display_name="Mask", kind=AccountKind.PERSONAL,
                                    email=email, mobile=mobile) for i, (email, mobile) in enumerate(_pairs())]
    ids = [a.id for a in created]
    try:
        _check(await _stored(ids))
        # The ORM's save() writes every column, the copies' stale in-memory values included.
        for account, (email, mobile) in zip(created, reversed(_pairs()), strict=False):
            account.email, account.mobile = email, mobile
            await account.save()
        _check(await _stored(ids))
        # A queryset update, by hand, and a write to a copy itself.
        await Account.filter(id=ids[0]).update(email="someone@else.example")
        client = Account._meta.db
        placeholder = "$1" if client.capabilities.dialect == "postgres" else "?"
        await client.execute_query(f"UPDATE account SET mobile = '139 0000 1234' WHERE id = {placeholder}", [ids[1]])
        await client.execute_query(f"UPDATE account SET email_masked = 'leaked@example.com', mobile_masked = '' "
                                   f"WHERE id = {placeholder}", [ids[2]])
        stored = await _stored(ids)
        _check(stored)
        assert stored[ids[0]][1] == "s***@else.example" and stored[ids[1]][3] == "139****1234"
        await Account.bulk_create([Account(name=f"mask.{tag}.bulk{i}", display_name="Mask", kind=AccountKind.PERSONAL,
                                           email=email, mobile=mobile) for i, (email, mobile) in enumerate(_pairs())])
        bulk = await Account.filter(name__startswith=f"mask.{tag}.bulk").values_list("id", flat=True)
        ids += list(bulk)
        assert len(bulk) == len(_pairs())
        _check(await _stored(ids))
    finally:
        await Account.filter(name__startswith=f"mask.{tag}.").delete()


async def test_the_triggers_are_there_and_put_back_when_missing(demo_db: dict[str, int]) -> None:
    client = Account._meta.db
    dialect = client.capabilities.dialect
    catalogue = ("SELECT tgname AS name FROM pg_trigger WHERE tgname LIKE 'account_contact_masks%' AND NOT tgisinternal"
                 if dialect == "postgres" else
                 "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'account_contact_masks%'")
    assert {r["name"] for r in await client.execute_query_dict(catalogue)} == trigger_names(dialect)
    account = await Account.create(name=f"mask.{uuid.uuid4().hex[:8]}", display_name="Mask", kind=AccountKind.PERSONAL,
                                   email="before@example.com")
    try:
        # As a SQLite table rebuild leaves it: no triggers, and a copy out of date.
        for name in trigger_names(dialect):
            await client.execute_script(f"DROP TRIGGER {name} ON account" if dialect == "postgres" else f"DROP TRIGGER {name}")
        await Account.filter(id=account.id).update(email="after@example.com")
        assert (await Account.get(id=account.id)).email_masked == "b***@example.com"
        await ensure_contact_masks(client)
        assert {r["name"] for r in await client.execute_query_dict(catalogue)} == trigger_names(dialect)
        assert (await Account.get(id=account.id)).email_masked == "a***@example.com"
    finally:
        await ensure_contact_masks(client)
        await Account.filter(id=account.id).delete()
