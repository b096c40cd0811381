"""Cloud lab (云实验): partner admins apply, platform operations review and issue."""

from __future__ import annotations

import strawberry

from resolvers.cloudlab import services
from resolvers.permissions.catalog import Permission
from schema.cloudlab.inputs import CloudLabApplicationInput, CloudLabApplyInput, CloudLabRejectInput
from schema.cloudlab.types import CloudLabApplication
from schema.mutations import Payload, PayloadField, mutation

APPLICATION = Payload(
    "The result of a change to a cloud-lab application.",
    returns=PayloadField("application", CloudLabApplication, "The application as it is now; null if refused."),
    name="CloudLabApplicationPayload",
)


@strawberry.type(description="Cloud lab (云实验).")
class CloudLabMutations:
    cloud_lab_apply = mutation(
        requires=Permission.CLOUDLAB_APPLY, input=CloudLabApplyInput, service=services.apply, argument="Members, purpose, points.",
        description="Apply for cloud-lab benefits for bound members (admins); one pending application at a time.",
        payload=APPLICATION,
    )
    cloud_lab_approve = mutation(
        requires=Permission.CLOUDLAB_REVIEW, input=CloudLabApplicationInput, service=services.approve,
        argument="The application.", description="Approve a SUBMITTED application (operations staff).", payload=APPLICATION,
    )
    cloud_lab_reject = mutation(
        requires=Permission.CLOUDLAB_REVIEW, input=CloudLabRejectInput, service=services.reject,
        argument="The application and reason.", description="Reject a SUBMITTED application with a reason (operations staff).",
        payload=APPLICATION,
    )
    cloud_lab_issue = mutation(
        requires=Permission.CLOUDLAB_REVIEW, input=CloudLabApplicationInput, service=services.issue,
        argument="The application.", description="Issue an APPROVED application's benefit (operations staff): every "
                                                 "beneficiary is credited its lab points.", payload=APPLICATION,
    )
