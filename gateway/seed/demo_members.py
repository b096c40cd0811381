"""Demo invitations, project specialists and expert applications."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from gateway.seed.demo_context import DemoContext
from models.experts import ExpertApplication, ExpertStage, ExpertStageRecord, SpecialistApplication, SpecialistStatus
from models.invitations import Invitation, InvitationStatus
from models.invitations import InviteeIdentifierType as IdType
from models.members import AccountKind

INVITATION_TTL = timedelta(days=7)

# Fixed so a demo or a test can accept the pending invitations; only their hashes are stored.
ALICE_INVITATION_TOKEN = "demo-invitation-alice-7f3a9c"
MOBILE_INVITATION_TOKEN = "demo-invitation-mobile-2b81d4"

EXPERT_PATH = [
    ExpertStage.RESUME_SUBMITTED,
    ExpertStage.CAPABILITY_EXAM,
    ExpertStage.MATURITY_ASSESSMENT,
    ExpertStage.DEFENSE,
    ExpertStage.CERTIFIED,
]

# Why each stage was entered: (result, notes).
STAGE_NOTES: dict[ExpertStage, tuple[str, str]] = {
    ExpertStage.RESUME_SUBMITTED: ("Submitted", "Resume received through the ecosystem manager."),
    ExpertStage.CAPABILITY_EXAM: ("Resume accepted", "Scheduled for the capability exam."),
    ExpertStage.MATURITY_ASSESSMENT: ("Exam passed", "Capability exam passed; three delivered projects to review."),
    ExpertStage.DEFENSE: ("Assessment passed", "Maturity assessment passed; defense panel booked."),
    ExpertStage.CERTIFIED: ("Defense passed", "Certified by the panel."),
}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def seed_members(ctx: DemoContext) -> None:
    await _seed_invitations(ctx)
    await _seed_specialists(ctx)
    await _seed_experts(ctx)


async def _invite(
    ctx: DemoContext,
    handle: str,
    inviter: str,
    identifier: str,
    id_type: IdType,
    status: InvitationStatus,
    sent_days_ago: int,
    *,
    token: str | None = None,
    accepted: str | None = None,
    accept_after: int = 1,
) -> None:
    sent_at = ctx.at(days=-sent_days_ago, hours=9)
    await Invitation.create(
        partner=ctx.partners[handle],
        invited_by=ctx.account(inviter),
        invitee_identifier=identifier,
        identifier_type=id_type,
        status=status,
        token_hash=token_hash(token) if token else None,
        sent_at=sent_at,
        expires_at=sent_at + INVITATION_TTL,
        accepted_account=ctx.account(accepted) if accepted else None,
        accepted_at=sent_at + timedelta(days=accept_after) if accepted else None,
        consent_given=accepted is not None,
        created_at=sent_at,
    )


async def _seed_invitations(ctx: DemoContext) -> None:
    bound = [name for name, a in ctx.accounts.items() if a.kind == AccountKind.BOUND_MEMBER]
    for i, name in enumerate(bound):
        handle = name.split(".")[0]
        inviter = f"{handle}.admin"
        account = ctx.account(name)
        # A mix of identifier types, as admins really use them.
        id_type, identifier = [
            (IdType.EMAIL, account.email),
            (IdType.MOBILE, account.mobile),
            (IdType.ACCOUNT_NAME, account.name),
        ][i % 3]
        await _invite(ctx, handle, inviter, identifier, id_type, InvitationStatus.BOUND, 300 - 20 * i, accepted=name)
    d = "distributor"
    await _invite(ctx, d, "distributor.admin", "alice@example.com", IdType.EMAIL, InvitationStatus.INVITED, 2,
                  token=ALICE_INVITATION_TOKEN)
    await _invite(ctx, d, "distributor.sysadmin", "+86 139 2870 4415", IdType.MOBILE, InvitationStatus.INVITED, 1,
                  token=MOBILE_INVITATION_TOKEN)
    await _invite(ctx, d, "distributor.admin", "person.bob", IdType.ACCOUNT_NAME, InvitationStatus.EXPIRED, 20)
    await _invite(ctx, d, "distributor.sysadmin", "contractor.zhu@mail.example.com", IdType.EMAIL,
                  InvitationStatus.REVOKED, 9)
    await _invite(ctx, d, "distributor.admin", "carol@example.com", IdType.EMAIL, InvitationStatus.UNBOUND, 200,
                  accepted="person.carol", accept_after=2)


async def _seed_specialists(ctx: DemoContext) -> None:
    distributor = [
        ("distributor.engineer1", SpecialistStatus.SPECIALIST, "", ""),
        ("distributor.engineer2", SpecialistStatus.SPECIALIST_PENDING, "", ""),
        ("distributor.engineer3", SpecialistStatus.SPECIALIST_REJECTED, "",
         "No delivered project on record in the last 12 months."),
        ("distributor.engineer4", SpecialistStatus.CANCEL_PENDING, "Moved to the pre-sales team.", ""),
        ("distributor.engineer5", SpecialistStatus.CANCELLED, "Left the project delivery team.", ""),
    ]
    rows = distributor + [(f"service.engineer{n}", SpecialistStatus.SPECIALIST, "", "") for n in range(1, 7)]
    rows.append(("provider.engineer1", SpecialistStatus.SPECIALIST_PENDING, "", ""))
    for i, (name, status, cancel_reason, rejection_reason) in enumerate(rows):
        member = ctx.account(name)
        await SpecialistApplication.create(
            partner_id=member.partner_id,
            member=member,
            status=status,
            cancel_reason=cancel_reason,
            rejection_reason=rejection_reason,
            created_at=ctx.at(days=-150 + 5 * i),
        )


async def _seed_experts(ctx: DemoContext) -> None:
    # (specialist, stage reached, rejection reason)
    applications = [
        ("service.engineer1", ExpertStage.CERTIFIED, ""),
        ("service.engineer2", ExpertStage.DEFENSE, ""),
        ("service.engineer3", ExpertStage.MATURITY_ASSESSMENT, ""),
        ("service.engineer4", ExpertStage.CAPABILITY_EXAM, ""),
        ("service.engineer5", ExpertStage.RESUME_SUBMITTED, ""),
        ("service.engineer6", ExpertStage.REJECTED, "Capability exam score 52/100, below the pass mark of 70."),
        ("distributor.engineer1", ExpertStage.CAPABILITY_EXAM, ""),
    ]
    ecosystem = ctx.account("staff.ecosystem")
    for i, (name, stage, reason) in enumerate(applications):
        specialist = ctx.account(name)
        handle = name.split(".")[0]
        started = ctx.at(days=-120 + 3 * i)
        application = await ExpertApplication.create(
            partner_id=specialist.partner_id,
            specialist=specialist,
            submitted_by=ctx.account(f"{handle}.admin"),
            stage=stage,
            resume_text=(
                f"{specialist.display_name}: {6 + i} years in cloud migration and operations; "
                "led data-centre-to-cloud migrations for retail and manufacturing customers; "
                "certified cloud architect."
            ),
            resume_document=f"obs://partner-docs/{handle}/resumes/{name}.pdf" if i % 2 == 0 else "",
            rejection_reason=reason,
            created_at=started,
        )
        # A rejected application failed while in the stage after the first: it went through both.
        path = EXPERT_PATH[: 2] if stage is ExpertStage.REJECTED else EXPERT_PATH[: EXPERT_PATH.index(stage) + 1]
        for step, entered in enumerate(path):
            result, notes = STAGE_NOTES[entered]
            await ExpertStageRecord.create(
                application=application, stage=entered, actor=ecosystem, result=result, notes=notes,
                created_at=started + timedelta(days=14 * step),
            )
        if stage is ExpertStage.REJECTED:
            await ExpertStageRecord.create(
                application=application, stage=ExpertStage.REJECTED, actor=ecosystem, result="Rejected",
                notes=reason, created_at=started + timedelta(days=14 * len(path)),
            )
