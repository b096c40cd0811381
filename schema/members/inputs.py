"""Account and role inputs: list filters and ordering, role and API-key changes."""

from __future__ import annotations

import strawberry
from strawberry import relay
from tortoise.expressions import Q

from schema.enums import AccountKind, AccountStatus, PresetRole
from schema.filters import FilterInput, criteria
from schema.global_ids import node_id
from schema.permissions.directive import Permission  # registered as a GraphQL enum there
from schema.relay import order_input


@strawberry.input(description="Criteria for member lists; all given criteria must match.")
class MemberFilter(FilterInput):
    status: AccountStatus | None = strawberry.field(default=None, description="Only accounts in this status.")
    kind: AccountKind | None = strawberry.field(default=None, description="Only accounts of this kind.")
    role: PresetRole | None = strawberry.field(default=None, description="Only members holding this preset role.")
    search: str | None = strawberry.field(default=None, description="Name or display name contains this text (case-insensitive).")

    def lookups(self) -> list[Q]:
        found = criteria(status=self.status, kind=self.kind, roles__preset=self.role)
        if self.search:
            found.append(Q(name__icontains=self.search) | Q(display_name__icontains=self.search))
        return found


MemberOrder = order_input(
    "MemberOrder",
    "How to order member lists.",
    {
        "NAME": ("name", "By sign-in name."),
        "DISPLAY_NAME": ("display_name", "By display name."),
        "CREATED_AT": ("created_at", "By creation time."),
    },
    default="NAME",
)


@strawberry.input(description="A new custom role.")
class RoleCreateInput:
    name: str = strawberry.field(description="Unique within your partner; at most 100 characters.")
    description: str | None = strawberry.field(default=None, description="What the role is for; at most 500 characters.")
    permissions: list[Permission] = strawberry.field(description="The permissions it grants: any assignable to your partner's custom roles.")


@strawberry.input(description="Changes to a custom role; omitted fields stay as they are.")
class RoleUpdateInput:
    id: relay.GlobalID = node_id("Role", description="The custom role to change (presets cannot be changed).")
    name: str | None = strawberry.field(default=None, description="A new name.")
    description: str | None = strawberry.field(default=None, description="A new description.")
    permissions: list[Permission] | None = strawberry.field(default=None, description="The new full set of permissions.")


@strawberry.input(description="The custom role to delete; it must have no members.")
class RoleDeleteInput:
    id: relay.GlobalID = node_id("Role", description="The custom role to delete.")


@strawberry.input(description="The roles a member should hold from now on.")
class MemberRolesAssignInput:
    member_id: relay.GlobalID = node_id("Account", description="An organisation or bound member of your partner.")
    role_ids: list[relay.GlobalID] = node_id("Role", description="1 to 3 roles; SYSTEM_ADMIN alone; never ACCOUNT_MANAGER with its supervisor role.")


@strawberry.input(description="A new API key.")
class ApiKeyCreateInput:
    name: str = strawberry.field(description="What the key is for; at most 100 characters.")
    scopes: list[Permission] = strawberry.field(description="What the key may do: a subset of your own permissions.")


@strawberry.input(description="The API key to revoke.")
class ApiKeyRevokeInput:
    id: relay.GlobalID = node_id("ApiKey", description="One of your API keys.")
