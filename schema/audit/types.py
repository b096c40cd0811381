"""Audit records (云审计)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.scalars import JSON
from tortoise.expressions import Q

from models import audit as m
from resolvers.audit.queries import readable_audit_records
from resolvers.members.queries import readable_accounts
from resolvers.partners.queries import readable_partners
from schema.enums import AuditOutcome
from schema.filters import FilterInput, criteria
from schema.global_ids import node_id
from schema.members.types import Account
from schema.permissions.directive import PUBLIC
from schema.relay import ModelNode, order_input, related_field


@strawberry.type(description="An append-only record of a mutation or security event.", directives=[PUBLIC])
class AuditRecord(ModelNode):
    model = m.AuditRecord
    readable = readable_audit_records

    action: str = strawberry.field(description="The mutation (e.g. `couponIssue`), `query` for a denied read, or `authenticate`.")
    target: str = strawberry.field(description="The object acted on, as `Type:id`, or the denied fields.")
    outcome: AuditOutcome = strawberry.field(description="What happened.")
    roles: list[str] = strawberry.field(description="The actor's roles at the time.")
    request_id: str = strawberry.field(description="The request's id (also in the `X-Request-ID` header and the server log).")
    input: JSON = strawberry.field(description="The input as given, with secrets and verification codes redacted.")
    created_at: datetime = strawberry.field(description="When it happened (UTC).")

    actor = related_field(Account, readable_accounts, "actor_id", description="Who acted; null for unauthenticated events.")
    partner = related_field(Annotated["Partner", strawberry.lazy("schema.partners.types")], readable_partners, "partner_id",  # noqa: F821 - lazy
                            description="The actor's partner.")


@strawberry.input(description="Criteria for audit records; all given criteria must match.")
class AuditRecordFilter(FilterInput):
    action: str | None = strawberry.field(default=None, description="Only this action.")
    outcome: AuditOutcome | None = strawberry.field(default=None, description="Only this outcome.")
    actor_id: relay.GlobalID | None = node_id("Account", default=None, description="Only this actor's records.")
    request_id: str | None = strawberry.field(default=None, description="Only this request's records.")
    after: datetime | None = strawberry.field(default=None, description="Only records at or after this time.")
    before: datetime | None = strawberry.field(default=None, description="Only records before this time.")

    def lookups(self) -> list[Q]:
        return criteria(action=self.action, outcome=self.outcome, request_id=self.request_id,
                        actor_id=self.pk("actor_id"),
                        created_at__gte=self.after, created_at__lt=self.before)


AuditRecordOrder = order_input(
    "AuditRecordOrder", "How to order audit records.", {"CREATED_AT": ("created_at", "By time.")}, default="CREATED_AT")
