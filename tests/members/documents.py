"""The GraphQL documents the member tests send: API keys, roles and their assignment, contact details."""

API_KEY_CREATE = """mutation($input: ApiKeyCreateInput!) { apiKeyCreate(input: $input) {
    secret apiKey { id name prefix scopes lastUsedAt revokedAt } userErrors { field code } } }"""
API_KEY_REVOKE = """mutation($input: ApiKeyRevokeInput!) { apiKeyRevoke(input: $input) { apiKey { id revokedAt } userErrors { code } } }"""
API_KEYS = "{ viewer { apiKeys { id prefix scopes lastUsedAt revokedAt } } }"

ROLE_CREATE = """mutation($input: RoleCreateInput!) { roleCreate(input: $input) {
    role { id name grants } userErrors { field message code } } }"""
ROLE_UPDATE = """mutation($input: RoleUpdateInput!) { roleUpdate(input: $input) {
    role { id name grants } userErrors { field message code } } }"""
ROLE_DELETE = """mutation($input: RoleDeleteInput!) { roleDelete(input: $input) { deletedRoleId userErrors { field code } } }"""
ROLES_ASSIGN = """mutation($input: MemberRolesAssignInput!) { memberRolesAssign(input: $input) {
    member { id roles { name preset } } userErrors { field message code } } }"""
ROLES = "{ roles(first: 100) { nodes { id name preset } } }"
PERMISSIONS = "{ viewer { permissions } }"
OWN_PARTNER = "{ viewer { partner { id } } }"

CONTACT = "id name email mobile"
MEMBERS_OF_PARTNER = "{ viewer { account { %s } partner { members(first: 100) { nodes { %s supervisor { %s } } } } } }" % (
    CONTACT, CONTACT, CONTACT)
MEMBERS_AS_STAFF = """query($partner: ID!) { viewer { account { %s } }
    node(id: $partner) { ... on Partner { members(first: 100) { nodes { %s supervisor { %s } } } } } }""" % (CONTACT, CONTACT, CONTACT)
ACCOUNT_CONTACT = "query($id: ID!) { node(id: $id) { ... on Account { %s } } }" % CONTACT
