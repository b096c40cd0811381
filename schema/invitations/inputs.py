"""Filters and ordering for invitations."""

from __future__ import annotations

from datetime import datetime

import strawberry
from tortoise.expressions import Q

from schema.enums import InvitationStatus, InviteeIdentifierType
from schema.filters import FilterInput, criteria
from schema.relay import order_input


@strawberry.input(description="Criteria for invitation lists; all given criteria must match.")
class InvitationFilter(FilterInput):
    status: InvitationStatus | None = strawberry.field(default=None, description="Only invitations in this status.")
    identifier_type: InviteeIdentifierType | None = strawberry.field(default=None, description="Only invitees identified this way.")
    sent_after: datetime | None = strawberry.field(default=None, description="Only invitations sent at or after this time.")
    sent_before: datetime | None = strawberry.field(default=None, description="Only invitations sent before this time.")

    def lookups(self) -> list[Q]:
        return criteria(
            status=self.status, identifier_type=self.identifier_type,
            sent_at__gte=self.sent_after, sent_at__lt=self.sent_before,
        )


InvitationOrder = order_input(
    "InvitationOrder",
    "How to order invitation lists.",
    {"SENT_AT": ("sent_at", "By sending time."), "EXPIRES_AT": ("expires_at", "By expiry time.")},
    default="SENT_AT",
)
