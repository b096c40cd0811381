"""One-time verification codes for sensitive operations."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models import safeguards as m
from resolvers.safeguards import request_code
from schema.enums import publish
from schema.mutations import Payload, PayloadField, mutation

publish(m.VerificationPurpose, "What a verification code is for.")
VerificationPurpose = m.VerificationPurpose


@strawberry.input(description="Ask for a one-time code for a sensitive operation.")
class VerificationCodeRequestInput:
    purpose: VerificationPurpose = strawberry.field(description="The operation the code will be used for.")


@strawberry.type(description="Verification codes.")
class SafeguardMutations:
    verification_code_request = mutation(
        public=True,
        input=VerificationCodeRequestInput,
        service=request_code,
        argument="The purpose.",
        description="Send yourself a one-time code for a sensitive operation (withdrawal, fund allocation, coupon issue or "
                    "reclaim, quota allocation or reclaim, customer disassociation). Needed when your partner has "
                    "verification codes switched on; in development the code is logged.",
        target=lambda input, _: str(input.purpose.value),
        payload=Payload(
            "Where the code went; the code itself is delivered out of band.",
            returns=PayloadField("expires_at", datetime, "When the code stops working (5 minutes)."),
            refused="Why no code was issued; empty on success.",
        ),
    )
