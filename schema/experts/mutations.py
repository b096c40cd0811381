"""Project specialists and expert applications."""

from __future__ import annotations

import strawberry

from resolvers.experts import services
from resolvers.permissions.catalog import Permission
from schema.experts.inputs import (
    ExpertApplyInput,
    ExpertRejectInput,
    ExpertStageAdvanceInput,
    SpecialistApplyInput,
    SpecialistApproveInput,
    SpecialistCancelApproveInput,
    SpecialistCancelRejectInput,
    SpecialistCancelRequestInput,
    SpecialistCancelWithdrawInput,
    SpecialistRejectInput,
    SpecialistResubmitInput,
)
from schema.experts.types import ExpertApplication, SpecialistApplication
from schema.mutations import Payload, PayloadField, mutation

SPECIALIST = Payload(
    "The result of a specialist mutation.",
    returns=PayloadField("specialist_application", SpecialistApplication, "The proposal as it is now; null if refused."),
    name="SpecialistApplicationPayload",
)
EXPERT = Payload(
    "The result of an expert application mutation.",
    returns=PayloadField("expert_application", ExpertApplication,
            "The application as it is now, with its stage records; null if refused."),
    name="ExpertApplicationPayload",
)


@strawberry.type(description="Project specialists and expert applications.")
class ExpertMutations:
    specialist_apply = mutation(
        requires=Permission.SPECIALIST_APPLY,
        input=SpecialistApplyInput,
        service=services.apply_specialist,
        argument="The member.",
        payload=SPECIALIST,
        description="Propose a bound member of your partner as project specialist (项目专员); it awaits staff review.",
    )
    specialist_resubmit = mutation(
        requires=Permission.SPECIALIST_APPLY,
        input=SpecialistResubmitInput,
        service=services.resubmit_specialist,
        argument="The proposal.",
        payload=SPECIALIST,
        description="Submit a rejected specialist proposal again (SPECIALIST_REJECTED → SPECIALIST_PENDING).",
    )
    specialist_approve = mutation(
        requires=Permission.SPECIALIST_REVIEW,
        input=SpecialistApproveInput,
        service=services.approve_specialist,
        argument="The proposal.",
        payload=SPECIALIST,
        description="Approve a specialist proposal (SPECIALIST_PENDING → SPECIALIST); platform staff.",
    )
    specialist_reject = mutation(
        requires=Permission.SPECIALIST_REVIEW,
        input=SpecialistRejectInput,
        service=services.reject_specialist,
        argument="The proposal and the reason.",
        payload=SPECIALIST,
        description="Reject a specialist proposal with a reason (SPECIALIST_PENDING → SPECIALIST_REJECTED); platform staff.",
    )
    specialist_cancel_request = mutation(
        requires=Permission.SPECIALIST_CANCEL,
        input=SpecialistCancelRequestInput,
        service=services.request_specialist_cancel,
        argument="The specialist and the reason.",
        payload=SPECIALIST,
        description="Ask to cancel a project specialist, with a reason (SPECIALIST → CANCEL_PENDING); staff decide.",
    )
    specialist_cancel_withdraw = mutation(
        requires=Permission.SPECIALIST_CANCEL,
        input=SpecialistCancelWithdrawInput,
        service=services.withdraw_specialist_cancel,
        argument="The specialist.",
        payload=SPECIALIST,
        description="Take back a pending cancellation (CANCEL_PENDING → SPECIALIST).",
    )
    specialist_cancel_approve = mutation(
        requires=Permission.SPECIALIST_REVIEW,
        input=SpecialistCancelApproveInput,
        service=services.approve_specialist_cancel,
        argument="The specialist.",
        payload=SPECIALIST,
        description="Approve a requested cancellation (CANCEL_PENDING → CANCELLED); platform staff.",
    )
    specialist_cancel_reject = mutation(
        requires=Permission.SPECIALIST_REVIEW,
        input=SpecialistCancelRejectInput,
        service=services.reject_specialist_cancel,
        argument="The specialist.",
        payload=SPECIALIST,
        description="Refuse a requested cancellation; the member stays a specialist (CANCEL_PENDING → SPECIALIST); platform staff.",
    )
    expert_apply = mutation(
        requires=Permission.EXPERT_APPLY,
        input=ExpertApplyInput,
        service=services.apply_expert,
        argument="The specialist and the resume.",
        payload=EXPERT,
        description="Submit a project specialist's resume for the expert path (专家); it starts at RESUME_SUBMITTED.",
    )
    expert_stage_advance = mutation(
        requires=Permission.EXPERT_REVIEW,
        input=ExpertStageAdvanceInput,
        service=services.advance_expert,
        argument="The application, result and notes.",
        payload=EXPERT,
        description="Move an expert application to its next stage (RESUME_SUBMITTED → CAPABILITY_EXAM → MATURITY_ASSESSMENT "
                    "→ DEFENSE → CERTIFIED), recording the result; ecosystem manager.",
    )
    expert_reject = mutation(
        requires=Permission.EXPERT_REVIEW,
        input=ExpertRejectInput,
        service=services.reject_expert,
        argument="The application and the reason.",
        payload=EXPERT,
        description="Reject an expert application at its current stage, with a reason (→ REJECTED); ecosystem manager.",
    )
