"""Specialists and expert applications a caller may read."""

from __future__ import annotations

from models.experts import ExpertApplication, ExpertStageRecord, SpecialistApplication
from resolvers.permissions.catalog import Permission
from resolvers.scoping import scoped

readable_specialists = scoped(SpecialistApplication, staff=Permission.SPECIALIST_REVIEW)
readable_expert_applications = scoped(ExpertApplication, staff=Permission.EXPERT_VIEW)
readable_stage_records = scoped(ExpertStageRecord, tenant="application__partner_id", staff=Permission.EXPERT_VIEW)
