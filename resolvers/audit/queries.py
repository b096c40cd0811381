"""Who reads audit records: partner admins their partner's, operations staff everyone's."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from models.audit import AuditRecord
from resolvers.principal import Principal
from resolvers.scoping import own_partner_rows
from resolvers.permissions.catalog import Permission


def readable_audit_records(principal: Principal) -> QuerySet[AuditRecord]:
    return own_partner_rows(principal, AuditRecord.all(), staff_permission=Permission.AUDIT_VIEW)
