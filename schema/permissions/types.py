"""The permission catalog, readable by UIs (`permissionCatalog`)."""

from __future__ import annotations

import strawberry

from resolvers.permissions.catalog import CATALOG, PermissionSpec
from resolvers.permissions.effective import assignable_to_custom_roles
from schema.enums import IdentityGroup, PartnerIdentity, StaffRole
from schema.permissions.directive import PUBLIC, Permission


@strawberry.type(description="One permission of the catalog and who gets it.", directives=[PUBLIC])
class PermissionInfo:
    code: str = strawberry.field(description="The permission code, e.g. `account.balance.view`.")
    permission: Permission = strawberry.field(description="The same permission as an enum value (as `@requires` names it).")
    description: str = strawberry.field(description="What it allows.")
    default_for: list[IdentityGroup] = strawberry.field(description="Identity groups whose every role holds it.")
    assignable_to: list[PartnerIdentity] = strawberry.field(description="Identities whose roles may be granted it.")
    admin_only: bool = strawberry.field(description="Held only by the main account and SYSTEM_ADMIN; never by custom roles.")
    staff_roles: list[StaffRole] = strawberry.field(description="Platform staff roles that hold it.")
    provider_item: str | None = strawberry.field(description="The provider's own permission item, for correlation.")
    assignable_by_you: bool = strawberry.field(description="Whether your partner may put it into a custom role.")

    @classmethod
    def of(cls, spec: PermissionSpec, assignable: frozenset[str]) -> PermissionInfo:
        return cls(
            code=spec.code, permission=Permission(spec.code), description=spec.description,
            default_for=sorted(spec.default_for), assignable_to=sorted(spec.assignable_to),
            admin_only=spec.admin_only, staff_roles=sorted(spec.staff_roles), provider_item=spec.provider_item,
            assignable_by_you=spec.code in assignable,
        )


def catalog_for(identities) -> list[PermissionInfo]:
    assignable = assignable_to_custom_roles(identities)
    return [PermissionInfo.of(spec, assignable) for spec in CATALOG]
