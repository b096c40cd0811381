"""Demo reseller invitations: one in every status, consistent with who manages whom.

Northwind invited each reseller it manages once that reseller had joined the distribution program,
and each accepted; its first invitation to Redwood (reseller3) went out with the wrong terms and was
withdrawn. Juniper was Northwind's reseller for a fortnight until Northwind ended the association;
Northwind has invited it again. Cobalt, a solution provider whose program expired, declined a first
invitation and has a second one to answer. The dates follow the programs in demo_partners.PROGRAMS.
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.seed.demo_context import DemoContext
from gateway.seed.demo_partners import MAIN_ACCOUNTS
from models.channel import ResellerInvitation, ResellerInvitationStatus

S = ResellerInvitationStatus


@dataclass(frozen=True)
class Spec:
    invitee: str  # partner handle
    status: ResellerInvitationStatus
    sent: int  # days ago
    answered: int | None = None  # days ago the invitee accepted or declined
    ended: int | None = None  # days ago the distributor ended the association
    message: str = ""
    reason: str = ""  # why it was declined or ended


INVITATIONS: tuple[Spec, ...] = (
    Spec("reseller1", S.ACCEPTED, sent=399, answered=398, message="Welcome to the Northwind channel for north China."),
    Spec("reseller2", S.ACCEPTED, sent=209, answered=207, message="Join us as a reseller: quota and funds from day one."),
    Spec("reseller3", S.WITHDRAWN, sent=44, message="Join us as a reseller (terms of the 2023 channel policy)."),
    Spec("reseller3", S.ACCEPTED, sent=43, answered=41, message="Join us as a reseller under this year's channel policy."),
    Spec("juniper", S.ENDED, sent=29, answered=28, ended=12, message="Join the Northwind channel.",
         reason="Juniper resells under its own contract with the provider for now."),
    Spec("juniper", S.PENDING, sent=3, message="Your own contract ended: come back to the Northwind channel."),
    Spec("cobalt", S.DECLINED, sent=9, answered=8, message="Your solution-provider program has expired: resell with us.",
         reason="We are still deciding whether to renew our solution-provider program."),
    Spec("cobalt", S.PENDING, sent=2, message="Our offer stands: resell with Northwind."),
)


async def seed_channel(ctx: DemoContext) -> None:
    distributor = ctx.partners["distributor"]
    sender = ctx.accounts[MAIN_ACCOUNTS["distributor"][0]]
    for spec in INVITATIONS:
        await ResellerInvitation.create(
            distributor=distributor,
            invitee=ctx.partners[spec.invitee],
            status=spec.status,
            message=spec.message,
            invited_by=sender,
            responded_by=ctx.accounts[MAIN_ACCOUNTS[spec.invitee][0]] if spec.answered is not None else None,
            responded_at=ctx.at(days=-spec.answered) if spec.answered is not None else None,
            ended_at=ctx.at(days=-spec.ended) if spec.ended is not None else None,
            end_reason=spec.reason,
            created_at=ctx.at(days=-spec.sent),
        )
