"""Personal data (e-mail, mobile) as a caller may see it: the one rule, applied wherever an account is shown.

In full to the person itself, and to members of its own partner who may view profiles
(`partner.profile.view`); masked for everyone else, staff included.
"""

from __future__ import annotations

from typing import Any

from models.contact_masks import mask_email, mask_mobile
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


def shown_contact_sql(principal: Principal, value: str, masked: str, account_id: str, partner_id: str, bind: Any) -> str:
    """`shown_email` and `shown_mobile` in SQL, on the row's `value` and its stored `masked` copy
    (models/contact_masks.py: the mask of the value, kept by the database)."""
    return (f"CASE WHEN {value} = '' OR {may_see_contact_details_sql(principal, account_id, partner_id, bind)} "
            f"THEN {value} ELSE {masked} END")


def shown_email(principal: Principal, account: Any, email: str) -> str:
    return email if not email or may_see_contact_details(principal, account) else mask_email(email)


def shown_mobile(principal: Principal, account: Any, mobile: str) -> str:
    return mobile if not mobile or may_see_contact_details(principal, account) else mask_mobile(mobile)
