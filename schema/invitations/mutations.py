"""Members and invitations: invite, resend, revoke, accept, unbind; organisation members; main-account transfer."""

from __future__ import annotations

import strawberry


@strawberry.type(description="Members and invitations: invite, resend, revoke, accept, unbind; organisation members; main-account transfer.")
class InvitationMutations:
    pass
