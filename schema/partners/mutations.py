"""Changes to partner companies that platform staff make."""

from __future__ import annotations

import strawberry
from strawberry import relay

from resolvers.partners import services
from resolvers.permissions.catalog import Permission
from schema.global_ids import node_id
from schema.mutations import Payload, PayloadField, mutation
from schema.partners.types import Partner


@strawberry.input(description="A partner's new name.")
class PartnerRenameInput:
    id: relay.GlobalID = node_id("Partner", description="The partner.")
    name: str = strawberry.field(description="Its new registered name; 1 to 200 characters, unique (ignoring case).")


@strawberry.type(description="Partner companies.")
class PartnerMutations:
    partner_rename = mutation(
        requires=Permission.PARTNER_RENAME,
        input=PartnerRenameInput,
        service=services.rename,
        argument="The partner and its new name.",
        description="Rename a partner company (ecosystem managers); the audit record keeps the name before.",
        noted=lambda result: {"previousName": result[1]},
        payload=Payload(
            "The result of renaming a partner.",
            returns=PayloadField("partner", Partner, "The partner, renamed; null if refused."),
            also=[PayloadField("previous_name", str, "The name it had; null if refused.")],
        ),
    )
