"""Role management and API keys."""

from __future__ import annotations

import strawberry
from strawberry import relay

from resolvers.members import services
from resolvers.permissions.catalog import Permission
from schema.members.inputs import (
    ApiKeyCreateInput,
    ApiKeyRevokeInput,
    MemberRolesAssignInput,
    RoleCreateInput,
    RoleDeleteInput,
    RoleUpdateInput,
)
from schema.members.types import Account, ApiKey, Role
from schema.mutations import Payload, PayloadField, mutation

ROLE = Payload(
    "The result of a role mutation.",
    returns=PayloadField("role", Role, "The role as it is now; null if refused."),
    name="RolePayload",
)


@strawberry.type(description="Role management and API keys.")
class MemberMutations:
    role_create = mutation(
        requires=Permission.ORG_ROLE_MANAGE,
        input=RoleCreateInput,
        service=services.create_role,
        argument="The new role.",
        description="Create a custom role for your partner.",
        payload=ROLE,
    )
    role_update = mutation(
        requires=Permission.ORG_ROLE_MANAGE,
        input=RoleUpdateInput,
        service=services.update_role,
        argument="The changes.",
        description="Change a custom role (presets are immutable).",
        payload=ROLE,
    )
    role_delete = mutation(
        requires=Permission.ORG_ROLE_MANAGE,
        input=RoleDeleteInput,
        service=services.delete_role,
        argument="The role.",
        description="Delete a custom role that has no members.",
        payload=Payload(
            "The result of deleting a role.",
            returns=PayloadField("deleted_role_id", relay.GlobalID, "The ID of the deleted role; null if refused."),
            refused="Why the deletion was refused; empty on success.",
        ),
    )
    member_roles_assign = mutation(
        requires=Permission.ORG_ROLE_MANAGE,
        input=MemberRolesAssignInput,
        service=services.assign_roles,
        argument="Member and roles.",
        description="Set the roles a member holds.",
        payload=Payload(
            "The result of assigning roles.",
            returns=PayloadField("member", Account, "The member with its new roles; null if refused."),
            refused="Why the assignment was refused; empty on success.",
        ),
    )
    api_key_create = mutation(
        requires=Permission.PARTNER_CREDENTIALS_MANAGE,
        input=ApiKeyCreateInput,
        service=services.create_api_key,
        argument="Name and scopes.",
        description="Create an API key; its secret is shown once in the answer.",
        payload=Payload(
            "The result of creating an API key.",
            returns=PayloadField("api_key", ApiKey, "The new key's details; null if refused."),
            also=[PayloadField("secret", str, "The key itself, shown this once: send it as `Authorization: Bearer <secret>`.")],
            refused="Why the key was refused; empty on success.",
        ),
    )
    api_key_revoke = mutation(
        requires=Permission.PARTNER_CREDENTIALS_MANAGE,
        input=ApiKeyRevokeInput,
        service=services.revoke_api_key,
        argument="The key.",
        description="Revoke one of your API keys; it stops working at once.",
        payload=Payload(
            "The result of revoking an API key.",
            returns=PayloadField("api_key", ApiKey, "The revoked key; null if refused."),
            refused="Why the revocation was refused; empty on success.",
        ),
    )
