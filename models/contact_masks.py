"""What a masked e-mail address or mobile number looks like, and the masked copies stored beside them.

Who sees contact details in full is authorization (resolvers/members/masking.py); what the others
see is a function of the value alone, so each account row keeps it: `email_masked` and
`mobile_masked`, written by the database itself whenever the row is inserted or updated, whoever
writes it (the ORM, the CLI, a hand-written UPDATE). A compiled read of a page of members then reads
a column instead of computing the mask row by row: on SQLite that computation was a third of the
members page's statement (Q1: 1.32 → 0.9 ms), on PostgreSQL a sixth.

`mask_email` and `mask_mobile` are the rule; `mask_email_sql` and `mask_mobile_sql` are the same rule
in each dialect's SQL, used by the triggers. tests/models/test_contact_masks.py checks the stored
copies equal the Python rule on awkward values, on both databases. Neither dialect's triggers are
declared by a model, and a SQLite migration that rebuilds the table drops them:
`ensure_contact_masks` creates what is missing after every migrate, and fills the copies in then.
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

TABLE = "account"
# (the column masked, its masked copy)
MASKED = (("email", "email_masked"), ("mobile", "mobile_masked"))


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def mask_mobile(mobile: str) -> str:
    digits = mobile.replace(" ", "")
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) > 7 else "***"


def mask_email_sql(dialect: str, email: str) -> str:
    """`mask_email` in SQL, on the expression `email`."""
    if dialect == "postgres":
        at = f"position('@' IN {email})"
        return (f"CASE WHEN {at} > 0 AND {at} < length({email}) "
                f"THEN substr(substr({email}, 1, {at} - 1), 1, 1) || '***@' || substr({email}, {at} + 1) ELSE '***' END")
    # Some '@' followed by a character ⇔ the first one is: a domain; `at > 1` is 0 or 1 characters.
    at = f"instr({email}, '@')"
    return f"CASE WHEN {email} GLOB '*@?*' THEN substr({email}, 1, {at} > 1) || '***@' || substr({email}, {at} + 1) ELSE '***' END"


def mask_mobile_sql(dialect: str, mobile: str) -> str:
    """`mask_mobile` in SQL, on the expression `mobile`."""
    digits = f"replace({mobile}, ' ', '')"
    last_four = f"right({digits}, 4)" if dialect == "postgres" else f"substr({digits}, -4)"
    return f"CASE WHEN length({digits}) > 7 THEN substr({digits}, 1, 3) || '****' || {last_four} ELSE '***' END"


_MASKS = {"email": mask_email_sql, "mobile": mask_mobile_sql}


def masked_copy(column: str) -> str:
    """The column that keeps `column`'s mask."""
    return dict(MASKED)[column]


def _assignments(dialect: str, prefix: str) -> str:
    return ", ".join(f"{copy} = {_MASKS[column](dialect, f'{prefix}{column}')}" for column, copy in MASKED)


def postgres_script() -> str:
    # BEFORE: the row is written with its copies, and a write to a copy itself is undone.
    assignments = "; ".join(f"NEW.{copy} := {_MASKS[column]('postgres', f'NEW.{column}')}" for column, copy in MASKED)
    return (
        f"CREATE OR REPLACE FUNCTION {TABLE}_contact_masks() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN {assignments}; RETURN NEW; END $$;\n"
        f"DROP TRIGGER IF EXISTS {TABLE}_contact_masks ON {TABLE};\n"
        f"CREATE TRIGGER {TABLE}_contact_masks BEFORE INSERT OR UPDATE ON {TABLE} "
        f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_contact_masks();"
    )


def sqlite_statements() -> list[str]:
    # AFTER, by an UPDATE of the row (SQLite triggers cannot assign NEW). Recursive triggers are off,
    # so that UPDATE does not fire the trigger again; it changes no column the principal epoch watches.
    watched = ", ".join(name for pair in MASKED for name in pair)
    fill = f"UPDATE {TABLE} SET {_assignments('sqlite', 'NEW.')} WHERE id = NEW.id"
    return [
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_contact_masks_insert AFTER INSERT ON {TABLE} FOR EACH ROW BEGIN {fill}; END",
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_contact_masks_update AFTER UPDATE OF {watched} ON {TABLE} "
        f"FOR EACH ROW BEGIN {fill}; END",
    ]


def trigger_names(dialect: str) -> set[str]:
    if dialect == "postgres":
        return {f"{TABLE}_contact_masks"}
    return {f"{TABLE}_contact_masks_insert", f"{TABLE}_contact_masks_update"}


async def ensure_contact_masks(client: BaseDBAsyncClient) -> None:
    """The triggers that keep the masked copies, created where missing, and the copies filled in
    then (idempotent; one catalogue read when all is in place)."""
    dialect = client.capabilities.dialect
    if dialect == "postgres":
        found = await client.execute_query_dict(
            f"SELECT tgname AS name FROM pg_trigger WHERE tgname LIKE '{TABLE}_contact_masks%' AND NOT tgisinternal")
    else:
        found = await client.execute_query_dict(
            f"SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '{TABLE}_contact_masks%'")
    if {row["name"] for row in found} == trigger_names(dialect):
        return
    if dialect == "postgres":
        await client.execute_script(postgres_script())  # one simple-protocol script: one transaction
    else:
        for statement in sqlite_statements():
            await client.execute_script(statement)
    await client.execute_query(f"UPDATE {TABLE} SET {_assignments(dialect, '')}")
