"""Members and invitations: invite, resend, revoke, accept, unbind; organisation members; main-account transfer."""

from __future__ import annotations

import logging
from typing import Annotated

import strawberry

from models.invitations import Invitation as InvitationRow
from models.members import AccountStatus as ModelAccountStatus
from resolvers.invitations import services
from resolvers.members import org_services
from schema.invitations.inputs import (
    InvitationAcceptInput, InvitationResendInput, InvitationRevokeInput, MainAccountTransferInput, MemberInviteInput,
    MemberUnbindInput, OrgMemberCreateInput, OrgMemberDisableInput, OrgMemberEnableInput, OrgMemberUpdateInput,
)
from schema.invitations.types import Invitation
from schema.members.types import Account
from schema.mutations import UserError, mutation_pk, run_mutation
from schema.permissions.directive import PUBLIC, permission_field
from resolvers.permissions.catalog import Permission

log = logging.getLogger("gateway.invitations")

Input = Annotated


@strawberry.type(description="The result of an invitation mutation; the token itself is delivered to the invitee, never here.", directives=[PUBLIC])
class InvitationPayload:
    invitation: Invitation | None = strawberry.field(description="The invitation as it is now; null if refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the change was refused; empty on success.")


@strawberry.type(description="The result of unbinding a member.", directives=[PUBLIC])
class MemberUnbindPayload:
    member: Account | None = strawberry.field(description="The account, a personal account again; null if refused.")
    invitation: Invitation | None = strawberry.field(description="The invitation that bound it, now UNBOUND; null if refused or none.")
    user_errors: list[UserError] = strawberry.field(description="Why the unbinding was refused; empty on success.")


@strawberry.type(description="The result of an organisation member mutation.", directives=[PUBLIC])
class OrgMemberPayload:
    member: Account | None = strawberry.field(description="The member as it is now; null if refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the change was refused; empty on success.")


@strawberry.type(description="The result of transferring the main account.", directives=[PUBLIC])
class MainAccountTransferPayload:
    main_account: Account | None = strawberry.field(description="The new main account; null if refused.")
    previous_main_account: Account | None = strawberry.field(description="The previous main account, now an organisation member holding SYSTEM_ADMIN; null if refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the transfer was refused; empty on success.")


def _deliver(info: strawberry.Info, sent: tuple[InvitationRow, str] | None) -> InvitationRow | None:
    """The invitation of a send; its token goes to the invitee, out of band."""
    if sent is None:
        return None
    invitation, token = sent
    if info.context.settings.dev_mode:
        # Development stands in for the e-mail/SMS delivery a production deployment plugs in here.
        log.warning("invitation token for %s (Invitation:%s): %s", invitation.invitee_identifier, invitation.id, token)
    return invitation


async def _settle_partner_expiry(info: strawberry.Info) -> None:
    # Outside the mutation's transaction: a lapsed invitation stays EXPIRED even if the mutation is refused.
    await services.settle_expiry(partner_id=info.context.principal.partner_id)


def _invitation_ref(invitation: InvitationRow) -> str:
    return f"Invitation:{invitation.id}"


@strawberry.type(description="Members and invitations: invite, resend, revoke, accept, unbind; organisation members; main-account transfer.")
class InvitationMutations:
    @permission_field(requires=Permission.MEMBER_INVITE, description="Invite a person to bind its cloud account to your partner (邀请成员): "
                                                   "valid 7 days; at most 100 invitations per administrator a day.")
    async def member_invite(self, info: strawberry.Info, input: Input[MemberInviteInput, strawberry.argument(description="The invitee.")]) -> InvitationPayload | None:
        await _settle_partner_expiry(info)
        sent, errors = await run_mutation(info, "memberInvite", input, lambda: services.invite(
            info.context.principal, identifier_type=input.identifier_type, identifier=input.invitee_identifier),
                                          target=lambda r: _invitation_ref(r[0]))
        return InvitationPayload(invitation=_deliver(info, sent), user_errors=errors)

    @permission_field(requires=Permission.MEMBER_INVITE, description="Send an expired, unbound or revoked invitation again with a new token; "
                                                   "the old token stops working. Counts toward the daily limit.")
    async def invitation_resend(self, info: strawberry.Info, input: Input[InvitationResendInput, strawberry.argument(description="The invitation.")]) -> InvitationPayload | None:
        await _settle_partner_expiry(info)
        sent, errors = await run_mutation(info, "invitationResend", input, lambda: services.resend(
            info.context.principal, mutation_pk(input.id, "Invitation", "id")), target=lambda r: _invitation_ref(r[0]))
        return InvitationPayload(invitation=_deliver(info, sent), user_errors=errors)

    @permission_field(requires=Permission.MEMBER_INVITE, description="Revoke a pending invitation before it is accepted.")
    async def invitation_revoke(self, info: strawberry.Info, input: Input[InvitationRevokeInput, strawberry.argument(description="The invitation.")]) -> InvitationPayload | None:
        await _settle_partner_expiry(info)
        invitation, errors = await run_mutation(info, "invitationRevoke", input, lambda: services.revoke(
            info.context.principal, mutation_pk(input.id, "Invitation", "id")), target=_invitation_ref)
        return InvitationPayload(invitation=invitation, user_errors=errors)

    @permission_field(requires=Permission.INVITATION_RESPOND, description="Accept an invitation addressed to your personal account: "
                                                        "you become a bound member (伙伴成员) of the inviting partner. "
                                                        "Requires your consent to share account name and qualifications.")
    async def invitation_accept(self, info: strawberry.Info, input: Input[InvitationAcceptInput, strawberry.argument(description="Token and consent.")]) -> InvitationPayload | None:
        await services.settle_expiry(token_hash=services.hash_token(input.token))
        invitation, errors = await run_mutation(info, "invitationAccept", input, lambda: services.accept(
            info.context.principal, token=input.token, consent=input.consent), target=_invitation_ref)
        return InvitationPayload(invitation=invitation, user_errors=errors)

    @permission_field(requires=Permission.MEMBER_UNBIND, description="Unbind a bound member: its account becomes a personal account again, "
                                                   "without roles, and its invitation UNBOUND.")
    async def member_unbind(self, info: strawberry.Info, input: Input[MemberUnbindInput, strawberry.argument(description="The member.")]) -> MemberUnbindPayload | None:
        result, errors = await run_mutation(info, "memberUnbind", input, lambda: services.unbind(
            info.context.principal, mutation_pk(input.member_id, "Account", "memberId")), target=lambda r: f"Account:{r[0].id}")
        member, invitation = result if result else (None, None)
        return MemberUnbindPayload(member=member, invitation=invitation, user_errors=errors)

    @permission_field(requires=Permission.ORG_MEMBER_MANAGE, description="Create an organisation member (组织成员) with 1 to 3 roles.")
    async def org_member_create(self, info: strawberry.Info, input: Input[OrgMemberCreateInput, strawberry.argument(description="The new member.")]) -> OrgMemberPayload | None:
        member, errors = await run_mutation(info, "orgMemberCreate", input, lambda: org_services.create_member(
            info.context.principal, name=input.name, display_name=input.display_name, email=input.email, mobile=input.mobile,
            role_ids=[mutation_pk(r, "Role", "roleIds") for r in input.role_ids]), target=lambda a: f"Account:{a.id}")
        return OrgMemberPayload(member=member, user_errors=errors)

    @permission_field(requires=Permission.ORG_MEMBER_MANAGE, description="Change an organisation member's display name, e-mail or mobile.")
    async def org_member_update(self, info: strawberry.Info, input: Input[OrgMemberUpdateInput, strawberry.argument(description="The changes.")]) -> OrgMemberPayload | None:
        member, errors = await run_mutation(info, "orgMemberUpdate", input, lambda: org_services.update_member(
            info.context.principal, mutation_pk(input.id, "Account", "id"), display_name=input.display_name,
            email=input.email, mobile=input.mobile), target=lambda a: f"Account:{a.id}")
        return OrgMemberPayload(member=member, user_errors=errors)

    @permission_field(requires=Permission.ORG_MEMBER_MANAGE, description="Disable an organisation member: it can no longer sign in or use its API keys. "
                                                       "Never the main account nor yourself.")
    async def org_member_disable(self, info: strawberry.Info, input: Input[OrgMemberDisableInput, strawberry.argument(description="The member.")]) -> OrgMemberPayload | None:
        member, errors = await run_mutation(info, "orgMemberDisable", input, lambda: org_services.set_member_status(
            info.context.principal, mutation_pk(input.id, "Account", "id"), ModelAccountStatus.DISABLED), target=lambda a: f"Account:{a.id}")
        return OrgMemberPayload(member=member, user_errors=errors)

    @permission_field(requires=Permission.ORG_MEMBER_MANAGE, description="Enable a disabled organisation member again.")
    async def org_member_enable(self, info: strawberry.Info, input: Input[OrgMemberEnableInput, strawberry.argument(description="The member.")]) -> OrgMemberPayload | None:
        member, errors = await run_mutation(info, "orgMemberEnable", input, lambda: org_services.set_member_status(
            info.context.principal, mutation_pk(input.id, "Account", "id"), ModelAccountStatus.ACTIVE), target=lambda a: f"Account:{a.id}")
        return OrgMemberPayload(member=member, user_errors=errors)

    @permission_field(requires=Permission.ORG_MEMBER_MANAGE, description="Transfer the main account (伙伴主账号) to an active member; only the main account "
                                                       "itself may. You become an organisation member holding SYSTEM_ADMIN.")
    async def main_account_transfer(self, info: strawberry.Info, input: Input[MainAccountTransferInput, strawberry.argument(description="The new main account.")]) -> MainAccountTransferPayload | None:
        result, errors = await run_mutation(info, "mainAccountTransfer", input, lambda: org_services.transfer_main_account(
            info.context.principal, mutation_pk(input.new_main_account_id, "Account", "newMainAccountId")),
                                            target=lambda r: f"Account:{r[0].id}")
        new_main, previous = result if result else (None, None)
        return MainAccountTransferPayload(main_account=new_main, previous_main_account=previous, user_errors=errors)
