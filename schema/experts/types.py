"""Project specialists and expert applications."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models import experts as m
from resolvers.experts.queries import readable_expert_applications, readable_specialists, readable_stage_records
from resolvers.members.queries import readable_accounts
from schema.enums import ExpertStage, SpecialistStatus
from schema.members.types import Account
from schema.permissions.directive import PUBLIC
from schema.relay import ModelNode, children, connection_field, related_field


@strawberry.type(description="A bound member proposed as project specialist (项目专员).", directives=[PUBLIC])
class SpecialistApplication(ModelNode):
    model = m.SpecialistApplication
    readable = readable_specialists

    status: SpecialistStatus = strawberry.field(description="Where the proposal stands.")
    cancel_reason: str = strawberry.field(description="Why cancellation was asked for, if it was.")
    rejection_reason: str = strawberry.field(description="Why staff rejected the proposal, if they did.")
    created_at: datetime = strawberry.field(description="When the member was proposed.")
    updated_at: datetime = strawberry.field(description="When the status last changed.")

    member = related_field(Account, readable_accounts, "member_id", description="The member proposed.")


@strawberry.type(description="One stage an expert application went through, with its result.", directives=[PUBLIC])
class ExpertStageRecord(ModelNode):
    model = m.ExpertStageRecord
    readable = readable_stage_records

    stage: ExpertStage = strawberry.field(description="The stage reached.")
    result: str = strawberry.field(description="The result recorded for the stage.")
    notes: str = strawberry.field(description="Notes from the ecosystem manager.")
    created_at: datetime = strawberry.field(description="When the stage was recorded.")

    actor = related_field(Account, readable_accounts, "actor_id", description="The staff member who recorded it.")


@strawberry.type(description="A specialist's application to become an expert (专家).", directives=[PUBLIC])
class ExpertApplication(ModelNode):
    model = m.ExpertApplication
    readable = readable_expert_applications

    stage: ExpertStage = strawberry.field(description="The current stage.")
    resume_text: str = strawberry.field(description="The resume as submitted.")
    resume_document: str = strawberry.field(description="A reference to an attached resume document, if any.")
    rejection_reason: str = strawberry.field(description="Why it was rejected, if it was.")
    created_at: datetime = strawberry.field(description="When it was submitted.")
    updated_at: datetime = strawberry.field(description="When the stage last changed.")

    specialist = related_field(Account, readable_accounts, "specialist_id", description="The specialist applying.")

    stage_records = connection_field(
        ExpertStageRecord,
        description="The stages this application went through, oldest first.",
        rows=children(readable_stage_records, "application_id"),
        default_order=("created_at",),
    )
