"""The invitation status machine through the API: every transition, and the illegal ones refused with nothing changed."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from models.api_keys import ApiKey
from models.audit import AuditOutcome, AuditRecord
from models.invitations import Invitation, InvitationStatus
from models.members import Account, AccountKind, PresetRole, Role
from tests.factories import (
    NORTHWIND,
    create_invitation,
    create_main_account,
    create_member,
    create_partner,
    create_person,
    days,
    partner_named,
)
from tests.graphql import gid, pk_of, user_error_codes
from tests.invitations.documents import (
    ACCEPT,
    INVITATION,
    INVITATIONS_BY_STATUS,
    INVITE,
    PENDING_INVITATIONS,
    RESEND,
    REVOKE,
    UNBIND,
)
from tests.invitations.support import accept, invite, sent_token, sha256


async def snapshot(invitation_id: str) -> tuple:
    row = await Invitation.get(id=pk_of(invitation_id))
    return row.status, row.token_hash, row.sent_at, row.expires_at, row.accepted_account_id, row.consent_given


async def test_invite_then_accept_binds_the_personal_account(gql, caplog):
    main = await create_main_account(await create_partner())
    person = await create_person()
    response = await gql.as_(main.name, INVITE, {"input": {"identifierType": "EMAIL", "inviteeIdentifier": f"  {person.email.upper()} "}})
    sent = response.ok()["memberInvite"]
    assert sent["userErrors"] == []
    invitation = sent["invitation"]
    assert (invitation["status"], invitation["inviteeIdentifier"]) == ("INVITED", person.email)
    sent_at, expires_at = (datetime.fromisoformat(invitation[k]) for k in ("sentAt", "expiresAt"))
    assert expires_at - sent_at == timedelta(days=7)
    token = sent_token(caplog, invitation["id"])
    # The token travels out of band only: never in the answer, the audit record, or the table in clear.
    assert token not in str(response.body)
    row = await Invitation.get(id=pk_of(invitation["id"]))
    assert row.token_hash == sha256(token) and row.invited_by_id == main.id
    audit = await AuditRecord.get(action="memberInvite", outcome=AuditOutcome.SUCCESS, target=f"Invitation:{row.id}")
    assert token not in str(audit.input)

    refused = await accept(gql, person.name, token, consent=False)
    assert refused["invitation"] is None and user_error_codes(refused) == ["REQUIRED"]
    assert refused["userErrors"][0]["message"] == "Binding requires the invitee's consent to share account name and qualifications."
    assert (await Invitation.get(id=row.id)).status is InvitationStatus.INVITED
    assert (await Account.get(id=person.id)).kind is AccountKind.PERSONAL
    assert await AuditRecord.filter(action="invitationAccept", outcome=AuditOutcome.USER_ERROR, actor_id=person.id).exists()

    accepted = await accept(gql, person.name, token)
    assert accepted["userErrors"] == []
    assert accepted["invitation"]["status"] == "BOUND" and accepted["invitation"]["consentGiven"] is True
    assert accepted["invitation"]["acceptedAccount"] == {"name": person.name, "kind": "BOUND_MEMBER"}
    row = await Invitation.get(id=row.id)
    assert (row.status, row.token_hash, row.accepted_account_id, row.consent_given) == (InvitationStatus.BOUND, None, person.id, True)
    assert row.accepted_at is not None
    bound = await Account.get(id=person.id)
    assert (bound.kind, bound.partner_id) == (AccountKind.BOUND_MEMBER, main.partner_id)
    assert await AuditRecord.filter(action="invitationAccept", outcome=AuditOutcome.SUCCESS, target=f"Invitation:{row.id}").exists()


async def test_a_token_is_single_use(gql, caplog):
    main = await create_main_account(await create_partner())
    person = await create_person()
    invitation_id, token = await invite(gql, caplog, main.name, person.name, "ACCOUNT_NAME")
    assert (await accept(gql, person.name, token))["userErrors"] == []
    before = await snapshot(invitation_id)
    # Accepting twice: the bound member no longer holds invitation.respond ...
    again = await gql.as_(person.name, ACCEPT, {"input": {"token": token, "consent": True}})
    assert again.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": "invitation.respond"}
    assert await AuditRecord.filter(action="invitationAccept", outcome=AuditOutcome.DENIED, actor_id=person.id).exists()
    # ... and another personal account with the same e-mail finds the token spent.
    twin = await create_person(email=person.email)
    twin_invite = await create_invitation(main.partner_id, twin.email)
    spent = await accept(gql, twin.name, token)
    assert user_error_codes(spent) == ["NOT_FOUND"]
    assert await snapshot(invitation_id) == before
    assert (await Account.get(id=twin.id)).kind is AccountKind.PERSONAL
    assert (await Invitation.get(id=twin_invite.id)).status is InvitationStatus.INVITED


async def test_another_invitees_token_is_not_found(gql, caplog):
    main = await create_main_account(await create_partner())
    invitee, stranger = await create_person(), await create_person()
    invitation_id, token = await invite(gql, caplog, main.name, invitee.mobile, "MOBILE")
    before = await snapshot(invitation_id)
    refused = await accept(gql, stranger.name, token)
    assert refused["invitation"] is None and user_error_codes(refused) == ["NOT_FOUND"]
    assert await snapshot(invitation_id) == before
    stranger = await Account.get(id=stranger.id)
    assert (stranger.kind, stranger.partner_id) == (AccountKind.PERSONAL, None)
    # The right invitee, whose mobile is stored with spaces, is recognised.
    assert (await accept(gql, invitee.name, token))["invitation"]["status"] == "BOUND"


async def test_lazy_expiry_then_resend_with_a_new_token(gql, caplog):
    main = await create_main_account(await create_partner())
    person = await create_person()
    invitation_id, old_token = await invite(gql, caplog, main.name, person.email)
    await Invitation.filter(id=pk_of(invitation_id)).update(expires_at=datetime.now(UTC) - timedelta(minutes=1))

    expired = await accept(gql, person.name, old_token)
    assert user_error_codes(expired) == ["INVALID_STATE"]
    # The expiry is kept although the acceptance was refused and rolled back.
    assert (await Invitation.get(id=pk_of(invitation_id))).status is InvitationStatus.EXPIRED
    assert (await Account.get(id=person.id)).kind is AccountKind.PERSONAL

    resent = (await gql.as_(main.name, RESEND, {"input": {"id": invitation_id}})).ok()["invitationResend"]
    assert resent["userErrors"] == [] and resent["invitation"]["status"] == "INVITED"
    new_token = sent_token(caplog, invitation_id)
    assert new_token != old_token
    row = await Invitation.get(id=pk_of(invitation_id))
    assert row.token_hash == sha256(new_token) and row.expires_at > datetime.now(UTC) + timedelta(days=6)
    assert await AuditRecord.filter(action="invitationResend", outcome=AuditOutcome.SUCCESS, target=f"Invitation:{row.id}").exists()

    assert user_error_codes(await accept(gql, person.name, old_token)) == ["NOT_FOUND"]
    assert (await accept(gql, person.name, new_token))["invitation"]["status"] == "BOUND"


async def test_resending_a_pending_invitation_is_refused(gql, caplog):
    main = await create_main_account(await create_partner())
    invitation_id, _ = await invite(gql, caplog, main.name, (await create_person()).email)
    before = await snapshot(invitation_id)
    refused = (await gql.as_(main.name, RESEND, {"input": {"id": invitation_id}})).ok()["invitationResend"]
    assert refused["invitation"] is None and user_error_codes(refused) == ["INVALID_STATE"]
    assert await snapshot(invitation_id) == before
    assert await AuditRecord.filter(action="invitationResend", outcome=AuditOutcome.USER_ERROR, actor_id=main.id).exists()


async def test_revoke_then_resend(gql, caplog):
    main = await create_main_account(await create_partner())
    person = await create_person()
    invitation_id, old_token = await invite(gql, caplog, main.name, person.email)
    revoked = (await gql.as_(main.name, REVOKE, {"input": {"id": invitation_id}})).ok()["invitationRevoke"]
    assert revoked["userErrors"] == [] and revoked["invitation"]["status"] == "REVOKED"
    assert (await Invitation.get(id=pk_of(invitation_id))).token_hash is None
    assert await AuditRecord.filter(action="invitationRevoke", outcome=AuditOutcome.SUCCESS, target=f"Invitation:{pk_of(invitation_id)}").exists()
    assert user_error_codes(await accept(gql, person.name, old_token)) == ["NOT_FOUND"]

    before = await snapshot(invitation_id)
    twice = (await gql.as_(main.name, REVOKE, {"input": {"id": invitation_id}})).ok()["invitationRevoke"]
    assert user_error_codes(twice) == ["INVALID_STATE"] and await snapshot(invitation_id) == before

    resent = (await gql.as_(main.name, RESEND, {"input": {"id": invitation_id}})).ok()["invitationResend"]
    assert resent["invitation"]["status"] == "INVITED"
    assert user_error_codes(await accept(gql, person.name, old_token)) == ["NOT_FOUND"]
    assert (await accept(gql, person.name, sent_token(caplog, invitation_id)))["invitation"]["status"] == "BOUND"

    # A BOUND invitation cannot be revoked.
    before = await snapshot(invitation_id)
    bound = (await gql.as_(main.name, REVOKE, {"input": {"id": invitation_id}})).ok()["invitationRevoke"]
    assert user_error_codes(bound) == ["INVALID_STATE"] and await snapshot(invitation_id) == before
    assert (await Account.get(id=person.id)).kind is AccountKind.BOUND_MEMBER


async def test_unbind_then_invite_again(gql, caplog):
    partner = await create_partner()
    main = await create_main_account(partner)
    person = await create_person()
    invitation_id, token = await invite(gql, caplog, main.name, person.email)
    assert (await accept(gql, person.name, token))["userErrors"] == []
    member = await Account.get(id=person.id)
    await member.roles.add(await Role.get(preset=PresetRole.SA_SPECIALIST))
    supervised = await create_member(partner, PresetRole.ACCOUNT_MANAGER, supervisor_id=person.id)
    key = await ApiKey.create(account_id=person.id, name="tool", prefix=uuid.uuid4().hex[:16], secret_hash="x" * 64, scopes=["solution.view"])

    unbound = (await gql.as_(main.name, UNBIND, {"input": {"memberId": gid("Account", person.id)}})).ok()["memberUnbind"]
    assert unbound["userErrors"] == []
    assert unbound["invitation"] == {"id": invitation_id, "status": "UNBOUND"}
    person = await Account.get(id=person.id)
    assert (person.kind, person.partner_id, await person.roles.all().count()) == (AccountKind.PERSONAL, None, 0)
    assert (await Account.get(id=supervised.id)).supervisor_id is None
    assert (await ApiKey.get(id=key.id)).revoked_at is not None
    assert await AuditRecord.filter(action="memberUnbind", outcome=AuditOutcome.SUCCESS, target=f"Account:{person.id}").exists()

    # No longer a member: a second unbind finds nothing.
    again = (await gql.as_(main.name, UNBIND, {"input": {"memberId": gid("Account", person.id)}})).ok()["memberUnbind"]
    assert user_error_codes(again) == ["NOT_FOUND"]
    assert await AuditRecord.filter(action="memberUnbind", outcome=AuditOutcome.USER_ERROR, actor_id=main.id).exists()

    resent = (await gql.as_(main.name, RESEND, {"input": {"id": invitation_id}})).ok()["invitationResend"]
    assert resent["invitation"]["status"] == "INVITED"
    row = await Invitation.get(id=pk_of(invitation_id))
    assert (row.accepted_account_id, row.consent_given) == (None, False)
    assert (await accept(gql, person.name, sent_token(caplog, invitation_id)))["invitation"]["status"] == "BOUND"


async def test_only_bound_members_can_be_unbound(gql, caplog):
    partner = await create_partner()
    main = await create_main_account(partner)
    invitee = await create_person()
    invitation_id, _ = await invite(gql, caplog, main.name, invitee.email)
    before = await snapshot(invitation_id)
    # The invitee of a pending invitation is no member of the partner yet.
    pending = (await gql.as_(main.name, UNBIND, {"input": {"memberId": gid("Account", invitee.id)}})).ok()["memberUnbind"]
    assert user_error_codes(pending) == ["NOT_FOUND"] and await snapshot(invitation_id) == before
    organisation_member = await create_member(partner, PresetRole.SA_SPECIALIST)
    refused = (await gql.as_(main.name, UNBIND, {"input": {"memberId": gid("Account", organisation_member.id)}})).ok()["memberUnbind"]
    assert user_error_codes(refused) == ["NOT_ALLOWED"]
    member = await Account.get(id=organisation_member.id)
    assert (member.kind, member.partner_id) == (AccountKind.ORGANISATION_MEMBER, partner.id)


async def test_another_partners_invitation_is_not_found(gql, caplog):
    main = await create_main_account(await create_partner())
    other_main = await create_main_account(await create_partner())
    invitation_id, _ = await invite(gql, caplog, main.name, (await create_person()).email)
    before = await snapshot(invitation_id)
    for document, name in ((REVOKE, "invitationRevoke"), (RESEND, "invitationResend")):
        refused = (await gql.as_(other_main.name, document, {"input": {"id": invitation_id}})).ok()[name]
        assert user_error_codes(refused) == ["NOT_FOUND"], name
    assert await snapshot(invitation_id) == before


async def test_invitation_mutations_need_their_permissions(as_finance_specialist, as_sa_specialist):
    person = await create_person()
    count = await Invitation.filter(invitee_identifier=person.email).count()
    denials = AuditRecord.filter(action="memberInvite", outcome=AuditOutcome.DENIED, actor__name=as_finance_specialist.name)
    denied_before = await denials.count()
    denied = await as_finance_specialist.query(INVITE, {"input": {"identifierType": "EMAIL", "inviteeIdentifier": person.email}})
    assert denied.data is None
    assert denied.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": "member.invite"}
    assert await Invitation.filter(invitee_identifier=person.email).count() == count
    assert await denials.count() == denied_before + 1
    unbind = await as_finance_specialist.query(UNBIND, {"input": {"memberId": gid("Account", person.id)}})
    assert unbind.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": "member.unbind"}
    # A partner member is no personal account: it cannot accept invitations.
    accept_denied = await as_sa_specialist.query(ACCEPT, {"input": {"token": "x", "consent": True}})
    assert accept_denied.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": "invitation.respond"}


async def test_concurrent_acceptances_bind_once(gql, caplog):
    main = await create_main_account(await create_partner())
    person = await create_person()
    twin = await create_person(email=person.email)
    invitation_id, token = await invite(gql, caplog, main.name, person.email)
    results = await asyncio.gather(accept(gql, person.name, token), accept(gql, twin.name, token))
    assert sorted(r["invitation"] is not None for r in results) == [False, True]
    bound = await Account.filter(id__in=[person.id, twin.id], kind=AccountKind.BOUND_MEMBER)
    row = await Invitation.get(id=pk_of(invitation_id))
    assert len(bound) == 1 and row.accepted_account_id == bound[0].id and row.token_hash is None


async def test_an_unanswered_invitation_reads_expired_once_past_its_expiry(as_distributor_admin):
    row = await create_invitation(await partner_named(NORTHWIND), "late@example.com", sent_at=days(-8), expires_at=days(-1))
    try:
        expired = (await as_distributor_admin.query(INVITATIONS_BY_STATUS, {"status": "EXPIRED"})).ok()["viewer"]["partner"]["invitations"]["nodes"]
        assert {"inviteeIdentifier": "late@example.com", "status": "EXPIRED"} in expired
        invited = (await as_distributor_admin.query(INVITATIONS_BY_STATUS, {"status": "INVITED"})).ok()["viewer"]["partner"]["invitations"]["nodes"]
        assert all(n["inviteeIdentifier"] != "late@example.com" for n in invited)
        assert (await Invitation.get(id=row.id)).status is InvitationStatus.INVITED  # reads never write
    finally:
        await row.delete()


async def test_the_invitee_reads_its_own_invitations_by_id_and_nobody_elses(gql):
    main = await create_main_account(await create_partner())
    person, stranger = await create_person(), await create_person()
    by_mail = (await gql.as_(main.name, INVITE, {"input": {"identifierType": "EMAIL", "inviteeIdentifier": person.email}})).ok()
    by_name = (await gql.as_(main.name, INVITE, {"input": {"identifierType": "ACCOUNT_NAME", "inviteeIdentifier": person.name}})).ok()
    ids = [by_mail["memberInvite"]["invitation"]["id"], by_name["memberInvite"]["invitation"]["id"]]
    pending = (await gql.as_(person.name, PENDING_INVITATIONS)).ok()["viewer"]["pendingInvitations"]
    assert sorted(i["id"] for i in pending) == sorted(ids)
    for invitation in pending:
        # Found by a new user: the list showed it, node(id:) answered NOT_FOUND.
        assert (await gql.as_(person.name, INVITATION, {"id": invitation["id"]})).ok()["node"] == invitation
        refused = await gql.as_(stranger.name, INVITATION, {"id": invitation["id"]})
        assert refused.data == {"node": None} and refused.codes == ["NOT_FOUND"]
    # Answered or not, it stays the invitee's to read.
    await gql.as_(main.name, REVOKE, {"input": {"id": ids[1]}})
    assert (await gql.as_(person.name, INVITATION, {"id": ids[1]})).ok()["node"]["status"] == "REVOKED"
    assert [i["id"] for i in (await gql.as_(person.name, PENDING_INVITATIONS)).ok()["viewer"]["pendingInvitations"]] == [ids[0]]
