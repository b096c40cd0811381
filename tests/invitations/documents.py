"""The GraphQL documents the invitation, main-account and organisation-member tests send."""

INVITE = """mutation($input: MemberInviteInput!) { memberInvite(input: $input) {
    invitation { id status identifierType inviteeIdentifier sentAt expiresAt acceptedAt consentGiven } userErrors { field message code } } }"""
RESEND = """mutation($input: InvitationResendInput!) { invitationResend(input: $input) {
    invitation { id status sentAt expiresAt } userErrors { field message code } } }"""
REVOKE = """mutation($input: InvitationRevokeInput!) { invitationRevoke(input: $input) {
    invitation { id status } userErrors { field message code } } }"""
ACCEPT = """mutation($input: InvitationAcceptInput!) { invitationAccept(input: $input) {
    invitation { id status consentGiven acceptedAt acceptedAccount { name kind } } userErrors { field message code } } }"""
UNBIND = """mutation($input: MemberUnbindInput!) { memberUnbind(input: $input) {
    member { id name kind roles { preset } } invitation { id status } userErrors { field message code } } }"""
TRANSFER = """mutation($input: MainAccountTransferInput!) { mainAccountTransfer(input: $input) {
    mainAccount { id name kind roles { preset } } previousMainAccount { id name kind roles { preset } }
    userErrors { field message code } } }"""

MEMBER_PAYLOAD = "member { id name displayName email mobile kind status roles { preset } } userErrors { field message code }"
ORG_MEMBER_CREATE = f"mutation($input: OrgMemberCreateInput!) {{ orgMemberCreate(input: $input) {{ {MEMBER_PAYLOAD} }} }}"
ORG_MEMBER_UPDATE = f"mutation($input: OrgMemberUpdateInput!) {{ orgMemberUpdate(input: $input) {{ {MEMBER_PAYLOAD} }} }}"
ORG_MEMBER_DISABLE = f"mutation($input: OrgMemberDisableInput!) {{ orgMemberDisable(input: $input) {{ {MEMBER_PAYLOAD} }} }}"
ORG_MEMBER_ENABLE = f"mutation($input: OrgMemberEnableInput!) {{ orgMemberEnable(input: $input) {{ {MEMBER_PAYLOAD} }} }}"

INVITATIONS_BY_STATUS = """query($status: InvitationStatus) { viewer { partner { invitations(first: 100, filter: {status: $status}) {
    nodes { inviteeIdentifier status } } } } }"""
INVITATION = "query($id: ID!) { node(id: $id) { id ... on Invitation { status inviteeIdentifier identifierType } } }"
PENDING_INVITATIONS = "{ viewer { pendingInvitations { id status inviteeIdentifier identifierType } } }"
PERMISSIONS = "{ viewer { permissions } }"
