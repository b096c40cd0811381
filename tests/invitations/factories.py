"""Rows the invitation and member tests own: fresh partners with a main account, personal accounts, tokens."""

from __future__ import annotations

import hashlib
import logging
import re
import uuid

import pytest

from models.members import Account, AccountKind, PresetRole, Role
from models.partners import Partner
from tests.factories import create_account, unique
from tests.graphql import gid, pk_of  # noqa: F401 - re-exported: the tests import it from here

TOKEN_LOG = re.compile(r"invitation token for .* \(Invitation:(\d+)\): (\S+)")

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


def sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_partner(identities: tuple[str, ...] = ("SOLUTION_PROVIDER",)) -> tuple[Partner, Account]:
    """A partner of the test's own, with its main account."""
    partner = await Partner.create(name=unique("Test Partner"), region="cn-east-3", identities=list(identities))
    main = await create_account(partner, name=unique("test.main"), kind=AccountKind.MAIN_ACCOUNT)
    return partner, main


async def create_member(partner: Partner, *presets: PresetRole, **overrides) -> Account:
    member = await create_account(partner, **overrides)
    if presets:
        await member.roles.add(*[await Role.get(preset=p) for p in presets])
    return member


async def create_person(**overrides) -> Account:
    """A personal account nobody else uses, with a unique e-mail and mobile."""
    fields = {"name": unique("test.person"), "kind": AccountKind.PERSONAL,
              "email": f"{uuid.uuid4().hex[:10]}@people.example.com", "mobile": f"+86 139 {uuid.uuid4().int % 10**8:08d}"}
    fields.update(overrides)
    return await create_account(None, **fields)


def sent_token(caplog: pytest.LogCaptureFixture, invitation_gid: str) -> str:
    """The token the gateway delivered (logged in development) for that invitation, latest first."""
    pk = str(pk_of(invitation_gid))
    for record in reversed(caplog.records):
        match = TOKEN_LOG.fullmatch(record.getMessage())
        if record.name == "gateway.invitations" and match and match.group(1) == pk:
            return match.group(2)
    raise AssertionError(f"no token logged for Invitation:{pk}")


async def invite(gql, caplog, caller: str, identifier: str, identifier_type: str = "EMAIL") -> tuple[str, str]:
    """Send an invitation through the API: (invitation ID, token)."""
    caplog.set_level(logging.WARNING, logger="gateway.invitations")
    result = (await gql.as_(caller, INVITE, {"input": {"identifierType": identifier_type, "inviteeIdentifier": identifier}})).ok()["memberInvite"]
    assert result["userErrors"] == [], result
    invitation_id = result["invitation"]["id"]
    return invitation_id, sent_token(caplog, invitation_id)


async def accept(gql, caller: str, token: str, consent: bool = True) -> dict:
    return (await gql.as_(caller, ACCEPT, {"input": {"token": token, "consent": consent}})).ok()["invitationAccept"]


def codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]
