"""The inputs of the cloud-lab mutations."""

from __future__ import annotations

import strawberry
from strawberry import relay

from schema.global_ids import node_id


@strawberry.input(description="Apply for cloud-lab benefits for bound members.")
class CloudLabApplyInput:
    member_ids: list[relay.GlobalID] = node_id("Account", description="1 to 50 active bound members of your partner.")
    purpose: str = strawberry.field(description="What the labs are for; 1 to 500 characters.")
    points_per_member: int = strawberry.field(description="Lab points for each member, 1 to 10,000.")


@strawberry.input(description="A cloud-lab application.")
class CloudLabApplicationInput:
    id: relay.GlobalID = node_id("CloudLabApplication", description="The application.")


@strawberry.input(description="Reject a cloud-lab application.")
class CloudLabRejectInput:
    id: relay.GlobalID = node_id("CloudLabApplication", description="A SUBMITTED application.")
    reason: str = strawberry.field(description="Why, for the partner; 1 to 500 characters.")
