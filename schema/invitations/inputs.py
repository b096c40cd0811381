"""Filters, ordering and mutation inputs for invitations and organisation members."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay
from tortoise.expressions import Q

from resolvers.invitations.queries import status_lookup
from schema.enums import InvitationStatus, InviteeIdentifierType
from schema.filters import FilterInput, criteria
from schema.global_ids import node_id
from schema.relay import order_input
from schema.safeguards.fields import code_field


@strawberry.input(description="Criteria for invitation lists; all given criteria must match.")
class InvitationFilter(FilterInput):
    status: InvitationStatus | None = strawberry.field(default=None, description="Only invitations in this status.")
    identifier_type: InviteeIdentifierType | None = strawberry.field(default=None, description="Only invitees identified this way.")
    sent_after: datetime | None = strawberry.field(default=None, description="Only invitations sent at or after this time.")
    sent_before: datetime | None = strawberry.field(default=None, description="Only invitations sent before this time.")

    def lookups(self) -> list[Q]:
        found = criteria(identifier_type=self.identifier_type, sent_at__gte=self.sent_after, sent_at__lt=self.sent_before)
        status = status_lookup(self.status)
        return [*found, status] if status is not None else found


InvitationOrder = order_input(
    "InvitationOrder",
    "How to order invitation lists.",
    {"SENT_AT": ("sent_at", "By sending time."), "EXPIRES_AT": ("expires_at", "By expiry time.")},
    default="SENT_AT",
)


@strawberry.input(description="Whom to invite: one identifier of the person's cloud account.")
class MemberInviteInput:
    identifier_type: InviteeIdentifierType = strawberry.field(description="Which kind of identifier `inviteeIdentifier` is.")
    invitee_identifier: str = strawberry.field(
        description="An e-mail address (with @ and a dot in the domain, at most 254 characters), a mobile number "
                    "(6 to 20 digits, spaces or a leading +) or an account name (3 to 100 characters, no spaces).")


@strawberry.input(description="The invitation to send again with a new token.")
class InvitationResendInput:
    id: relay.GlobalID = node_id("Invitation", description="An expired, unbound or revoked invitation of your partner.")


@strawberry.input(description="The pending invitation to revoke.")
class InvitationRevokeInput:
    id: relay.GlobalID = node_id("Invitation", description="A pending (INVITED) invitation of your partner.")


@strawberry.input(description="Accept an invitation addressed to your personal account.")
class InvitationAcceptInput:
    token: str = strawberry.field(description="The single-use token delivered with the invitation; at most 100 characters.")
    consent: bool = strawberry.field(
        description="Binding requires the invitee's consent to share account name and qualifications: must be true.")


@strawberry.input(description="The bound member to unbind from your partner.")
class MemberUnbindInput:
    member_id: relay.GlobalID = node_id("Account", description="A bound member (伙伴成员) of your partner, not yourself.")


@strawberry.input(description="A new organisation member (组织成员).")
class OrgMemberCreateInput:
    name: str = strawberry.field(description="The sign-in name: unique, 3 to 100 characters of a-z, 0-9, '.', '_', '-'; immutable.")
    display_name: str = strawberry.field(description="The name shown to others; at most 200 characters.")
    email: str = strawberry.field(description="E-mail address (name@domain.tld); at most 254 characters.")
    mobile: str | None = strawberry.field(default=None, description="Mobile number: 6 to 20 digits, spaces or a leading +.")
    role_ids: list[relay.GlobalID] = node_id("Role", description="1 to 3 roles; SYSTEM_ADMIN alone; never ACCOUNT_MANAGER with its supervisor role.")


@strawberry.input(description="Changes to an organisation member; omitted fields stay as they are (the name never changes).")
class OrgMemberUpdateInput:
    id: relay.GlobalID = node_id("Account", description="An organisation member of your partner.")
    display_name: str | None = strawberry.field(default=None, description="A new display name; at most 200 characters.")
    email: str | None = strawberry.field(default=None, description="A new e-mail address.")
    mobile: str | None = strawberry.field(default=None, description="A new mobile number; an empty string removes it.")


@strawberry.input(description="Changes to your own account; what is left out stays.")
class AccountUpdateInput:
    display_name: str | None = strawberry.field(default=None, description="A new display name; at most 200 characters.")
    email: str | None = strawberry.field(default=None, description="A new e-mail address; takes a CONTACT_CHANGE verification "
                                                                   "code.")
    mobile: str | None = strawberry.field(default=None, description="A new mobile number (an empty string removes it); takes "
                                                                    "a CONTACT_CHANGE verification code.")
    verification_code: str | None = code_field("The one-time code (verificationCodeRequest, purpose CONTACT_CHANGE) when the "
                                                "e-mail or mobile changes.")


@strawberry.input(description="The organisation member to disable; it can no longer sign in.")
class OrgMemberDisableInput:
    id: relay.GlobalID = node_id("Account", description="An active organisation member of your partner; not yourself.")


@strawberry.input(description="The organisation member to enable again.")
class OrgMemberEnableInput:
    id: relay.GlobalID = node_id("Account", description="A disabled organisation member of your partner.")


@strawberry.input(description="Who becomes the partner's main account.")
class MainAccountTransferInput:
    new_main_account_id: relay.GlobalID = node_id("Account",
        description="An active organisation or bound member of your partner; you become an organisation member holding SYSTEM_ADMIN.")
