"""Personal data (e-mail, mobile) as a caller may see it: the one rule, applied wherever an account is shown.

In full to the person itself, and to members of its own partner who may view profiles
(`partner.profile.view`); masked for everyone else, staff included.
"""

from __future__ import annotations

from typing import Any

from resolvers.permissions.catalog import Permission
from resolvers.principal import Principal


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def mask_mobile(mobile: str) -> str:
    digits = mobile.replace(" ", "")
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) > 7 else "***"


def may_see_contact_details(principal: Principal, account: Any) -> bool:
    """`account`: anything with `id` and `partner_id` (a model or a row-built object)."""
    if account.id == principal.account_id:
        return True
    return (
        principal.partner_id is not None
        and account.partner_id == principal.partner_id
        and principal.has(Permission.PARTNER_PROFILE_VIEW)
    )


def shown_email(principal: Principal, account: Any, email: str) -> str:
    return email if not email or may_see_contact_details(principal, account) else mask_email(email)


def shown_mobile(principal: Principal, account: Any, mobile: str) -> str:
    return mobile if not mobile or may_see_contact_details(principal, account) else mask_mobile(mobile)
