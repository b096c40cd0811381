"""Organisation members (组织成员) and the transfer of the main account (伙伴主账号)."""

from __future__ import annotations

import re
from typing import Literal, overload

from tortoise.exceptions import IntegrityError

from models.members import Account, AccountKind, AccountStatus, PresetRole, Role
from models.safeguards import VerificationPurpose
from resolvers.errors import Refusal
from resolvers.errors import UserErrorCode as Code
from resolvers.members.queries import readable_accounts
from resolvers.members.services import assign_roles
from resolvers.principal import Principal
from resolvers.safeguards import require_code
from resolvers.validation import Checks

NAME_PATTERN = re.compile(r"[a-z0-9._-]{3,100}")
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
MOBILE_PATTERN = re.compile(r"\+?[0-9][0-9 ]*")
MAX_EMAIL = 254
MOBILE_LENGTH = (6, 20)
MAX_DISPLAY_NAME = 200
# Kinds the partner's main account may hand its office to.
TRANSFERABLE_KINDS = (AccountKind.ORGANISATION_MEMBER, AccountKind.BOUND_MEMBER)


@overload
def check_email(checks: Checks, value: str | None, field: str, *, required: Literal[True] = True) -> str: ...
@overload
def check_email(checks: Checks, value: str | None, field: str, *, required: bool) -> str | None: ...


def check_email(checks: Checks, value: str | None, field: str, *, required: bool = True) -> str | None:
    """A trimmed, lower-cased address with an @ and a dot in its domain."""
    value = checks.text(value, field, max_length=MAX_EMAIL, required=required)
    if value and not EMAIL_PATTERN.fullmatch(value):
        checks.fail(Code.INVALID, f"`{field}` is not an e-mail address (name@domain.tld).", field)
    return value.lower() if value else value


def normalise_mobile(value: str) -> str:
    return value.replace(" ", "")


@overload
def check_mobile(checks: Checks, value: str | None, field: str, *, required: Literal[True] = True) -> str: ...
@overload
def check_mobile(checks: Checks, value: str | None, field: str, *, required: bool) -> str | None: ...


def check_mobile(checks: Checks, value: str | None, field: str, *, required: bool = True) -> str | None:
    """Digits with an optional leading + and spaces, 6 to 20 characters; kept without spaces."""
    value = checks.text(value, field, max_length=MOBILE_LENGTH[1], required=required)
    if value and (len(value) < MOBILE_LENGTH[0] or not MOBILE_PATTERN.fullmatch(value)):
        checks.fail(Code.INVALID, f"`{field}` must be {MOBILE_LENGTH[0]} to {MOBILE_LENGTH[1]} digits, spaces or a leading +.", field)
    return normalise_mobile(value) if value else value


async def _member(principal: Principal, member_id: int, field: str = "id") -> Account:
    member = await readable_accounts(principal).filter(id=member_id, partner_id=principal.partner_id).first()
    if member is None:
        raise Refusal(Code.NOT_FOUND, "No such member.", [field])
    return member


def _only_organisation_members(member: Account, field: str = "id") -> None:
    if member.kind is AccountKind.MAIN_ACCOUNT:
        raise Refusal(Code.NOT_ALLOWED, "The main account is not managed as an organisation member.", [field])
    if member.kind is not AccountKind.ORGANISATION_MEMBER:
        # A bound member's account is the person's own: the partner may only unbind it.
        raise Refusal(Code.NOT_ALLOWED, "Only organisation members are managed here; bound members can be unbound.", [field])


async def create_member(principal: Principal, *, name: str, display_name: str, email: str, mobile: str | None,
                        role_ids: list[int]) -> Account:
    checks = Checks()
    name = checks.text(name, "name", max_length=100)
    if name and len(name) <= 100 and not NAME_PATTERN.fullmatch(name):
        checks.fail(Code.INVALID, "`name` must be 3 to 100 characters of a-z, 0-9, '.', '_' or '-'.", "name")
    display_name = checks.text(display_name, "displayName", max_length=MAX_DISPLAY_NAME)
    email = check_email(checks, email, "email")
    mobile = check_mobile(checks, mobile, "mobile", required=False) or ""
    checks.done()
    if await Account.filter(name=name).exists():
        raise Refusal(Code.CONFLICT, f"The account name {name!r} is taken.", ["name"])
    try:
        member = await Account.create(name=name, display_name=display_name, email=email, mobile=mobile,
                                      kind=AccountKind.ORGANISATION_MEMBER, partner_id=principal.partner_id)
    except IntegrityError as exc:  # taken between the check and the insert
        raise Refusal(Code.CONFLICT, f"The account name {name!r} is taken.", ["name"]) from exc
    # The role rules are assign_roles' own; a refusal there rolls the new account back too.
    return await assign_roles(principal, member_id=member.id, role_ids=role_ids)


async def update_member(principal: Principal, *, id: int, display_name: str | None, email: str | None,
                        mobile: str | None) -> Account:
    member = await _member(principal, id)
    _only_organisation_members(member)
    return await _apply_contact_changes(member, display_name=display_name, email=email, mobile=mobile)


def _contact_changes(display_name: str | None, email: str | None, mobile: str | None) -> dict[str, str]:
    """The account columns these inputs change (None: unchanged), refused together if any is bad."""
    checks = Checks()
    changes: dict[str, str] = {}
    if display_name is not None:
        changes["display_name"] = checks.text(display_name, "displayName", max_length=MAX_DISPLAY_NAME) or ""
    if email is not None:
        changes["email"] = check_email(checks, email, "email") or ""
    if mobile is not None:
        # An empty mobile removes the number.
        changes["mobile"] = check_mobile(checks, mobile, "mobile", required=False) or ""
    checks.done()
    return changes


async def _apply_contact_changes(account: Account, **inputs: str | None) -> Account:
    changes = _contact_changes(**inputs)
    if changes:
        await Account.filter(id=account.id).update(**changes)
    return await Account.get(id=account.id)


async def update_own_account(principal: Principal, *, display_name: str | None = None, email: str | None = None,
                             mobile: str | None = None, verification_code: str | None = None) -> Account:
    """A caller changes its own display name, e-mail and mobile. A new e-mail or mobile takes a
    CONTACT_CHANGE code whatever the partner's switch: invitations are addressed to e-mails and
    mobiles, so nobody takes on an address by typing it."""
    changes = _contact_changes(display_name, email, mobile)
    account = await Account.get(id=principal.account_id)
    if changes.get("mobile", account.mobile) != account.mobile or changes.get("email", account.email) != account.email:
        await require_code(principal, VerificationPurpose.CONTACT_CHANGE, verification_code, always=True)
    if changes:
        await Account.filter(id=account.id).update(**changes)
    return await Account.get(id=account.id)


async def set_member_status(principal: Principal, *, id: int, status: AccountStatus) -> Account:
    member = await _member(principal, id)
    if member.id == principal.account_id:
        raise Refusal(Code.NOT_ALLOWED, "You cannot disable or enable your own account.", ["id"])
    _only_organisation_members(member)
    current = AccountStatus.ACTIVE if status is AccountStatus.DISABLED else AccountStatus.DISABLED
    # Conditional update: of two concurrent identical requests one wins, the other is told so.
    if not await Account.filter(id=member.id, status=current).update(status=status):
        raise Refusal(Code.INVALID_STATE, f"The member is already {status.value}.", ["id"])
    return await Account.get(id=member.id)


async def transfer_main_account(principal: Principal, *, new_main_account_id: int) -> tuple[Account, Account]:
    """Hand the main account's office to an active member: (new main account, previous main account)."""
    if not principal.is_main_account:
        raise Refusal(Code.NOT_ALLOWED, "Only the main account itself can transfer the main account.")
    target = await _member(principal, new_main_account_id, "newMainAccountId")
    if target.id == principal.account_id:
        raise Refusal(Code.NOT_ALLOWED, "You already are the main account.", ["newMainAccountId"])
    if target.kind not in TRANSFERABLE_KINDS:
        raise Refusal(Code.NOT_ALLOWED, "Only an organisation or bound member can become the main account.", ["newMainAccountId"])
    if target.status is not AccountStatus.ACTIVE:
        raise Refusal(Code.INVALID_STATE, "A disabled member cannot become the main account.", ["newMainAccountId"])
    partner_id = principal.partner_id
    # Both steps are conditional updates in the caller's transaction: a concurrent transfer or a
    # concurrent disable makes one of them match nothing, and the whole transfer rolls back.
    if not await Account.filter(id=principal.account_id, partner_id=partner_id, kind=AccountKind.MAIN_ACCOUNT).update(
            kind=AccountKind.ORGANISATION_MEMBER):
        raise Refusal(Code.NOT_ALLOWED, "You are no longer the main account.")
    if not await Account.filter(id=target.id, partner_id=partner_id, kind__in=TRANSFERABLE_KINDS,
                                status=AccountStatus.ACTIVE).update(kind=AccountKind.MAIN_ACCOUNT, supervisor_id=None):
        raise Refusal(Code.INVALID_STATE, "The member changed meanwhile; try again.", ["newMainAccountId"])
    if await Account.filter(partner_id=partner_id, kind=AccountKind.MAIN_ACCOUNT).count() != 1:
        raise Refusal(Code.CONFLICT, "The partner must keep exactly one main account; nothing was changed.")
    new_main, previous = await Account.get(id=target.id), await Account.get(id=principal.account_id)
    # The main account holds everything without roles; the previous one keeps administering.
    await new_main.roles.clear()
    await previous.roles.clear()
    await previous.roles.add(await Role.get(preset=PresetRole.SYSTEM_ADMIN))
    return new_main, previous
