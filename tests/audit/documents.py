"""The GraphQL documents the audit tests send: a mutation to audit, and the records it leaves."""

ROLE_CREATE = """mutation($input: RoleCreateInput!) { roleCreate(input: $input) { role { id } userErrors { code } } }"""
RECORDS = """query($filter: AuditRecordFilter) { auditRecords(first: 100, filter: $filter) {
    totalCount nodes { action outcome target requestId input actor { name } partner { name } } } }"""
PERMISSIONS = "{ viewer { permissions } }"
BALANCE = "{ viewer { partner { balance { amount } } } }"
