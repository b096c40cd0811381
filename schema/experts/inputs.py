"""Filters for specialists and expert applications."""

from __future__ import annotations

import strawberry
from tortoise.expressions import Q

from schema.enums import ExpertStage, SpecialistStatus
from schema.filters import FilterInput, criteria
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
