"""Sending and answering invitations through the API, and the token the gateway delivers out of band."""

from __future__ import annotations

import hashlib
import logging
import re

import pytest

from tests.graphql import GraphQLClient, pk_of
from tests.invitations.documents import ACCEPT, INVITE

TOKEN_LOG = re.compile(r"invitation token for .* \(Invitation:(\d+)\): (\S+)")


def sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sent_token(caplog: pytest.LogCaptureFixture, invitation_gid: str) -> str:
    """The token the gateway delivered (logged in development) for that invitation, latest first."""
    pk = str(pk_of(invitation_gid))
    for record in reversed(caplog.records):
        match = TOKEN_LOG.fullmatch(record.getMessage())
        if record.name == "gateway.invitations" and match and match.group(1) == pk:
            return match.group(2)
    raise AssertionError(f"no token logged for Invitation:{pk}")


async def invite(gql: GraphQLClient, caplog: pytest.LogCaptureFixture, caller: str, identifier: str,
                 identifier_type: str = "EMAIL") -> tuple[str, str]:
    """Send an invitation through the API: (invitation ID, token)."""
    caplog.set_level(logging.WARNING, logger="gateway.invitations")
    result = (await gql.as_(caller, INVITE, {"input": {"identifierType": identifier_type, "inviteeIdentifier": identifier}})).ok()["memberInvite"]
    assert result["userErrors"] == [], result
    invitation_id = result["invitation"]["id"]
    return invitation_id, sent_token(caplog, invitation_id)


async def accept(gql: GraphQLClient, caller: str, token: str, consent: bool = True) -> dict:
    return (await gql.as_(caller, ACCEPT, {"input": {"token": token, "consent": consent}})).ok()["invitationAccept"]
