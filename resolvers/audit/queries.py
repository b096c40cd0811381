"""Who reads audit records: partner admins their partner's, operations staff everyone's."""

from __future__ import annotations

from models.audit import AuditRecord
from resolvers.permissions.catalog import Permission
from resolvers.scoping import scoped

readable_audit_records = scoped(AuditRecord, staff=Permission.AUDIT_VIEW)
