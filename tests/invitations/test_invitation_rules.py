"""Invitation rules: the daily limit, one live invitation per invitee, identifier formats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models.audit import AuditOutcome, AuditRecord
from models.invitations import Invitation, InvitationStatus, InviteeIdentifierType
from tests.factories import create_invitation, create_main_account, create_partner, create_person, unique
from tests.graphql import gid, pk_of, user_error_codes
from tests.invitations.documents import INVITE, RESEND
from tests.invitations.support import accept, invite


async def send(gql, caller: str, identifier: str, identifier_type: str = "EMAIL") -> dict:
    variables = {"input": {"identifierType": identifier_type, "inviteeIdentifier": identifier}}
    return (await gql.as_(caller, INVITE, variables)).ok()["memberInvite"]


async def test_an_admin_sends_at_most_100_invitations_a_day(gql):
    partner = await create_partner()
    main = await create_main_account(partner)
    now = datetime.now(UTC)
    await Invitation.bulk_create([
        Invitation(partner_id=partner.id, invited_by_id=main.id, invitee_identifier=f"{unique('p')}@limit.example.com",
                   identifier_type=InviteeIdentifierType.EMAIL, status=InvitationStatus.REVOKED,
                   sent_at=now, expires_at=now + timedelta(days=7))
        for _ in range(99)
    ])
    # An old send does not count toward today's limit.
    expired = await create_invitation(partner, "old@limit.example.com", invited_by_id=main.id, status=InvitationStatus.EXPIRED,
                                      sent_at=now - timedelta(days=9), expires_at=now - timedelta(days=2))
    assert (await send(gql, main.name, f"{unique('p')}@limit.example.com"))["userErrors"] == []  # the 100th

    before = await Invitation.filter(partner_id=partner.id).count()
    refused = await send(gql, main.name, f"{unique('p')}@limit.example.com")
    assert refused["invitation"] is None and user_error_codes(refused) == ["LIMIT_EXCEEDED"]
    assert await AuditRecord.filter(action="memberInvite", outcome=AuditOutcome.USER_ERROR, actor_id=main.id).exists()
    # A resend is a send too.
    resend = (await gql.as_(main.name, RESEND, {"input": {"id": gid("Invitation", expired.id)}})).ok()["invitationResend"]
    assert user_error_codes(resend) == ["LIMIT_EXCEEDED"]
    assert await Invitation.filter(partner_id=partner.id).count() == before
    assert (await Invitation.get(id=expired.id)).status is InvitationStatus.EXPIRED


async def test_one_live_invitation_per_invitee(gql, caplog):
    main = await create_main_account(await create_partner())
    person = await create_person()
    _, token = await invite(gql, caplog, main.name, person.email)
    assert user_error_codes(await send(gql, main.name, person.email.upper())) == ["CONFLICT"]
    assert (await accept(gql, person.name, token))["userErrors"] == []
    # Bound: still a conflict.
    assert user_error_codes(await send(gql, main.name, person.email)) == ["CONFLICT"]
    assert await Invitation.filter(partner_id=main.partner_id, invitee_identifier=person.email).count() == 1
    # Another partner may invite the same person.
    other_main = await create_main_account(await create_partner())
    assert (await send(gql, other_main.name, person.email))["userErrors"] == []


async def test_a_lapsed_invitation_does_not_block_a_new_one(gql, caplog):
    main = await create_main_account(await create_partner())
    person = await create_person()
    invitation_id, _ = await invite(gql, caplog, main.name, person.email)
    pk = pk_of(invitation_id)
    await Invitation.filter(id=pk).update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    assert (await send(gql, main.name, person.email))["userErrors"] == []
    assert (await Invitation.get(id=pk)).status is InvitationStatus.EXPIRED
    # Resending the old one now would make two live invitations.
    assert user_error_codes((await gql.as_(main.name, RESEND, {"input": {"id": invitation_id}})).ok()["invitationResend"]) == ["CONFLICT"]


async def test_identifier_formats(gql):
    main = await create_main_account(await create_partner())
    cases = [
        ("EMAIL", "no-at-sign.example.com", "INVALID"),
        ("EMAIL", "someone@localhost", "INVALID"),
        ("EMAIL", "a b@example.com", "INVALID"),
        ("EMAIL", "x" * 250 + "@example.com", "TOO_LONG"),
        ("EMAIL", "   ", "REQUIRED"),
        ("MOBILE", "12345", "INVALID"),
        ("MOBILE", "+86 139 ABCD 1234", "INVALID"),
        ("MOBILE", "1" * 21, "TOO_LONG"),
        ("ACCOUNT_NAME", "ab", "INVALID"),
        ("ACCOUNT_NAME", "two words", "INVALID"),
        ("ACCOUNT_NAME", "a" * 101, "TOO_LONG"),
    ]
    for identifier_type, identifier, code in cases:
        refused = await send(gql, main.name, identifier, identifier_type)
        assert refused["invitation"] is None and user_error_codes(refused) == [code], (identifier_type, identifier)
        assert refused["userErrors"][0]["field"] == ["inviteeIdentifier"]
    assert not await Invitation.filter(partner_id=main.partner_id).exists()
    accepted = await send(gql, main.name, "+86 139 0000 1111", "MOBILE")
    assert accepted["invitation"]["inviteeIdentifier"] == "+8613900001111"
