"""Specialists and expert applications a caller may read."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from models.experts import ExpertApplication, ExpertStageRecord, SpecialistApplication
from resolvers.principal import Principal
from resolvers.scoping import own_partner_rows
from resolvers.permissions.catalog import Permission


def readable_specialists(principal: Principal) -> QuerySet[SpecialistApplication]:
    return own_partner_rows(principal, SpecialistApplication.all(), staff_permission=Permission.SPECIALIST_REVIEW)


def readable_expert_applications(principal: Principal) -> QuerySet[ExpertApplication]:
    return own_partner_rows(principal, ExpertApplication.all(), staff_permission=Permission.EXPERT_VIEW)


def readable_stage_records(principal: Principal) -> QuerySet[ExpertStageRecord]:
    return own_partner_rows(
        principal, ExpertStageRecord.all(), partner_field="application__partner_id", staff_permission=Permission.EXPERT_VIEW
    )
