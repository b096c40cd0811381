"""Personal data (e-mail, mobile) as a caller may see it: the one rule, applied wherever an account is shown.

In full to the person itself, and to members of its own partner who may view profiles
(`partner.profile.view`); masked for everyone else, staff included.
"""

from __future__ import annotations

from typing import Any

from models.contact_masks import mask_email, mask_mobile, masked_copy
from resolvers.permissions.catalog import Permission
from resolvers.principal import Principal


def may_see_contact_details(principal: Principal, account: Any) -> bool:
    """`account`: anything with `id` and `partner_id` (a model or a row-built object)."""
    if account.id == principal.account_id:
        return True
    return (
        principal.partner_id is not None
        and account.partner_id == principal.partner_id
        and principal.has(Permission.PARTNER_PROFILE_VIEW)
    )


def may_see_contact_details_sql(principal: Principal, account_id: str, partner_id: str, bind: Any) -> str:
    """`may_see_contact_details` in SQL, on the row's `account_id` and `partner_id` expressions;
    `bind` turns the caller's values into parameters."""
    own = f"{account_id} = {bind(principal.account_id)}"
    if principal.partner_id is None or not principal.has(Permission.PARTNER_PROFILE_VIEW):
        return own
    return f"({own} OR {partner_id} = {bind(principal.partner_id)})"


def shown_contact_sql(row: Any, column: str) -> str:
    """`shown_email` and `shown_mobile` in SQL, on a compiled row's `column` (`email`, `mobile`) and
    its stored masked copy (models/contact_masks.py: the mask of the value, kept by the database).
    `row` is schema/sql_values.RowSql: the caller, the row's columns, parameters."""
    value = row.column(column)
    may_see = may_see_contact_details_sql(row.principal, row.column("id"), row.column("partner_id"), row.bind)
    return f"CASE WHEN {value} = '' OR {may_see} THEN {value} ELSE {row.column(masked_copy(column))} END"


def shown_email(principal: Principal, account: Any, email: str) -> str:
    return email if not email or may_see_contact_details(principal, account) else mask_email(email)


def shown_mobile(principal: Principal, account: Any, mobile: str) -> str:
    return mobile if not mobile or may_see_contact_details(principal, account) else mask_mobile(mobile)
