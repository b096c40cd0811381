"""One-time verification codes for sensitive operations."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Annotated

import strawberry

from models import safeguards as m
from resolvers.safeguards import issue_code
from schema.enums import publish
from schema.mutations import UserError, run_mutation
from schema.permissions.directive import PUBLIC, public_field

log = logging.getLogger("gateway.verification")

VerificationPurpose = publish(m.VerificationPurpose, "What a verification code is for.")


@strawberry.input(description="Ask for a one-time code for a sensitive operation.")
class VerificationCodeRequestInput:
    purpose: VerificationPurpose = strawberry.field(description="The operation the code will be used for.")


@strawberry.type(description="Where the code went; the code itself is delivered out of band.", directives=[PUBLIC])
class VerificationCodeRequestPayload:
    expires_at: datetime | None = strawberry.field(description="When the code stops working (5 minutes).")
    user_errors: list[UserError] = strawberry.field(description="Why no code was issued; empty on success.")


@strawberry.type(description="Verification codes.")
class SafeguardMutations:
    @public_field(description="Send yourself a one-time code for a sensitive operation (withdrawal, fund allocation, "
                              "coupon issue or reclaim, quota allocation or reclaim, customer disassociation). "
                              "Needed when your partner has verification codes switched on; in development the code is logged.")
    async def verification_code_request(
        self, info: strawberry.Info,
        input: Annotated[VerificationCodeRequestInput, strawberry.argument(description="The purpose.")],
    ) -> VerificationCodeRequestPayload:
        principal = info.context.principal
        issued, errors = await run_mutation(info, "verificationCodeRequest", input,
                                            lambda: issue_code(principal, input.purpose), target=lambda r: str(input.purpose.value))
        if issued is None:
            return VerificationCodeRequestPayload(expires_at=None, user_errors=errors)
        code, expires = issued
        if info.context.settings.dev_mode:
            # Development stands in for the SMS/e-mail delivery a production deployment plugs in here.
            log.warning("verification code for %s (%s): %s", principal.account_name, input.purpose.value, code)
        return VerificationCodeRequestPayload(expires_at=expires, user_errors=[])
