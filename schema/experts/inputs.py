"""Filters for specialists and expert applications."""

from __future__ import annotations

import strawberry
from strawberry import relay
from tortoise.expressions import Q

from schema.enums import ExpertStage, SpecialistStatus
from schema.filters import FilterInput, criteria
from schema.global_ids import node_id
from schema.relay import order_input


@strawberry.input(description="Criteria for specialist lists.")
class SpecialistFilter(FilterInput):
    status: SpecialistStatus | None = strawberry.field(default=None, description="Only proposals in this status.")

    def lookups(self) -> list[Q]:
        return criteria(status=self.status)


@strawberry.input(description="Criteria for expert application lists.")
class ExpertApplicationFilter(FilterInput):
    stage: ExpertStage | None = strawberry.field(default=None, description="Only applications at this stage.")

    def lookups(self) -> list[Q]:
        return criteria(stage=self.stage)


SpecialistOrder = order_input(
    "SpecialistOrder", "How to order specialist lists.",
    {"CREATED_AT": ("created_at", "By proposal time."), "UPDATED_AT": ("updated_at", "By last change.")},
    default="CREATED_AT",
)
ExpertApplicationOrder = order_input(
    "ExpertApplicationOrder", "How to order expert applications.",
    {"CREATED_AT": ("created_at", "By submission time."), "UPDATED_AT": ("updated_at", "By last stage change.")},
    default="CREATED_AT",
)


@strawberry.input(description="The bound member to propose as project specialist.")
class SpecialistApplyInput:
    member_id: relay.GlobalID = node_id("Account", description="A bound member (伙伴成员) of your partner without an open proposal.")


@strawberry.input(description="A rejected specialist proposal to submit again.")
class SpecialistResubmitInput:
    id: relay.GlobalID = node_id("SpecialistApplication", description="A SPECIALIST_REJECTED proposal of your partner.")


@strawberry.input(description="A specialist proposal to approve.")
class SpecialistApproveInput:
    id: relay.GlobalID = node_id("SpecialistApplication", description="A SPECIALIST_PENDING proposal.")


@strawberry.input(description="A specialist proposal to reject, and why.")
class SpecialistRejectInput:
    id: relay.GlobalID = node_id("SpecialistApplication", description="A SPECIALIST_PENDING proposal.")
    reason: str = strawberry.field(description="Why it is rejected, shown to the partner; 1 to 500 characters.")


@strawberry.input(description="A project specialist to cancel, and why.")
class SpecialistCancelRequestInput:
    id: relay.GlobalID = node_id("SpecialistApplication", description="An approved (SPECIALIST) proposal of your partner.")
    reason: str = strawberry.field(description="Why the specialist should be cancelled; 1 to 500 characters.")


@strawberry.input(description="A pending cancellation to take back.")
class SpecialistCancelWithdrawInput:
    id: relay.GlobalID = node_id("SpecialistApplication", description="A CANCEL_PENDING proposal of your partner.")


@strawberry.input(description="A requested cancellation to approve.")
class SpecialistCancelApproveInput:
    id: relay.GlobalID = node_id("SpecialistApplication", description="A CANCEL_PENDING proposal.")


@strawberry.input(description="A requested cancellation to refuse; the member stays a specialist.")
class SpecialistCancelRejectInput:
    id: relay.GlobalID = node_id("SpecialistApplication", description="A CANCEL_PENDING proposal.")


@strawberry.input(description="An expert application (专家) for one of your project specialists.")
class ExpertApplyInput:
    member_id: relay.GlobalID = node_id("Account",
        description="A member of your partner who is an approved project specialist, without an application in progress.")
    resume_text: str = strawberry.field(description="The resume; 1 to 10000 characters.")
    resume_document: str | None = strawberry.field(
        default=None, description="A reference to an attached resume document (e.g. an object-storage key); at most 500 characters.")


@strawberry.input(description="An expert application to move to its next stage, with the result of the current one.")
class ExpertStageAdvanceInput:
    id: relay.GlobalID = node_id("ExpertApplication", description="An expert application that is neither CERTIFIED nor REJECTED.")
    result: str | None = strawberry.field(default=None, description="The result of the stage just passed; at most 200 characters.")
    notes: str | None = strawberry.field(default=None, description="Notes for the record; at most 2000 characters.")


@strawberry.input(description="An expert application to reject, and why.")
class ExpertRejectInput:
    id: relay.GlobalID = node_id("ExpertApplication", description="An expert application that is neither CERTIFIED nor REJECTED.")
    reason: str = strawberry.field(description="Why it is rejected, shown to the partner; 1 to 500 characters.")
