"""Role management and API keys: validate, then change state (inside the caller's transaction)."""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.expressions import Q

from models.api_keys import ApiKey
from models.members import Account, AccountKind, PresetRole, Role
from resolvers.errors import Refusal
from resolvers.errors import UserErrorCode as Code
from resolvers.members.credentials import hash_secret, new_api_key
from resolvers.permissions.effective import assignable_to_custom_roles
from resolvers.principal import Principal
from resolvers.validation import Checks

MAX_ROLES_PER_MEMBER = 3
MAX_ACTIVE_API_KEYS = 20
ASSIGNABLE_KINDS = (AccountKind.ORGANISATION_MEMBER, AccountKind.BOUND_MEMBER)


def _check_grants(checks: Checks, permissions: list[str], assignable: frozenset[str]) -> list[str]:
    if not permissions:
        checks.fail(Code.REQUIRED, "A custom role needs at least one permission.", "permissions")
    for index, code in enumerate(permissions):
        if code not in assignable:
            checks.fail(Code.NOT_ALLOWED, f"`{code}` cannot be granted to a custom role of your partner.", "permissions", str(index))
    return sorted(set(permissions))


async def _name_taken(partner_id: int, name: str, exclude_id: int | None = None) -> bool:
    query = Role.filter(partner_id=partner_id, name=name)
    if exclude_id is not None:
        query = query.exclude(id=exclude_id)
    return await query.exists()


async def create_role(principal: Principal, *, name: str, description: str | None, permissions: list[str]) -> Role:
    checks = Checks()
    name = checks.text(name, "name", max_length=100)
    description = checks.text(description, "description", max_length=500, required=False) or ""
    grants = _check_grants(checks, permissions, assignable_to_custom_roles(principal.identities))
    checks.done()
    if await _name_taken(principal.own_partner("its roles"), name):
        raise Refusal(Code.CONFLICT, f"Your partner already has a role named {name!r}.", ["name"])
    return await Role.create(partner_id=principal.partner_id, name=name, description=description, permissions=grants)


async def _own_custom_role(principal: Principal, role_id: int, field: str = "id") -> Role:
    role = await Role.get_or_none(Q(id=role_id) & (Q(partner_id=principal.partner_id) | Q(preset__isnull=False)))
    if role is None:
        raise Refusal(Code.NOT_FOUND, "No such role.", [field])
    if role.preset is not None:
        raise Refusal(Code.NOT_ALLOWED, "Preset roles cannot be changed.", [field])
    return role


async def update_role(principal: Principal, *, id: int, name: str | None, description: str | None,
                      permissions: list[str] | None) -> Role:
    role = await _own_custom_role(principal, id)
    checks = Checks()
    if name is not None:
        name = checks.text(name, "name", max_length=100)
    if description is not None:
        description = checks.text(description, "description", max_length=500, required=False)
    assignable = assignable_to_custom_roles(principal.identities)
    grants = _check_grants(checks, permissions, assignable) if permissions is not None else None
    checks.done()
    if name is not None and await _name_taken(principal.own_partner("its roles"), name, exclude_id=role.id):
        raise Refusal(Code.CONFLICT, f"Your partner already has a role named {name!r}.", ["name"])
    changes = {k: v for k, v in {"name": name, "description": description, "permissions": grants}.items() if v is not None}
    if changes:
        await Role.filter(id=role.id).update(**changes)
    return await Role.get(id=role.id)


async def delete_role(principal: Principal, *, id: int) -> Role:
    """The role is gone; the returned instance still names it (its id)."""
    role = await _own_custom_role(principal, id)
    # Lock-free check-then-delete is safe: the FK from account_role refuses a delete with members.
    if await role.accounts.all().count():
        raise Refusal(Code.INVALID_STATE, "Only a role with no members can be deleted.", ["id"])
    await role.delete()
    return role


async def assign_roles(principal: Principal, *, member_id: int, role_ids: list[int]) -> Account:
    member = await Account.get_or_none(id=member_id, partner_id=principal.partner_id)
    if member is None:
        raise Refusal(Code.NOT_FOUND, "No such member.", ["memberId"])
    if member.kind not in ASSIGNABLE_KINDS:
        raise Refusal(Code.NOT_ALLOWED, "Only organisation and bound members hold roles; the main account holds everything.", ["memberId"])
    unique_ids = list(dict.fromkeys(role_ids))
    if not 1 <= len(unique_ids) <= MAX_ROLES_PER_MEMBER:
        raise Refusal(Code.LIMIT_EXCEEDED, f"A member holds 1 to {MAX_ROLES_PER_MEMBER} roles.", ["roleIds"])
    roles = await Role.filter(Q(id__in=unique_ids) & (Q(partner_id=principal.partner_id) | Q(preset__isnull=False)))
    if len(roles) != len(unique_ids):
        raise Refusal(Code.NOT_FOUND, "One of the roles does not exist.", ["roleIds"])
    presets = {r.preset for r in roles if r.preset is not None}
    if PresetRole.SYSTEM_ADMIN in presets and len(roles) > 1:
        raise Refusal(Code.NOT_ALLOWED, "SYSTEM_ADMIN cannot be combined with another role.", ["roleIds"])
    if {PresetRole.ACCOUNT_MANAGER, PresetRole.ACCOUNT_MANAGER_SUPERVISOR} <= presets:
        raise Refusal(Code.NOT_ALLOWED, "ACCOUNT_MANAGER cannot be combined with ACCOUNT_MANAGER_SUPERVISOR.", ["roleIds"])
    await member.roles.clear()
    await member.roles.add(*roles)
    return member


async def create_api_key(principal: Principal, *, name: str, scopes: list[str]) -> tuple[ApiKey, str]:
    if principal.api_key_id is not None:
        raise Refusal(Code.NOT_ALLOWED, "An API key cannot create API keys; sign in as the account.")
    checks = Checks()
    name = checks.text(name, "name", max_length=100)
    if not scopes:
        checks.fail(Code.REQUIRED, "An API key needs at least one scope.", "scopes")
    for index, scope in enumerate(scopes):
        if scope not in principal.permissions:
            checks.fail(Code.NOT_ALLOWED, f"You do not hold `{scope}`, so a key of yours cannot either.", "scopes", str(index))
    checks.done()
    active = await ApiKey.filter(account_id=principal.account_id, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_API_KEYS:
        raise Refusal(Code.LIMIT_EXCEEDED, f"At most {MAX_ACTIVE_API_KEYS} active API keys per account.")
    prefix, secret = new_api_key()
    key = await ApiKey.create(account_id=principal.account_id, name=name, prefix=prefix,
                              secret_hash=hash_secret(secret), scopes=sorted(set(scopes)))
    return key, secret


async def revoke_api_key(principal: Principal, *, id: int) -> ApiKey:
    key = await ApiKey.get_or_none(id=id, account_id=principal.account_id)
    if key is None:
        raise Refusal(Code.NOT_FOUND, "No such API key.", ["id"])
    if key.revoked_at is not None:
        raise Refusal(Code.INVALID_STATE, "The key is already revoked.", ["id"])
    # Conditional update: two concurrent revocations cannot both succeed.
    changed = await ApiKey.filter(id=key.id, revoked_at__isnull=True).update(revoked_at=datetime.now(UTC))
    if not changed:
        raise Refusal(Code.INVALID_STATE, "The key is already revoked.", ["id"])
    return await ApiKey.get(id=key.id)
