"""Verification codes, issued as the gateway issues them (the tests cannot read the SMS)."""

from __future__ import annotations

from models.members import Account
from models.safeguards import VerificationPurpose
from resolvers.principal import principal_for
from resolvers.safeguards import issue_code


async def create_verification_code(account: Account, purpose: VerificationPurpose) -> str:
    """A fresh code for `account` and `purpose`, in clear."""
    code, _ = await issue_code(await principal_for(account.id), purpose)
    return code
