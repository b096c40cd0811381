"""Role management and API keys."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay

from models import api_keys as m
from resolvers.members import services
from resolvers.members.queries import readable_api_keys
from schema.members.types import Account, Role
from schema.mutations import UserError, mutation_pk, run_mutation
from schema.permissions.directive import PUBLIC, Permission, permission_field
from resolvers.permissions.effective import assignable_to_custom_roles
from schema.relay import ModelNode
from resolvers.permissions.catalog import Permission


@strawberry.type(description="An API key for a partner-built tool: acts as its account, limited to its scopes.", directives=[PUBLIC])
class ApiKey(ModelNode):
    model = m.ApiKey
    readable = staticmethod(readable_api_keys)

    name: str = strawberry.field(description="What the key is for.")
    prefix: str = strawberry.field(description="The visible start of the key (`pgk_<prefix>_…`), to tell keys apart.")
    scopes: list[str] = strawberry.field(description="The permission codes the key may use (never more than its account holds).")
    created_at: datetime = strawberry.field(description="When the key was created.")
    last_used_at: datetime | None = strawberry.field(description="When the key last authenticated a request.")
    revoked_at: datetime | None = strawberry.field(description="When the key was revoked; null while it works.")


@strawberry.input(description="A new custom role.")
class RoleCreateInput:
    name: str = strawberry.field(description="Unique within your partner; at most 100 characters.")
    description: str | None = strawberry.field(default=None, description="What the role is for; at most 500 characters.")
    permissions: list[Permission] = strawberry.field(description="The permissions it grants: any assignable to your partner's custom roles.")


@strawberry.input(description="Changes to a custom role; omitted fields stay as they are.")
class RoleUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The custom role to change (presets cannot be changed).")
    name: str | None = strawberry.field(default=None, description="A new name.")
    description: str | None = strawberry.field(default=None, description="A new description.")
    permissions: list[Permission] | None = strawberry.field(default=None, description="The new full set of permissions.")


@strawberry.input(description="The custom role to delete; it must have no members.")
class RoleDeleteInput:
    id: relay.GlobalID = strawberry.field(description="The custom role to delete.")


@strawberry.input(description="The roles a member should hold from now on.")
class MemberRolesAssignInput:
    member_id: relay.GlobalID = strawberry.field(description="An organisation or bound member of your partner.")
    role_ids: list[relay.GlobalID] = strawberry.field(description="1 to 3 roles; SYSTEM_ADMIN alone; never ACCOUNT_MANAGER with its supervisor role.")


@strawberry.input(description="A new API key.")
class ApiKeyCreateInput:
    name: str = strawberry.field(description="What the key is for; at most 100 characters.")
    scopes: list[Permission] = strawberry.field(description="What the key may do: a subset of your own permissions.")


@strawberry.input(description="The API key to revoke.")
class ApiKeyRevokeInput:
    id: relay.GlobalID = strawberry.field(description="One of your API keys.")


@strawberry.type(description="The result of a role mutation.", directives=[PUBLIC])
class RolePayload:
    role: Role | None = strawberry.field(description="The role as it is now; null if refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the change was refused; empty on success.")


@strawberry.type(description="The result of deleting a role.", directives=[PUBLIC])
class RoleDeletePayload:
    deleted_role_id: relay.GlobalID | None = strawberry.field(description="The ID of the deleted role; null if refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the deletion was refused; empty on success.")


@strawberry.type(description="The result of assigning roles.", directives=[PUBLIC])
class MemberRolesAssignPayload:
    member: Account | None = strawberry.field(description="The member with its new roles; null if refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the assignment was refused; empty on success.")


@strawberry.type(description="The result of creating an API key.", directives=[PUBLIC])
class ApiKeyCreatePayload:
    api_key: ApiKey | None = strawberry.field(description="The new key's details; null if refused.")
    secret: str | None = strawberry.field(description="The key itself, shown this once: send it as `Authorization: Bearer <secret>`.")
    user_errors: list[UserError] = strawberry.field(description="Why the key was refused; empty on success.")


@strawberry.type(description="The result of revoking an API key.", directives=[PUBLIC])
class ApiKeyRevokePayload:
    api_key: ApiKey | None = strawberry.field(description="The revoked key; null if refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the revocation was refused; empty on success.")


def _codes(permissions: list[Permission] | None) -> list[str] | None:
    return None if permissions is None else [p.value for p in permissions]


def _gid(type_name: str, pk: int) -> relay.GlobalID:
    return relay.GlobalID(type_name, str(pk))


Input = Annotated


@strawberry.type(description="Role management and API keys.")
class MemberMutations:
    @permission_field(requires=Permission.ORG_ROLE_MANAGE, description="Create a custom role for your partner.")
    async def role_create(self, info: strawberry.Info, input: Input[RoleCreateInput, strawberry.argument(description="The new role.")]) -> RolePayload | None:
        principal = info.context.principal
        role, errors = await run_mutation(info, "roleCreate", input, lambda: services.create_role(
            principal, name=input.name, description=input.description, permissions=_codes(input.permissions),
            assignable=assignable_to_custom_roles(principal.identities)), target=lambda r: f"Role:{r.id}")
        return RolePayload(role=role, user_errors=errors)

    @permission_field(requires=Permission.ORG_ROLE_MANAGE, description="Change a custom role (presets are immutable).")
    async def role_update(self, info: strawberry.Info, input: Input[RoleUpdateInput, strawberry.argument(description="The changes.")]) -> RolePayload | None:
        principal = info.context.principal
        role, errors = await run_mutation(info, "roleUpdate", input, lambda: services.update_role(
            principal, mutation_pk(input.id, "Role", "id"), name=input.name, description=input.description, permissions=_codes(input.permissions),
            assignable=assignable_to_custom_roles(principal.identities)), target=lambda r: f"Role:{r.id}")
        return RolePayload(role=role, user_errors=errors)

    @permission_field(requires=Permission.ORG_ROLE_MANAGE, description="Delete a custom role that has no members.")
    async def role_delete(self, info: strawberry.Info, input: Input[RoleDeleteInput, strawberry.argument(description="The role.")]) -> RoleDeletePayload | None:
        deleted, errors = await run_mutation(info, "roleDelete", input, lambda: services.delete_role(
            info.context.principal, mutation_pk(input.id, "Role", "id")),
                                             target=lambda pk: f"Role:{pk}")
        return RoleDeletePayload(deleted_role_id=_gid("Role", deleted) if deleted else None, user_errors=errors)

    @permission_field(requires=Permission.ORG_ROLE_MANAGE, description="Set the roles a member holds.")
    async def member_roles_assign(self, info: strawberry.Info, input: Input[MemberRolesAssignInput, strawberry.argument(description="Member and roles.")]) -> MemberRolesAssignPayload | None:
        member, errors = await run_mutation(info, "memberRolesAssign", input, lambda: services.assign_roles(
            info.context.principal, mutation_pk(input.member_id, "Account", "memberId"),
            [mutation_pk(r, "Role", "roleIds") for r in input.role_ids]), target=lambda a: f"Account:{a.id}")
        return MemberRolesAssignPayload(member=member, user_errors=errors)

    @permission_field(requires=Permission.PARTNER_CREDENTIALS_MANAGE, description="Create an API key; its secret is shown once in the answer.")
    async def api_key_create(self, info: strawberry.Info, input: Input[ApiKeyCreateInput, strawberry.argument(description="Name and scopes.")]) -> ApiKeyCreatePayload | None:
        created, errors = await run_mutation(info, "apiKeyCreate", input, lambda: services.create_api_key(
            info.context.principal, name=input.name, scopes=_codes(input.scopes)), target=lambda r: f"ApiKey:{r[0].id}")
        key, secret = created if created else (None, None)
        return ApiKeyCreatePayload(api_key=key, secret=secret, user_errors=errors)

    @permission_field(requires=Permission.PARTNER_CREDENTIALS_MANAGE, description="Revoke one of your API keys; it stops working at once.")
    async def api_key_revoke(self, info: strawberry.Info, input: Input[ApiKeyRevokeInput, strawberry.argument(description="The key.")]) -> ApiKeyRevokePayload | None:
        key, errors = await run_mutation(info, "apiKeyRevoke", input, lambda: services.revoke_api_key(
            info.context.principal, mutation_pk(input.id, "ApiKey", "id")),
                                         target=lambda k: f"ApiKey:{k.id}")
        return ApiKeyRevokePayload(api_key=key, user_errors=errors)
