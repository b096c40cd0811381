"""Project specialists and expert applications."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry

from models import experts as m
from resolvers.experts import services
from schema.experts.inputs import (
    ExpertApplyInput, ExpertRejectInput, ExpertStageAdvanceInput, SpecialistApplyInput, SpecialistApproveInput,
    SpecialistCancelApproveInput, SpecialistCancelRejectInput, SpecialistCancelRequestInput,
    SpecialistCancelWithdrawInput, SpecialistRejectInput, SpecialistResubmitInput,
)
from schema.experts.types import ExpertApplication, SpecialistApplication
from schema.mutations import UserError, mutation_pk, run_mutation
from schema.permissions.directive import PUBLIC, permission_field
from resolvers.permissions.catalog import Permission


@strawberry.type(description="The result of a specialist mutation.", directives=[PUBLIC])
class SpecialistApplicationPayload:
    specialist_application: SpecialistApplication | None = strawberry.field(
        description="The proposal as it is now; null if refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the change was refused; empty on success.")


@strawberry.type(description="The result of an expert application mutation.", directives=[PUBLIC])
class ExpertApplicationPayload:
    expert_application: ExpertApplication | None = strawberry.field(
        description="The application as it is now, with its stage records; null if refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the change was refused; empty on success.")


async def _specialist(info: strawberry.Info, action: str, input: Any,
                      change: Callable[[], Awaitable[m.SpecialistApplication]]) -> SpecialistApplicationPayload:
    application, errors = await run_mutation(info, action, input, change,
                                             target=lambda a: f"SpecialistApplication:{a.id}")
    return SpecialistApplicationPayload(specialist_application=application, user_errors=errors)


async def _expert(info: strawberry.Info, action: str, input: Any,
                  change: Callable[[], Awaitable[m.ExpertApplication]]) -> ExpertApplicationPayload:
    application, errors = await run_mutation(info, action, input, change,
                                             target=lambda a: f"ExpertApplication:{a.id}")
    return ExpertApplicationPayload(expert_application=application, user_errors=errors)


def _specialist_id(input: Any) -> int:
    return mutation_pk(input.id, "SpecialistApplication", "id")


def _arg(description: str) -> Any:
    return strawberry.argument(description=description)


@strawberry.type(description="Project specialists and expert applications.")
class ExpertMutations:
    @permission_field(requires=Permission.SPECIALIST_APPLY, description="Propose a bound member of your partner as project specialist (项目专员); it awaits staff review.")
    async def specialist_apply(self, info: strawberry.Info, input: Annotated[SpecialistApplyInput, _arg("The member.")]) -> SpecialistApplicationPayload | None:
        return await _specialist(info, "specialistApply", input, lambda: services.apply_specialist(
            info.context.principal, mutation_pk(input.member_id, "Account", "memberId")))

    @permission_field(requires=Permission.SPECIALIST_APPLY, description="Submit a rejected specialist proposal again (SPECIALIST_REJECTED → SPECIALIST_PENDING).")
    async def specialist_resubmit(self, info: strawberry.Info, input: Annotated[SpecialistResubmitInput, _arg("The proposal.")]) -> SpecialistApplicationPayload | None:
        return await _specialist(info, "specialistResubmit", input, lambda: services.resubmit_specialist(
            info.context.principal, _specialist_id(input)))

    @permission_field(requires=Permission.SPECIALIST_REVIEW, description="Approve a specialist proposal (SPECIALIST_PENDING → SPECIALIST); platform staff.")
    async def specialist_approve(self, info: strawberry.Info, input: Annotated[SpecialistApproveInput, _arg("The proposal.")]) -> SpecialistApplicationPayload | None:
        return await _specialist(info, "specialistApprove", input, lambda: services.approve_specialist(
            info.context.principal, _specialist_id(input)))

    @permission_field(requires=Permission.SPECIALIST_REVIEW, description="Reject a specialist proposal with a reason (SPECIALIST_PENDING → SPECIALIST_REJECTED); platform staff.")
    async def specialist_reject(self, info: strawberry.Info, input: Annotated[SpecialistRejectInput, _arg("The proposal and the reason.")]) -> SpecialistApplicationPayload | None:
        return await _specialist(info, "specialistReject", input, lambda: services.reject_specialist(
            info.context.principal, _specialist_id(input), input.reason))

    @permission_field(requires=Permission.SPECIALIST_CANCEL, description="Ask to cancel a project specialist, with a reason (SPECIALIST → CANCEL_PENDING); staff decide.")
    async def specialist_cancel_request(self, info: strawberry.Info, input: Annotated[SpecialistCancelRequestInput, _arg("The specialist and the reason.")]) -> SpecialistApplicationPayload | None:
        return await _specialist(info, "specialistCancelRequest", input, lambda: services.request_specialist_cancel(
            info.context.principal, _specialist_id(input), input.reason))

    @permission_field(requires=Permission.SPECIALIST_CANCEL, description="Take back a pending cancellation (CANCEL_PENDING → SPECIALIST).")
    async def specialist_cancel_withdraw(self, info: strawberry.Info, input: Annotated[SpecialistCancelWithdrawInput, _arg("The specialist.")]) -> SpecialistApplicationPayload | None:
        return await _specialist(info, "specialistCancelWithdraw", input, lambda: services.withdraw_specialist_cancel(
            info.context.principal, _specialist_id(input)))

    @permission_field(requires=Permission.SPECIALIST_REVIEW, description="Approve a requested cancellation (CANCEL_PENDING → CANCELLED); platform staff.")
    async def specialist_cancel_approve(self, info: strawberry.Info, input: Annotated[SpecialistCancelApproveInput, _arg("The specialist.")]) -> SpecialistApplicationPayload | None:
        return await _specialist(info, "specialistCancelApprove", input, lambda: services.approve_specialist_cancel(
            info.context.principal, _specialist_id(input)))

    @permission_field(requires=Permission.SPECIALIST_REVIEW, description="Refuse a requested cancellation; the member stays a specialist (CANCEL_PENDING → SPECIALIST); platform staff.")
    async def specialist_cancel_reject(self, info: strawberry.Info, input: Annotated[SpecialistCancelRejectInput, _arg("The specialist.")]) -> SpecialistApplicationPayload | None:
        return await _specialist(info, "specialistCancelReject", input, lambda: services.reject_specialist_cancel(
            info.context.principal, _specialist_id(input)))

    @permission_field(requires=Permission.EXPERT_APPLY, description="Submit a project specialist's resume for the expert path (专家); it starts at RESUME_SUBMITTED.")
    async def expert_apply(self, info: strawberry.Info, input: Annotated[ExpertApplyInput, _arg("The specialist and the resume.")]) -> ExpertApplicationPayload | None:
        return await _expert(info, "expertApply", input, lambda: services.apply_expert(
            info.context.principal, mutation_pk(input.member_id, "Account", "memberId"),
            resume_text=input.resume_text, resume_document=input.resume_document))

    @permission_field(requires=Permission.EXPERT_REVIEW, description="Move an expert application to its next stage (RESUME_SUBMITTED → CAPABILITY_EXAM → MATURITY_ASSESSMENT → DEFENSE → CERTIFIED), recording the result; ecosystem manager.")
    async def expert_stage_advance(self, info: strawberry.Info, input: Annotated[ExpertStageAdvanceInput, _arg("The application, result and notes.")]) -> ExpertApplicationPayload | None:
        return await _expert(info, "expertStageAdvance", input, lambda: services.advance_expert(
            info.context.principal, mutation_pk(input.id, "ExpertApplication", "id"), result=input.result, notes=input.notes))

    @permission_field(requires=Permission.EXPERT_REVIEW, description="Reject an expert application at its current stage, with a reason (→ REJECTED); ecosystem manager.")
    async def expert_reject(self, info: strawberry.Info, input: Annotated[ExpertRejectInput, _arg("The application and the reason.")]) -> ExpertApplicationPayload | None:
        return await _expert(info, "expertReject", input, lambda: services.reject_expert(
            info.context.principal, mutation_pk(input.id, "ExpertApplication", "id"), input.reason))
