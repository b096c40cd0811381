"""The reseller channel: a distributor invites partners to become its resellers, withdraws unanswered
invitations and ends associations; the invitee's admin accepts or declines."""

from __future__ import annotations

import strawberry

from resolvers.channel import services
from resolvers.permissions.catalog import Permission
from schema.channel.inputs import (
    ResellerAssociationEndInput,
    ResellerInvitationDeclineInput,
    ResellerInvitationInput,
    ResellerInviteInput,
)
from schema.channel.types import ResellerInvitation
from schema.coupons.types import CouponQuota
from schema.mutations import Payload, PayloadField, mutation
from schema.partners.types import Partner

INVITATION = Payload(
    "The result of a change to a reseller invitation.",
    returns=PayloadField("invitation", ResellerInvitation, "The invitation as it is now; null if refused."),
    name="ResellerInvitationPayload",
)


@strawberry.type(description="The reseller channel (云经销商): invitations and associations.")
class ChannelMutations:
    reseller_invite = mutation(
        requires=Permission.RESELLER_INVITE,
        input=ResellerInviteInput,
        service=services.invite,
        argument="The partner and a message.",
        description="Invite a partner to become your reseller (distributors): a reseller, or a solution provider whose "
                    "program has expired, in the distribution (reseller) program, in your region and managed by no "
                    "distributor; at most one PENDING invitation to it at a time. Its admin accepts or declines.",
        payload=INVITATION,
    )
    reseller_invitation_withdraw = mutation(
        requires=Permission.RESELLER_INVITE,
        input=ResellerInvitationInput,
        service=services.withdraw,
        argument="The invitation.",
        description="Withdraw a PENDING invitation you sent: WITHDRAWN, it can no longer be accepted.",
        payload=INVITATION,
    )
    reseller_invitation_accept = mutation(
        requires=Permission.RESELLER_INVITATION_RESPOND,
        input=ResellerInvitationInput,
        service=services.accept,
        argument="The invitation.",
        description="Accept a PENDING invitation your partner received (admins): your partner becomes the distributor's "
                    "reseller; a solution provider gives up SOLUTION_PROVIDER for RESELLER (never both). The rules are "
                    "checked again now; once your partner is managed, no other invitation can be accepted.",
        payload=Payload(
            "The result of accepting a reseller invitation.",
            returns=PayloadField("invitation", ResellerInvitation, "The invitation, now ACCEPTED; null if refused."),
            also=[PayloadField("partner", Partner, "Your partner as it is now, a reseller; null if refused.")],
        ),
    )
    reseller_invitation_decline = mutation(
        requires=Permission.RESELLER_INVITATION_RESPOND,
        input=ResellerInvitationDeclineInput,
        service=services.decline,
        argument="The invitation and why.",
        description="Decline a PENDING invitation your partner received (admins), optionally saying why: DECLINED.",
        payload=INVITATION,
    )
    reseller_association_end = mutation(
        requires=Permission.RESELLER_ASSOCIATION_END,
        input=ResellerAssociationEndInput,
        service=services.end_association,
        argument="The reseller, why, and the code.",
        description="End a reseller's association with your partner (distributor admins): the unissued balance of every "
                    "quota you allocated it returns to your quota as a reclaim returns it (QUOTA_RECLAIM records; funds "
                    "are not moved), the reseller is managed by no one and the invitation it accepted is ENDED. Takes a "
                    "verification code when your partner has them on.",
        payload=Payload(
            "The result of ending a reseller association.",
            returns=PayloadField("reseller", Partner, "The former reseller as it is now; null if refused."),
            also=[
                PayloadField("invitation", ResellerInvitation,
                             "The invitation it had accepted, now ENDED; null if refused or if it was associated without one."),
                PayloadField("reclaimed_quotas", list[CouponQuota],
                             "The quotas taken back, now INVALID, oldest first; null if refused."),
            ],
        ),
    )
