"""Accounts (people) and roles."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from models import api_keys as api_keys_m
from models import members as m
from models.partners import PartnerIdentity
from resolvers.loaders import roles_by_account
from resolvers.members.masking import shown_contact_sql, shown_email, shown_mobile
from resolvers.members.queries import readable_accounts, readable_api_keys, readable_roles
from resolvers.partners.queries import readable_partners
from resolvers.permissions.effective import preset_grants
from resolvers.principal import Principal
from schema.enums import AccountKind, AccountStatus, PresetRole, StaffRole
from schema.permissions.directive import PUBLIC, Permission, permission_values
from schema.relay import ModelNode, related_field
from schema.row_fields import row_attribute
from schema.selection import reads
from schema.sql_values import sql_value

if TYPE_CHECKING:
    from schema.partners.types import Partner

PartnerRef = Annotated["Partner", strawberry.lazy("schema.partners.types")]

# What a preset grants for a partner of any identity; a partner's own identities narrow it further.
_PRESET_GRANTS = {preset: permission_values(preset_grants(preset, PartnerIdentity)) for preset in m.PresetRole}


@strawberry.type(description="A role: a preset (see `preset`) or one of the partner's custom roles.", directives=[PUBLIC])
class Role(ModelNode):
    model = m.Role
    readable = readable_roles

    name: str = strawberry.field(description="The role's name.")
    description: str = strawberry.field(description="What the role is for.")
    preset: PresetRole | None = strawberry.field(description="Which preset this is; null for a custom role.")

    @strawberry.field(description="The permissions this role grants beyond the defaults every role has, sorted by code. "
                                  "A preset's are listed before they are limited to what a partner's identities allow; "
                                  "SYSTEM_ADMIN's are every permission a partner role can hold, defaults included.",
                      metadata=reads("preset", "permissions"))
    def grants(self, root: strawberry.Parent[m.Role]) -> list[Permission]:
        if root.preset is None:
            return permission_values(root.permissions)
        return list(_PRESET_GRANTS[root.preset])


@strawberry.type(description="A person's account: a partner's main account or member, a personal account, or staff.", directives=[PUBLIC])
class Account(ModelNode):
    model = m.Account
    readable = readable_accounts

    name: str = strawberry.field(description="The sign-in name; immutable.")
    display_name: str = strawberry.field(description="The name shown to others.")
    kind: AccountKind = strawberry.field(description="What kind of account this is.")
    status: AccountStatus = strawberry.field(description="Whether the account may sign in.")
    staff_role: StaffRole | None = strawberry.field(description="The staff role, for platform staff.")
    created_at: datetime = strawberry.field(description="When the account was created (UTC).")

    @classmethod
    def row_builder(cls, principal: Principal) -> Callable[[dict[str, Any]], Account]:
        """Contact details are masked here, once per row: on a built row `email` and `mobile` are
        plain attributes (schema/row_fields.py), the resolvers below serve models."""
        build = super().row_builder(principal)

        def masked(row: dict[str, Any]) -> Account:
            account = build(row)
            if "email" in row:
                row["email"] = shown_email(principal, account, row["email"])
            if "mobile" in row:
                row["mobile"] = shown_mobile(principal, account, row["mobile"])
            return account

        return masked

    @strawberry.field(description="E-mail address; masked unless it is your own or you may view your partner's profiles.",
                      metadata={**reads("email", "partner_id"), **row_attribute("email"), **sql_value(
                          lambda row: shown_contact_sql(row, "email"))})
    def email(self, root: strawberry.Parent[m.Account], info: strawberry.Info) -> str:
        return shown_email(info.context.principal, root, root.email)

    @strawberry.field(description="Mobile number; masked unless it is your own or you may view your partner's profiles.", metadata={**reads("mobile", "partner_id"), **row_attribute("mobile"), **sql_value(
                          lambda row: shown_contact_sql(row, "mobile"))})
    def mobile(self, root: strawberry.Parent[m.Account], info: strawberry.Info) -> str:
        return shown_mobile(info.context.principal, root, root.mobile)

    partner = related_field(PartnerRef, readable_partners, "partner_id", description="The partner this account belongs to; null for personal accounts and staff.")

    supervisor = related_field(Annotated["Account", strawberry.lazy("schema.members.types")], readable_accounts, "supervisor_id", description="The account manager supervisor of this account, if any.")

    @strawberry.field(description="The 1–3 roles this member holds (main accounts and staff hold none).", metadata=reads("id"))
    async def roles(self, root: strawberry.Parent[m.Account], info: strawberry.Info) -> list[Role]:
        return await info.context.batch("roles_by_account", roles_by_account).load(root.id)


def _key_scopes(root: strawberry.Parent[api_keys_m.ApiKey]) -> list[Permission]:
    return permission_values(root.scopes)


@strawberry.type(description="An API key for a partner-built tool: acts as its account, limited to its scopes.", directives=[PUBLIC])
class ApiKey(ModelNode):
    model = api_keys_m.ApiKey
    readable = readable_api_keys

    name: str = strawberry.field(description="What the key is for.")
    prefix: str = strawberry.field(description="The visible start of the key (`pgk_<prefix>_…`), to tell keys apart.")
    scopes: list[Permission] = strawberry.field(
        resolver=_key_scopes, metadata=reads("scopes"),
        description="The permissions the key may use (never more than its account holds), sorted by code.")
    created_at: datetime = strawberry.field(description="When the key was created.")
    last_used_at: datetime | None = strawberry.field(description="When the key last authenticated a request.")
    revoked_at: datetime | None = strawberry.field(description="When the key was revoked; null while it works.")
