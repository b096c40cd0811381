"""The demo data set: its named accounts are a contract, and its bookkeeping must add up."""

from __future__ import annotations

import hashlib
import itertools
from collections import defaultdict
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from tortoise.context import tortoise_test_context

import gateway.seed.demo as demo_module
from gateway.seed.common import SEEDED_MODELS
from gateway.seed.demo import ALICE_INVITATION_TOKEN, MOBILE_INVITATION_TOKEN, seed_demo
from models import MODEL_MODULES
from models.account import LedgerEntry, Wallet
from models.coupons import Coupon, CouponKind, CouponOperation, CouponOperationType, CouponQuota, CouponStatus, CouponUsage, QuotaStatus
from models.customers import AssociationType, Customer
from models.experts import ExpertApplication, ExpertStage, SpecialistApplication, SpecialistStatus
from models.invitations import Invitation, InvitationStatus, InviteeIdentifierType
from models.members import Account, AccountKind, PresetRole, Role, StaffRole
from models.partners import Partner, PartnerProgram
from models.solutions import CoSaleProduct, CoSaleStatus, Solution, SolutionStatus
from models.tasks import Task, TaskKind, TaskStatus

NOW = datetime(2025, 3, 14, tzinfo=UTC)
DISTRIBUTOR = "Northwind Distribution"

MAIN, MEMBER, BOUND = AccountKind.MAIN_ACCOUNT, AccountKind.ORGANISATION_MEMBER, AccountKind.BOUND_MEMBER
P = PresetRole

NW, HL, BP, RW = DISTRIBUTOR, "Harbor Lane Cloud Services", "Bluepeak Technology", "Redwood Digital Systems"
LS, MS, SC = "Lattice Solutions", "Meridian Software Works", "Summit Cloud Services"
ER, CG = "Eastriver Digital Economy Services", "Capital Gov Cloud Operations"
# name -> (kind, partner name, preset roles or custom role names)
CONTRACT: dict[str, tuple[AccountKind, str, set[str]]] = {
    "distributor.admin": (MAIN, NW, set()),
    "distributor.finance": (MEMBER, NW, {P.FINANCE_SPECIALIST}),
    "distributor.am": (MEMBER, NW, {P.ACCOUNT_MANAGER}),
    "distributor.amlead": (MEMBER, NW, {P.ACCOUNT_MANAGER_SUPERVISOR}),
    "distributor.am2": (MEMBER, NW, {P.ACCOUNT_MANAGER}),
    "distributor.sysadmin": (MEMBER, NW, {P.SYSTEM_ADMIN}),
    "distributor.sa": (MEMBER, NW, {P.SA_SPECIALIST}),
    "distributor.coupons": (MEMBER, NW, {"Coupon desk"}),
    "distributor.engineer1": (BOUND, NW, set()),
    "distributor.engineer2": (BOUND, NW, set()),
    "reseller.admin": (MAIN, HL, set()),
    "reseller2.admin": (MAIN, BP, set()),
    "reseller3.admin": (MAIN, RW, set()),
    "provider.admin": (MAIN, LS, set()),
    "provider.sa": (MEMBER, LS, {P.SA_SPECIALIST}),
    "provider.engineer1": (BOUND, LS, set()),
    "provider2.admin": (MAIN, MS, set()),
    "service.admin": (MAIN, SC, set()),
    "service.engineer1": (BOUND, SC, set()),
    "service.engineer2": (BOUND, SC, set()),
    "govsubsidy.admin": (MAIN, ER, set()),
    "govcloud.admin": (MAIN, CG, set()),
}
STAFF = {
    "staff.pdm": StaffRole.PDM,
    "staff.ecosystem": StaffRole.ECOSYSTEM_MANAGER,
    "staff.operations": StaffRole.OPERATIONS,
    "staff.finance": StaffRole.FINANCE,
}


@asynccontextmanager
async def demo_database(now: datetime | None = NOW):
    async with tortoise_test_context(MODEL_MODULES):
        yield await seed_demo(now)


def sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def test_counts_match_the_database():
    async with demo_database() as counts:
        assert set(counts) == {m.__name__ for m in SEEDED_MODELS}
        for model in SEEDED_MODELS:
            assert counts[model.__name__] == await model.all().count()
        assert counts["Partner"] == 11
        assert counts["Role"] == len(PresetRole) + 1


async def test_contract_accounts_exist_with_kind_partner_and_roles():
    async with demo_database():
        accounts = {a.name: a for a in await Account.all().prefetch_related("roles", "partner")}
        for name, (kind, partner_name, roles) in CONTRACT.items():
            account = accounts[name]
            assert account.kind == kind, name
            assert account.partner.name == partner_name, name
            assert {r.preset or r.name for r in account.roles} == roles, name
            assert account.email and account.mobile.startswith("+86 "), name
        assert accounts["distributor.am"].supervisor_id == accounts["distributor.amlead"].id
        for name, role in STAFF.items():
            account = accounts[name]
            assert (account.kind, account.partner_id, account.staff_role) == (AccountKind.STAFF, None, role)
        for name in ("person.alice", "person.bob"):
            assert (accounts[name].kind, accounts[name].partner_id) == (AccountKind.PERSONAL, None)
        assert accounts["person.alice"].email == "alice@example.com"
        for main in await Account.filter(kind=MAIN).prefetch_related("roles"):
            assert list(main.roles) == [], main.name
        # Exactly one main account per partner.
        assert sorted(a.partner_id for a in accounts.values() if a.kind == MAIN) == sorted(
            await Partner.all().values_list("id", flat=True)
        )


async def test_roles_presets_and_custom_coupon_desk():
    async with demo_database():
        for preset in PresetRole:
            role = await Role.get(preset=preset)
            assert role.partner_id is None and role.description == preset.description and role.name
        desk = await Role.get(name="Coupon desk").prefetch_related("partner")
        assert desk.partner.name == DISTRIBUTOR and desk.preset is None
        assert desk.permissions == [
            "coupon.quota.view", "coupon.issued.view", "coupon.usage.view", "coupon.oplog.view",
            "coupon.voucher.issue", "customer.view",
        ]


async def test_partners_resellers_and_programs():
    async with demo_database():
        distributor = await Partner.get(name=DISTRIBUTOR)
        assert distributor.identities == ["DISTRIBUTOR"] and distributor.verification_code_enabled
        resellers = await Partner.filter(parent_distributor=distributor)
        assert len(resellers) == 3
        for reseller in resellers:
            assert reseller.identities == ["RESELLER"] and reseller.region == distributor.region
        identities = [set(p.identities) for p in await Partner.all()]
        for identity in ("SOLUTION_PROVIDER", "SERVICE_PARTNER", "GOV_SUBSIDY_PARTNER", "GOV_CLOUD_PARTNER"):
            assert any(identity in s for s in identities), identity
        assert {"SOLUTION_PROVIDER", "SOFTWARE_PARTNER"} in identities
        for partner in await Partner.all():
            assert await PartnerProgram.filter(partner=partner).exists(), partner.name


async def test_wallet_ledgers_add_up():
    async with demo_database():
        for wallet in await Wallet.all():
            # As a partner reads its ledger: in time order, which must be the order it was written in.
            entries = await LedgerEntry.filter(wallet=wallet).order_by("created_at", "id")
            assert [e.id for e in entries] == sorted(e.id for e in entries), wallet.partner_id
            assert entries, wallet.partner_id
            running = Decimal("0.00")
            for entry in entries:
                running += entry.amount
                assert entry.balance_after == running
            assert entries[-1].balance_after == wallet.balance
            assert Decimal("0") <= wallet.allocatable_balance <= wallet.balance


async def test_every_status_appears():
    async with demo_database():
        distributor = await Partner.get(name=DISTRIBUTOR)
        seen = {
            InvitationStatus: set(await Invitation.filter(partner=distributor).values_list("status", flat=True)),
            SpecialistStatus: set(await SpecialistApplication.filter(partner=distributor).values_list("status", flat=True)),
            ExpertStage: set(await ExpertApplication.all().values_list("stage", flat=True)),
            CoSaleStatus: set(await CoSaleProduct.all().values_list("status", flat=True)),
            CouponStatus: set(await Coupon.all().values_list("status", flat=True)),
            CouponKind: set(await Coupon.all().values_list("kind", flat=True)),
            QuotaStatus: set(await CouponQuota.all().values_list("status", flat=True)),
            SolutionStatus: set(await Solution.filter(partner=distributor).values_list("status", flat=True)),
            CouponOperationType: set(await CouponOperation.all().values_list("type", flat=True)),
        }
        for enum, values in seen.items():
            assert values == set(enum), enum.__name__
        tasks = set(await Task.filter(partner=distributor).values_list("kind", "status"))
        assert tasks == {(k, s) for k in TaskKind for s in TaskStatus}
        for partner in await Partner.filter(solutions__id__isnull=False).distinct():
            statuses = set(await Solution.filter(partner=partner).values_list("status", flat=True))
            assert statuses == set(SolutionStatus), partner.name


async def test_invitations():
    async with demo_database():
        invitations = await Invitation.all()
        hashes = {i.token_hash for i in invitations if i.status == InvitationStatus.INVITED}
        assert hashes == {sha256(ALICE_INVITATION_TOKEN), sha256(MOBILE_INVITATION_TOKEN)}
        for invitation in invitations:
            assert invitation.expires_at - invitation.sent_at == timedelta(days=7)
            assert (invitation.token_hash is None) == (invitation.status != InvitationStatus.INVITED)
            if invitation.status == InvitationStatus.EXPIRED:
                assert invitation.expires_at < NOW
            if invitation.status in (InvitationStatus.BOUND, InvitationStatus.UNBOUND):
                assert invitation.accepted_account_id and invitation.consent_given and invitation.accepted_at
        alice = await Invitation.get(invitee_identifier="alice@example.com")
        assert (alice.status, alice.identifier_type) == (InvitationStatus.INVITED, InviteeIdentifierType.EMAIL)
        assert alice.expires_at > NOW
        # Every bound member got there through a BOUND invitation from its own partner.
        for member in await Account.filter(kind=BOUND):
            invitation = await Invitation.get(accepted_account=member, status=InvitationStatus.BOUND)
            assert invitation.partner_id == member.partner_id


async def test_specialists_and_experts():
    async with demo_database():
        for application in await SpecialistApplication.all().prefetch_related("member"):
            assert application.member.kind == BOUND and application.member.partner_id == application.partner_id
            if application.status == SpecialistStatus.SPECIALIST_REJECTED:
                assert application.rejection_reason
            if application.status in (SpecialistStatus.CANCEL_PENDING, SpecialistStatus.CANCELLED):
                assert application.cancel_reason
        service = await Account.get(name="service.admin")
        stages = set(await ExpertApplication.filter(partner_id=service.partner_id).values_list("stage", flat=True))
        assert stages == set(ExpertStage)
        ecosystem = await Account.get(name="staff.ecosystem")
        for application in await ExpertApplication.all().prefetch_related("stage_records"):
            records = sorted(application.stage_records, key=lambda r: r.id)
            assert records and records[0].stage == ExpertStage.RESUME_SUBMITTED
            assert records[-1].stage == application.stage
            assert all(r.actor_id == ecosystem.id and r.result for r in records)
            assert bool(application.rejection_reason) == (application.stage == ExpertStage.REJECTED)


async def test_co_sale_products():
    async with demo_database():
        for partner_name in (DISTRIBUTOR, "Lattice Solutions"):
            statuses = set(await CoSaleProduct.filter(solution__partner__name=partner_name).values_list("status", flat=True))
            assert statuses == set(CoSaleStatus), partner_name
        for product in await CoSaleProduct.all():
            assert bool(product.rejection_reason) == (product.status == CoSaleStatus.REJECTED)
            assert (product.listed_at is not None) == (product.status in (CoSaleStatus.LISTED, CoSaleStatus.DELISTED))
            assert (product.delisted_at is not None) == (product.status == CoSaleStatus.DELISTED)


async def test_customers_and_account_managers():
    async with demo_database():
        distributor = await Partner.get(name=DISTRIBUTOR)
        customers = await Customer.filter(partner=distributor).prefetch_related("account_manager")
        managers = defaultdict(int)
        for customer in customers:
            managers[customer.account_manager.name if customer.account_manager else None] += 1
        assert managers["distributor.am"] == 3 and managers["distributor.am2"] == 2
        assert {c.association_type for c in customers} == set(AssociationType)
        for partner in await Partner.filter(name__in=[ER, CG]):
            rows = await Customer.filter(partner=partner)
            assert sum(c.whitelisted for c in rows) > len(rows) / 2


async def test_quota_bookkeeping():
    async with demo_database():
        quotas = {q.id: q for q in await CouponQuota.all()}
        expected = defaultdict(lambda: Decimal("0.00"))
        for coupon in await Coupon.all():
            if coupon.status in (CouponStatus.AVAILABLE, CouponStatus.USED):
                expected[coupon.quota_id] += coupon.face_value
            else:
                expected[coupon.quota_id] += coupon.used_amount
        for quota in quotas.values():
            if quota.parent_quota_id:
                expected[quota.parent_quota_id] += quota.total
                parent = quotas[quota.parent_quota_id]
                assert parent.valid_from <= quota.valid_from and quota.valid_until <= parent.valid_until
        for quota in quotas.values():
            assert quota.used == expected[quota.id], quota.id
            assert quota.used <= quota.total, quota.id
        distributor = await Partner.get(name=DISTRIBUTOR)
        allocations = await CouponOperation.filter(partner=distributor, type=CouponOperationType.QUOTA_ALLOCATE)
        assert len(allocations) == await CouponQuota.filter(parent_quota_id__isnull=False).count() == 3
        assert await Coupon.filter(partner=distributor).count() >= 12


async def test_coupons_usage_and_operations():
    async with demo_database():
        usage = defaultdict(list)
        for record in await CouponUsage.all():
            usage[record.coupon_id].append(record)
        operations = defaultdict(list)
        for operation in await CouponOperation.filter(coupon_id__isnull=False):
            operations[operation.coupon_id].append(operation.type)
        for coupon in await Coupon.all().prefetch_related("customer", "quota", "partner"):
            records = usage[coupon.id]
            assert sum((r.amount for r in records), Decimal("0.00")) == coupon.used_amount, coupon.id
            assert all(coupon.valid_from <= r.used_at <= (coupon.closed_at or NOW) for r in records), coupon.id
            assert coupon.used_amount <= coupon.face_value
            if coupon.status == CouponStatus.USED:
                assert coupon.used_amount == coupon.face_value
            assert coupon.quota.valid_from <= coupon.valid_from < coupon.expires_at <= coupon.quota.valid_until
            if coupon.status == CouponStatus.EXPIRED:
                assert coupon.expires_at < NOW
            if coupon.status == CouponStatus.AVAILABLE:
                assert coupon.expires_at > NOW
            assert (coupon.closed_at is None) == (coupon.status == CouponStatus.AVAILABLE)
            # Coupons go to resale customers; one switched to referral keeps its reclaimed coupon.
            switched = coupon.status == CouponStatus.RECLAIMED and await CouponOperation.filter(
                coupon_id=coupon.id, type=CouponOperationType.SWITCH_RECLAIM).exists()
            assert coupon.customer.association_type == (AssociationType.REFERRAL if switched else AssociationType.RESALE)
            assert coupon.customer.partner_id == coupon.partner_id == coupon.quota.partner_id
            assert coupon.kind == coupon.quota.kind
            if any(identity.startswith("GOV") for identity in coupon.partner.identities):
                assert coupon.customer.whitelisted
            closing = {
                CouponStatus.AVAILABLE: set(),
                CouponStatus.USED: set(),
                CouponStatus.EXPIRED: {CouponOperationType.EXPIRY_RECLAIM},
                CouponStatus.RECLAIMED: {CouponOperationType.MANUAL_RECLAIM, CouponOperationType.DISASSOCIATION_RECLAIM,
                                         CouponOperationType.SWITCH_RECLAIM},
            }[coupon.status]
            assert operations[coupon.id][0] == CouponOperationType.ISSUE
            assert operations[coupon.id].count(CouponOperationType.ISSUE) == 1
            assert set(operations[coupon.id][1:]) <= closing and len(operations[coupon.id]) == 1 + bool(closing)
        assert await CouponOperation.filter(type=CouponOperationType.DISASSOCIATION_RECLAIM).count() == 1
        reclaimed = await CouponQuota.get(operations__type=CouponOperationType.QUOTA_RECLAIM)
        assert reclaimed.parent_quota_id is not None


async def test_tasks():
    async with demo_database():
        distributor = await Partner.get(name=DISTRIBUTOR)
        tasks = await Task.all().prefetch_related("customer", "details", "handling_records", "account_manager")
        assert sum(t.partner_id == distributor.id for t in tasks) >= 8
        handled_by = {t.account_manager.name for t in tasks if t.account_manager and t.partner_id == distributor.id}
        assert {"distributor.am", "distributor.am2"} <= handled_by
        assert any(t.deadline < NOW and t.status in (TaskStatus.PENDING, TaskStatus.IN_PROGRESS) for t in tasks)
        assert any(t.deadline > NOW for t in tasks)
        for task in tasks:
            assert task.customer.partner_id == task.partner_id
            assert task.account_manager_id == task.customer.account_manager_id
            assert 1 <= len(task.details) <= 3
            assert bool(task.related_order) == (task.kind == TaskKind.LARGE_ORDER_RENEWAL)
            records = sorted(task.handling_records, key=lambda r: r.id)
            if task.status == TaskStatus.PENDING:
                assert records == []
                continue
            assert records[0].from_status == TaskStatus.PENDING and records[-1].to_status == task.status
            for before, after in itertools.pairwise(records):
                assert after.from_status == before.to_status and after.created_at >= before.created_at
        assert {t.partner_id for t in tasks} > {distributor.id}


async def test_default_reference_time_is_today():
    async with demo_database(now=None):
        today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        alice = await Invitation.get(invitee_identifier="alice@example.com")
        assert alice.sent_at == today - timedelta(days=2) + timedelta(hours=9)


async def test_deterministic():
    async def snapshot():
        async with demo_database():
            return (
                await Customer.all().order_by("id").values_list("name", "associated_at"),
                await Account.all().order_by("id").values_list("name", "mobile", "email"),
                await CouponUsage.all().order_by("id").values_list("order_id", "amount", "used_at"),
                await Task.all().order_by("id").values_list("name", "customer_spend_12m", "related_order"),
            )

    assert await snapshot() == await snapshot()


async def test_seeding_twice_raises():
    async with demo_database():
        with pytest.raises(RuntimeError, match="database already has data"):
            await seed_demo(NOW)
        assert await Partner.all().count() == 11


async def test_one_transaction(monkeypatch):
    async def broken(ctx):
        raise ValueError("boom")

    monkeypatch.setattr(demo_module, "seed_tasks", broken)
    async with tortoise_test_context(MODEL_MODULES):
        with pytest.raises(ValueError):
            await seed_demo(NOW)
        assert await Partner.all().count() == 0
        assert await Account.all().count() == 0
        assert await Role.all().count() == 0
