"""The reseller channel: a distributor's invitations to partners to become its resellers."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from models import channel as m
from resolvers.channel.queries import partner_name_sql, partner_names, readable_reseller_invitations
from resolvers.members.queries import readable_accounts
from resolvers.partners.queries import readable_partners
from schema.context import Info
from schema.enums import ResellerInvitationStatus
from schema.members.types import Account
from schema.permissions.directive import PUBLIC
from schema.relay import ModelNode, related_field
from schema.selection import reads
from schema.sql_values import sql_value

if TYPE_CHECKING:
    from schema.partners.types import Partner

PartnerRef = Annotated["Partner", strawberry.lazy("schema.partners.types")]


def _partner_name(key: str, description: str) -> Any:
    """The name of the partner `root.<key>`: both sides read it, though neither may read the
    other partner (resolvers/channel/queries.partner_names); one statement per page."""

    async def resolve(root: Any, info: Info) -> str:
        return await info.context.batch("reseller_invitation_partner_names", partner_names).load(getattr(root, key)) or ""

    return strawberry.field(resolver=resolve, description=description,
                            metadata={**reads(key), **sql_value(lambda row: partner_name_sql(row.column(key)))})


@strawberry.type(description="A distributor's invitation to a partner to become its reseller (云经销商). The distributor and "
                             "the invited partner both read it.", directives=[PUBLIC])
class ResellerInvitation(ModelNode):
    model = m.ResellerInvitation
    readable = readable_reseller_invitations

    status: ResellerInvitationStatus = strawberry.field(description="Where the invitation stands.")
    message: str = strawberry.field(description="The distributor's message to the invitee; empty if none.")
    created_at: datetime = strawberry.field(description="When the distributor sent it.")
    responded_at: datetime | None = strawberry.field(description="When the invitee's admin accepted or declined it; null before.")
    ended_at: datetime | None = strawberry.field(description="When the distributor ended the association; null unless ENDED.")
    end_reason: str = strawberry.field(description="Why the distributor ended the association (ENDED), or why the invitee "
                                                   "declined (DECLINED, if it said); empty otherwise.")

    distributor_name = _partner_name("distributor_id", "The name of the distributor that sent it.")
    invitee_name = _partner_name("invitee_id", "The name of the partner invited.")
    distributor = related_field(PartnerRef, readable_partners, "distributor_id",
                                description="The distributor that sent it, if you may read that partner (the invitee may not).")
    invitee = related_field(PartnerRef, readable_partners, "invitee_id",
                            description="The partner invited, if you may read it (its distributor may, once it is a reseller).")
    invited_by = related_field(Account, readable_accounts, "invited_by_id",
                               description="The distributor's account that sent it, if you may see that account.")
    responded_by = related_field(Account, readable_accounts, "responded_by_id",
                                 description="The invitee's admin that accepted or declined it, if you may see that account.")
