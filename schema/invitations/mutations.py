"""Members and invitations: invite, resend, revoke, accept, unbind; organisation members; main-account transfer."""

from __future__ import annotations

import functools
from typing import Any

import strawberry

from models.members import AccountStatus as ModelAccountStatus
from resolvers.invitations import services
from resolvers.members import org_services
from resolvers.permissions.catalog import Permission
from schema.context import GatewayContext
from schema.invitations.inputs import (
    AccountUpdateInput,
    InvitationAcceptInput,
    InvitationResendInput,
    InvitationRevokeInput,
    MainAccountTransferInput,
    MemberInviteInput,
    MemberUnbindInput,
    OrgMemberCreateInput,
    OrgMemberDisableInput,
    OrgMemberEnableInput,
    OrgMemberUpdateInput,
)
from schema.invitations.types import Invitation
from schema.members.types import Account
from schema.mutations import Payload, PayloadField, mutation


async def _settle_partner_expiry(context: GatewayContext, _: Any) -> None:
    # Outside the mutation's transaction: a lapsed invitation stays EXPIRED even if the mutation is refused.
    await services.settle_partner_expiry(context.principal)


async def _settle_token_expiry(context: GatewayContext, input: InvitationAcceptInput) -> None:
    await services.settle_token_expiry(input.token)


INVITATION = Payload(
    "The result of an invitation mutation; the token itself is delivered to the invitee, never here.",
    returns=PayloadField("invitation", Invitation, "The invitation as it is now; null if refused."),
    name="InvitationPayload",
)
ORG_MEMBER = Payload(
    "The result of an organisation member mutation.",
    returns=PayloadField("member", Account, "The member as it is now; null if refused."),
    name="OrgMemberPayload",
)


@strawberry.type(description="Members and invitations: invite, resend, revoke, accept, unbind; organisation members; main-account transfer.")
class InvitationMutations:
    member_invite = mutation(
        requires=Permission.MEMBER_INVITE,
        input=MemberInviteInput,
        service=services.invite,
        argument="The invitee.",
        before=_settle_partner_expiry,
        payload=INVITATION,
        description="Invite a person to bind its cloud account to your partner (邀请成员): valid 7 days; at most 100 "
                    "invitations per administrator a day.",
    )
    invitation_resend = mutation(
        requires=Permission.MEMBER_INVITE,
        input=InvitationResendInput,
        service=services.resend,
        argument="The invitation.",
        before=_settle_partner_expiry,
        payload=INVITATION,
        description="Send an expired, unbound or revoked invitation again with a new token; the old token stops working. "
                    "Counts toward the daily limit.",
    )
    invitation_revoke = mutation(
        requires=Permission.MEMBER_INVITE,
        input=InvitationRevokeInput,
        service=services.revoke,
        argument="The invitation.",
        before=_settle_partner_expiry,
        description="Revoke a pending invitation before it is accepted.",
        payload=INVITATION,
    )
    invitation_accept = mutation(
        requires=Permission.INVITATION_RESPOND,
        input=InvitationAcceptInput,
        service=services.accept,
        argument="Token and consent.",
        before=_settle_token_expiry,
        payload=INVITATION,
        description="Accept an invitation addressed to your personal account: you become a bound member (伙伴成员) of the "
                    "inviting partner. Requires your consent to share account name and qualifications.",
    )
    member_unbind = mutation(
        requires=Permission.MEMBER_UNBIND,
        input=MemberUnbindInput,
        service=services.unbind,
        argument="The member.",
        description="Unbind a bound member: its account becomes a personal account again, without roles, and its invitation UNBOUND.",
        payload=Payload(
            "The result of unbinding a member.",
            returns=PayloadField("member", Account, "The account, a personal account again; null if refused."),
            also=[PayloadField("invitation", Invitation, "The invitation that bound it, now UNBOUND; null if refused or none.")],
            refused="Why the unbinding was refused; empty on success.",
        ),
    )
    org_member_create = mutation(
        requires=Permission.ORG_MEMBER_MANAGE,
        input=OrgMemberCreateInput,
        service=org_services.create_member,
        argument="The new member.",
        description="Create an organisation member (组织成员) with 1 to 3 roles.",
        payload=ORG_MEMBER,
    )
    org_member_update = mutation(
        requires=Permission.ORG_MEMBER_MANAGE,
        input=OrgMemberUpdateInput,
        service=org_services.update_member,
        argument="The changes.",
        description="Change an organisation member's display name, e-mail or mobile.",
        payload=ORG_MEMBER,
    )
    account_update = mutation(
        requires=Permission.PARTNER_ACCOUNT_UPDATE,
        input=AccountUpdateInput,
        service=org_services.update_own_account,
        argument="The changes.",
        description="Change your own display name, e-mail or mobile (修改账号信息); a new mobile number takes a verification code.",
        payload=ORG_MEMBER,
    )
    org_member_disable = mutation(
        requires=Permission.ORG_MEMBER_MANAGE,
        input=OrgMemberDisableInput,
        argument="The member.",
        payload=ORG_MEMBER,
        service=functools.partial(org_services.set_member_status, status=ModelAccountStatus.DISABLED),
        description="Disable an organisation member: it can no longer sign in or use its API keys. Never the main account "
                    "nor yourself.",
    )
    org_member_enable = mutation(
        requires=Permission.ORG_MEMBER_MANAGE,
        input=OrgMemberEnableInput,
        argument="The member.",
        payload=ORG_MEMBER,
        service=functools.partial(org_services.set_member_status, status=ModelAccountStatus.ACTIVE),
        description="Enable a disabled organisation member again.",
    )
    main_account_transfer = mutation(
        requires=Permission.ORG_MEMBER_MANAGE,
        input=MainAccountTransferInput,
        service=org_services.transfer_main_account,
        argument="The new main account.",
        description="Transfer the main account (伙伴主账号) to an active member; only the main account itself may. You "
                    "become an organisation member holding SYSTEM_ADMIN.",
        payload=Payload(
            "The result of transferring the main account.",
            returns=PayloadField("main_account", Account, "The new main account; null if refused."),
            also=[PayloadField("previous_main_account", Account,
                 "The previous main account, now an organisation member holding SYSTEM_ADMIN; null if refused.")],
            refused="Why the transfer was refused; empty on success.",
        ),
    )
