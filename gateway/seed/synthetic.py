"""A large deterministic data set for benchmarks.

Rows are built in memory with explicit ids (continuing after the current maximum) and
written with one ``bulk_create`` per model, so ``size=200`` takes seconds, not minutes.
The bookkeeping rules of the demo set hold here too: ledger balances add up, quota
``used`` matches its coupons (plus allocations to reseller quotas), usage sums match.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar, cast

from tortoise.fields.relational import ManyToManyFieldInstance
from tortoise.models import Model
from tortoise.transactions import in_transaction

from gateway.seed.common import ensure_no_partners, ensure_preset_roles, ensure_staff_accounts, money, month_label, reference_now
from models.account import LedgerEntry, LedgerEntryKind, Wallet
from models.certificates import Certificate, CertificateKind
from models.channel import ResellerInvitation, ResellerInvitationStatus
from models.cloudlab import CloudLabApplication, CloudLabBeneficiary, CloudLabStatus
from models.coupons import Coupon, CouponKind, CouponOperation, CouponOperationType, CouponQuota, CouponStatus, CouponUsage
from models.customers import (
    AssociationOperation,
    AssociationRecord,
    AssociationType,
    AuthorizationStatus,
    Customer,
    DisassociationRequest,
    DisassociationRequestStatus,
    EnterpriseProfile,
    OnBehalfAuthorization,
    OnBehalfOrder,
    Prospect,
)
from models.dashboard import ConsumptionRecord
from models.experts import ExpertApplication, ExpertStage, ExpertStageRecord, SpecialistApplication, SpecialistStatus
from models.incentives import (
    BillingMode,
    IncentiveBill,
    IncentiveBillLine,
    IncentiveBillStatus,
    IncentiveIndicator,
    IncentiveType,
    PayoutApplication,
    PayoutApplicationLine,
    PayoutMethod,
    PayoutStatus,
    SettlementBill,
    SettlementStatus,
    YanxuanOrder,
)
from models.invitations import Invitation, InvitationStatus, InviteeIdentifierType
from models.members import Account, AccountKind, PresetRole
from models.partners import Partner, PartnerProgram, ProgramCode, RealNameStatus
from models.partners import PartnerIdentity as I
from models.solutions import CoSaleProduct, CoSaleStatus, Solution, SolutionStatus
from models.tasks import Task, TaskDetail, TaskHandlingRecord, TaskKind, TaskStatus, TaskStrategy
from resolvers.certificates.queries import certificate_number
from resolvers.incentives.payout_services import application_number
from resolvers.permissions.catalog import BY_CODE, Permission

ACCOUNTS_PER_PARTNER = 20
CUSTOMERS_PER_PARTNER = 10
QUOTAS_PER_PARTNER = 2
COUPONS_PER_PARTNER = 50
TASKS_PER_PARTNER = 10
# Incentive-earning partners: a bill per month for a year (the latest estimated, the one before
# awaiting confirmation), each with its detail lines and indicators; the confirmed ones applied for.
INCENTIVE_PERIODS = 12
LINES_PER_BILL = 3
SETTLEMENT_BILLS_PER_PARTNER = 2
YANXUAN_ORDERS_PER_PARTNER = 2
# The first customers have their own accounts: one authorized (with orders), one cancelled, one asked.
CONSUMPTION_MONTHS = 12
CONSUMED_PRODUCTS = 2
CUSTOMER_ACCOUNTS_PER_PARTNER = 3
ORDERS_PER_AUTHORIZATION = 3
BATCH = 1000

# Slots 4..9 of every block of ten; slot 0 is a distributor and slots 1..3 its resellers.
OTHER_IDENTITIES: tuple[list[I], ...] = (
    [I.SOLUTION_PROVIDER],
    [I.SOLUTION_PROVIDER, I.SERVICE_PARTNER],
    [I.GOV_SUBSIDY_PARTNER],
    [I.SOLUTION_PROVIDER, I.SOFTWARE_PARTNER],
    [I.GOV_CLOUD_PARTNER],
    [I.SOLUTION_PROVIDER],
)
PROGRAM_FOR: dict[I, ProgramCode] = {
    I.DISTRIBUTOR: ProgramCode.DISTRIBUTION_PROGRAM,
    I.RESELLER: ProgramCode.DISTRIBUTION_PROGRAM,
    I.SOLUTION_PROVIDER: ProgramCode.SOLUTION_PROVIDER_PROGRAM,
    I.GOV_SUBSIDY_PARTNER: ProgramCode.GOV_SUBSIDY_PROGRAM,
    I.GOV_CLOUD_PARTNER: ProgramCode.GOV_CLOUD_PROGRAM,
}
QUOTA_KINDS: dict[I, tuple[CouponKind, CouponKind]] = {
    I.GOV_SUBSIDY_PARTNER: (CouponKind.VOUCHER, CouponKind.CASH),
    I.GOV_CLOUD_PARTNER: (CouponKind.PICKUP, CouponKind.PICKUP),
}
REGIONS = ("cn-north-4", "cn-east-3", "cn-south-1", "cn-southwest-2")
# Member k's preset role: m1 admin, m2 supervises m3..m7, then SAs and finance.
MEMBER_ROLES = (
    [PresetRole.SYSTEM_ADMIN, PresetRole.ACCOUNT_MANAGER_SUPERVISOR]
    + [PresetRole.ACCOUNT_MANAGER] * 5
    + [PresetRole.SA_SPECIALIST] * 5
    + [PresetRole.FINANCE_SPECIALIST] * 7
)
COUPON_STATUSES = [CouponStatus.AVAILABLE] * 6 + [CouponStatus.USED] * 2 + [CouponStatus.EXPIRED, CouponStatus.RECLAIMED]
TASK_STATUSES = (TaskStatus.PENDING, TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED, TaskStatus.CLOSED)
PRODUCTS = ("ECS general computing", "RDS for MySQL", "OBS standard storage", "CDN traffic package", "CCE cluster")
EARNS_INCENTIVES = BY_CODE[Permission.INCENTIVE_VIEW].assignable_to
INCENTIVE_TYPE_FOR: dict[I, IncentiveType] = {I.DISTRIBUTOR: IncentiveType.SALES_REBATE, I.SOLUTION_PROVIDER: IncentiveType.SOLUTION_INCENTIVE}
# The applications of the confirmed bills, oldest first: most are paid, the recent ones on their way.
PAYOUT_STATUSES = [PayoutStatus.COMPLETED] * 5 + [PayoutStatus.PAYMENT_REVIEW, PayoutStatus.INVOICE_REVIEW,
                                                  PayoutStatus.AWAITING_INVOICE, PayoutStatus.PROCESSING]


M = TypeVar("M", bound=Model)


class _Rows:
    """Rows per model with the next free id of each."""

    def __init__(self) -> None:
        self.rows: dict[type[Model], list[Any]] = defaultdict(list)
        self.next_ids: dict[type[Model], int] = {}

    async def prepare(self, models: list[type[Model]]) -> None:
        for model in models:
            last = await model.all().order_by("-id").limit(1).values_list("id", flat=True)
            self.next_ids[model] = (cast(int, last[0]) if last else 0) + 1

    def add(self, model: type[M], **values: Any) -> M:
        row = model(id=self.next_ids[model], **values)
        self.next_ids[model] += 1
        self.rows[model].append(row)
        return row


async def seed_synthetic(size: int, now: datetime | None = None, *, allow_existing: bool = False,
                         progress: Callable[[str, int, int], None] | None = None) -> dict[str, int]:
    """Create ``size`` synthetic partners with their members, customers, coupons and tasks.

    Returns the number of rows created per model for the synthetic partners (preset roles
    and staff accounts it had to add are not counted). ``progress(step, done, total)`` is told
    how far it got: partners built, then tables written.
    """
    report = progress or (lambda step, done, total: None)
    if size < 0:
        raise ValueError("size must not be negative")
    now = reference_now(now)
    async with in_transaction() as connection:
        if not allow_existing:
            await ensure_no_partners()
        roles = await ensure_preset_roles()
        staff = await ensure_staff_accounts()
        rows = _Rows()
        order = [Partner, Account, PartnerProgram, Wallet, LedgerEntry, EnterpriseProfile, Customer, CouponQuota, Coupon,
                 CouponUsage, CouponOperation, Task, TaskDetail, TaskHandlingRecord, Invitation,
                 SpecialistApplication, ExpertApplication, ExpertStageRecord, Solution, CoSaleProduct,
                 IncentiveBill, IncentiveBillLine, IncentiveIndicator, PayoutApplication, PayoutApplicationLine,
                 SettlementBill, YanxuanOrder, OnBehalfAuthorization, OnBehalfOrder, DisassociationRequest,
                 AssociationRecord, Prospect, ResellerInvitation, ConsumptionRecord, Certificate, CloudLabApplication,
                 CloudLabBeneficiary]
        await rows.prepare(order)
        total = size + len(order) + 1
        memberships = _build(rows, size, now, random.Random(42), roles, staff["staff.operations"].id,
                             lambda built: report("Building partners", built, total))
        for written, model in enumerate(order, start=1):
            report(f"Writing {model._meta.db_table}", size + written - 1, total)
            await model.bulk_create(rows.rows[model], batch_size=BATCH)
        report("Writing role memberships", size + len(order), total)
        await _insert_memberships(connection, memberships)
        if connection.capabilities.dialect == "postgres":
            # Explicit ids bypass the sequences; move them past what was written.
            for model in order:
                table = model._meta.db_table
                await connection.execute_query(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM \"{table}\"))"
                )
    database = Partner._meta.db
    if database.capabilities.dialect == "postgres":
        # Fresh statistics for the planner, after the commit: a bulk load leaves it guessing one row
        # per table until autovacuum's next pass, and it then picks nested loops over thousands of rows.
        await database.execute_script("ANALYZE")
    report("Seeded", total, total)
    return {model.__name__: len(rows.rows[model]) for model in order}


async def _insert_memberships(connection, memberships: list[tuple[int, int]]) -> None:
    through = cast(ManyToManyFieldInstance, Account._meta.fields_map["roles"])
    account_column, role_column = through.backward_key, through.forward_key
    placeholders = "$1, $2" if connection.capabilities.dialect == "postgres" else "?, ?"
    sql = f'INSERT INTO "{through.through}" ("{account_column}", "{role_column}") VALUES ({placeholders})'
    for start in range(0, len(memberships), BATCH):
        await connection.execute_many(sql, [list(pair) for pair in memberships[start : start + BATCH]])


def _identities(index: int) -> list[I]:
    slot = index % 10
    if slot == 0:
        return [I.DISTRIBUTOR]
    if slot <= 3:
        return [I.RESELLER]
    return OTHER_IDENTITIES[slot - 4]


def _build(rows: _Rows, size: int, now: datetime, rng: random.Random, roles, operations_id: int,
           built: Callable[[int], None]) -> list[tuple[int, int]]:
    memberships: list[tuple[int, int]] = []
    distributor: Partner | None = None
    distributor_quotas: list[CouponQuota] = []
    distributor_admin_id: int | None = None
    for index in range(size):
        if index % 10 == 0:
            built(index)
        identities = _identities(index)
        is_reseller = I.RESELLER in identities
        partner = rows.add(
            Partner,
            name=f"Synthetic Partner {rows.next_ids[Partner]:05d}",
            region=REGIONS[(index // 10) % len(REGIONS)],
            identities=[i.value for i in identities],
            verification_code_enabled=index % 3 == 0,
            real_name_status=RealNameStatus.VERIFIED,
            parent_distributor_id=distributor.id if is_reseller and distributor else None,
            created_at=now - timedelta(days=400),
        )
        n = partner.id
        accounts = _accounts(rows, partner, now, roles, memberships)
        program = rows.add(PartnerProgram, partner_id=n, program=PROGRAM_FOR[identities[0]],
                           joined_at=now - timedelta(days=365), expires_at=now + timedelta(days=365), joined_by_id=accounts[0].id)
        _certificate_and_lab(rows, program, now, accounts)
        _wallet(rows, partner, now, rng, accounts[0].id)
        customers = _customers(rows, partner, now, accounts, gov=I.GOV_SUBSIDY_PARTNER in identities
                               or I.GOV_CLOUD_PARTNER in identities)
        _customer_business(rows, partner, now, accounts, customers)
        _consumption(rows, partner, now, customers)
        if is_reseller and distributor:
            rows.add(ResellerInvitation, distributor_id=distributor.id, invitee_id=n, status=ResellerInvitationStatus.ACCEPTED,
                     invited_by_id=distributor_admin_id, responded_by_id=accounts[0].id,
                     responded_at=now - timedelta(days=390), created_at=now - timedelta(days=395))
        parents = distributor_quotas if is_reseller and distributor else [None, None]
        quotas = _coupons(rows, partner, now, rng, customers, accounts[1].id, identities, parents, operations_id,
                          allocator_id=distributor_admin_id)
        if I.DISTRIBUTOR in identities:
            distributor, distributor_quotas, distributor_admin_id = partner, quotas, accounts[0].id
        _tasks(rows, partner, now, rng, customers, accounts[0].id)
        _people_and_solutions(rows, partner, now, accounts)
        if set(identities) & EARNS_INCENTIVES:
            _incentives(rows, partner, now, rng, identities, accounts, customers)
        if I.RESELLER in identities or I.SOLUTION_PROVIDER in identities:
            _yanxuan_orders(rows, partner, now, customers)
    return memberships


def _people_and_solutions(rows: _Rows, partner: Partner, now: datetime, accounts: list[Account]) -> None:
    """Invitations, a specialist with an expert application, and solutions with co-sale listings,
    so every nested list of the schema has rows at benchmark scale."""
    n, admin, specialist = partner.id, accounts[0], accounts[9]
    for k, invitation_status in enumerate((InvitationStatus.INVITED, InvitationStatus.EXPIRED)):
        sent = now - timedelta(days=2 + 10 * k)
        rows.add(Invitation, partner_id=n, invited_by_id=admin.id, invitee_identifier=f"invitee{k}@partner{n}.example.com",
                 identifier_type=InviteeIdentifierType.EMAIL, status=invitation_status, sent_at=sent, expires_at=sent + timedelta(days=7),
                 created_at=sent)
    rows.add(SpecialistApplication, partner_id=n, member_id=specialist.id, status=SpecialistStatus.SPECIALIST,
             created_at=now - timedelta(days=100), updated_at=now - timedelta(days=90))
    application = rows.add(ExpertApplication, partner_id=n, specialist_id=specialist.id, submitted_by_id=admin.id,
                           stage=ExpertStage.CAPABILITY_EXAM, resume_text=f"Resume of {specialist.display_name}",
                           created_at=now - timedelta(days=60), updated_at=now - timedelta(days=30))
    for k, stage in enumerate((ExpertStage.RESUME_SUBMITTED, ExpertStage.CAPABILITY_EXAM)):
        rows.add(ExpertStageRecord, application_id=application.id, stage=stage, result="passed",
                 created_at=now - timedelta(days=60 - 30 * k))
    for s in range(2):
        solution = rows.add(Solution, partner_id=n, name=f"Solution {s + 1} of Partner {n}", summary="Synthetic solution.",
                            industries=["retail"], status=SolutionStatus.PUBLISHED, created_at=now - timedelta(days=50),
                            updated_at=now - timedelta(days=40))
        for p, listing_status in enumerate((CoSaleStatus.LISTED, CoSaleStatus.REQUESTED)):
            rows.add(CoSaleProduct, solution_id=solution.id, name=f"Product {p + 1} of {solution.name}", status=listing_status,
                     requested_at=now - timedelta(days=30), listed_at=now - timedelta(days=20) if p == 0 else None,
                     created_at=now - timedelta(days=30))


def _accounts(rows: _Rows, partner: Partner, now: datetime, roles, memberships) -> list[Account]:
    n = partner.id
    domain = f"partner{n}.example.com"
    accounts = [rows.add(Account, name=f"p{n}.admin", display_name=f"Partner {n} Admin", email=f"admin@{domain}",
                         mobile=f"+86 138 {n % 10000:04d} 0000", kind=AccountKind.MAIN_ACCOUNT, partner_id=n,
                         created_at=now)]
    supervisor_id = None
    for k in range(1, ACCOUNTS_PER_PARTNER):
        role = MEMBER_ROLES[k - 1]
        account = rows.add(
            Account, name=f"p{n}.m{k}", display_name=f"Member {k} of Partner {n}", email=f"m{k}@{domain}",
            mobile=f"+86 138 {n % 10000:04d} {k:04d}", kind=AccountKind.ORGANISATION_MEMBER, partner_id=n,
            supervisor_id=supervisor_id if role is PresetRole.ACCOUNT_MANAGER else None, created_at=now,
        )
        if role is PresetRole.ACCOUNT_MANAGER_SUPERVISOR:
            supervisor_id = account.id
        memberships.append((account.id, roles[role].id))
        accounts.append(account)
    return accounts


def _wallet(rows: _Rows, partner: Partner, now: datetime, rng: random.Random, admin_id: int) -> None:
    balance = money(rng.randrange(10_000, 1_000_000))
    wallet = rows.add(Wallet, partner_id=partner.id, balance=balance, allocatable_balance=Decimal("0.00"),
                      alert_threshold=money(5000))
    rows.add(LedgerEntry, wallet_id=wallet.id, kind=LedgerEntryKind.RECHARGE, amount=balance, balance_after=balance,
             actor_id=admin_id, reference=f"RCH-SYN-{partner.id}", created_at=now - timedelta(days=90))


def _customers(rows: _Rows, partner: Partner, now: datetime, accounts: list[Account], gov: bool) -> list[Customer]:
    managers = [a.id for a in accounts[3:8]]  # the ACCOUNT_MANAGER members
    n = partner.id
    own = [rows.add(Account, name=f"customer{n}.{k + 1}", display_name=f"Customer {k + 1} of Partner {n} (IT)",
                    email=f"it{k + 1}@customer{n}.example.com", kind=AccountKind.CUSTOMER, created_at=now)
           for k in range(CUSTOMER_ACCOUNTS_PER_PARTNER)]
    return [
        rows.add(
            Customer,
            enterprise_id=_profile(rows, f"Customer {k + 1} of Partner {n}", n, k, now).id,
            customer_account_id=own[k].id if k < len(own) else None,
            partner_id=partner.id,
            name=f"Customer {k + 1} of Partner {partner.id}",
            association_type=AssociationType.RESALE if k < 7 else AssociationType.REFERRAL,
            account_manager_id=managers[k % len(managers)] if k < 8 else None,
            real_name_status=RealNameStatus.VERIFIED,
            whitelisted=gov,
            associated_at=now - timedelta(days=200 - k),
            created_at=now,
        )
        for k in range(CUSTOMERS_PER_PARTNER)
    ]


def _profile(rows: _Rows, name: str, partner_id: int, k: int, now: datetime) -> EnterpriseProfile:
    return rows.add(EnterpriseProfile, name=name, credit_code=f"91{partner_id:08d}{k:08d}", legal_representative="Wang Jun",
                    registered_capital="10 million CNY", national_industry="Services", cloud_industry="Services",
                    wallet_size_band="100K-1M CNY/year", cloud_activity=("HIGH", "MEDIUM", "LOW")[k % 3],
                    products=["Platform"], brands=[name.split()[0]], created_at=now)


def _certificate_and_lab(rows: _Rows, program: PartnerProgram, now: datetime, accounts: list[Account]) -> None:
    """The program's certificate, and an issued cloud-lab application for two members (the synthetic
    set gives every partner one, so the lists have rows at benchmark scale)."""
    rows.add(Certificate, number=certificate_number(CertificateKind.PROGRAM, program.program.value, program.partner_id,
                                                    program.joined_at),
             partner_id=program.partner_id, kind=CertificateKind.PROGRAM, subject=program.program.value,
             holder_id=program.joined_by_id, valid_from=program.joined_at, valid_until=program.expires_at, created_at=now)
    application = rows.add(CloudLabApplication, partner_id=program.partner_id, status=CloudLabStatus.BENEFIT_ISSUED,
                           purpose="Hands-on labs.", points_per_member=200, applied_by_id=accounts[0].id,
                           reviewed_at=now - timedelta(days=20), issued_at=now - timedelta(days=19),
                           created_at=now - timedelta(days=21))
    for member in accounts[10:12]:
        rows.add(CloudLabBeneficiary, application_id=application.id, account_id=member.id, points_credited=200)


def _consumption(rows: _Rows, partner: Partner, now: datetime, customers: list[Customer]) -> None:
    """Twelve months of consumption of each resale customer, two products, every fourth month some
    Yanxuan goods (consumption, never performance)."""
    for customer in customers:
        if customer.association_type is not AssociationType.RESALE:
            continue
        for m in range(CONSUMPTION_MONTHS):
            month = month_label(now, m)
            for p in range(CONSUMED_PRODUCTS):
                rows.add(ConsumptionRecord, partner_id=partner.id, customer_id=customer.id, product=PRODUCTS[(customer.id + p) % len(PRODUCTS)],
                         month=month, amount=money(500 + (customer.id * 37 + m * 11 + p * 101) % 4000), created_at=now)
            if (customer.id + m) % 4 == 0:
                rows.add(ConsumptionRecord, partner_id=partner.id, customer_id=customer.id, product="Yanxuan goods", month=month,
                         amount=money(300), yanxuan=True, created_at=now)


def _customer_business(rows: _Rows, partner: Partner, now: datetime, accounts: list[Account], customers: list[Customer]) -> None:
    """Authorizations (one granted with orders, one cancelled, one asked), a declined disassociation
    request, an association record per customer plus a manager change, and a prospect."""
    n, manager = partner.id, accounts[3]
    for k, status in enumerate((AuthorizationStatus.AUTHORIZED, AuthorizationStatus.CANCELLED, AuthorizationStatus.REQUESTED)):
        customer = customers[k]
        orders = ORDERS_PER_AUTHORIZATION if status is AuthorizationStatus.AUTHORIZED else 1 if status is AuthorizationStatus.CANCELLED else 0
        requested = now - timedelta(days=90 - 10 * k)
        authorization = rows.add(
            OnBehalfAuthorization, partner_id=n, customer_id=customer.id, scopes=["OPERATE_RESOURCES", "PLACE_ORDERS"],
            status=status, requested_by_id=manager.id, requested_at=requested,
            responded_by_id=customer.customer_account_id if status is not AuthorizationStatus.REQUESTED else None,
            responded_at=requested + timedelta(days=1) if status is not AuthorizationStatus.REQUESTED else None,
            cancelled_at=requested + timedelta(days=30) if status is AuthorizationStatus.CANCELLED else None,
            cancel_reason="Taken back in house." if status is AuthorizationStatus.CANCELLED else "",
            orders_placed=orders, orders_at_cancellation=orders if status is AuthorizationStatus.CANCELLED else None,
            created_at=requested,
        )
        for o in range(orders):
            placed = requested + timedelta(days=2 + o)
            rows.add(OnBehalfOrder, number=f"OB{n:08d}{k:02d}{o:04d}", partner_id=n, customer_id=customer.id,
                     authorization_id=authorization.id, product_code=f"hws.product.{o}", product_name=PRODUCTS[o % len(PRODUCTS)],
                     billing_mode=BillingMode.YEARLY_MONTHLY if o % 2 == 0 else BillingMode.ON_DEMAND,
                     period_months=12 if o % 2 == 0 else None, amount=money(1000 * (o + 1)), placed_by_id=manager.id,
                     placed_at=placed)
    rows.add(DisassociationRequest, partner_id=n, customer_id=customers[1].id, reason="Consolidating vendors.",
             status=DisassociationRequestStatus.REJECTED, response="Contract runs to year end.", requested_at=now - timedelta(days=150),
             handled_by_id=accounts[0].id, handled_at=now - timedelta(days=149))
    for customer in customers:
        rows.add(AssociationRecord, partner_id=n, customer_id=customer.id, operation=AssociationOperation.ASSOCIATED,
                 after=customer.association_type.value, created_at=customer.associated_at)
    rows.add(AssociationRecord, partner_id=n, customer_id=customers[0].id, operation=AssociationOperation.ACCOUNT_MANAGER_CHANGED,
             operator_id=accounts[0].id, after=manager.name, created_at=now - timedelta(days=100))
    prospect = _profile(rows, f"Prospect of Partner {n}", n, 99, now)
    rows.add(Prospect, partner_id=n, enterprise_id=prospect.id, registered_by_id=manager.id, note="Met at a summit.",
             created_at=now - timedelta(days=5))


def _coupons(
    rows, partner, now, rng, customers, issuer_id, identities, parents, operations_id, *, allocator_id
) -> list[CouponQuota]:
    kinds = QUOTA_KINDS.get(identities[0], (CouponKind.VOUCHER, CouponKind.VOUCHER))
    quotas = [
        rows.add(CouponQuota, partner_id=partner.id, kind=kinds[q], total=Decimal("0.00"), used=Decimal("0.00"),
                 valid_from=now - timedelta(days=180), valid_until=now + timedelta(days=185),
                 parent_quota_id=parents[q].id if parents[q] else None,
                 granted_by_id=operations_id, created_at=now - timedelta(days=180))
        for q in range(QUOTAS_PER_PARTNER)
    ]
    resale = [c for c in customers if c.association_type == AssociationType.RESALE]
    for c in range(COUPONS_PER_PARTNER):
        quota, customer, status = quotas[c % 2], resale[c % len(resale)], COUPON_STATUSES[c % 10]
        face = money(rng.choice((500, 1000, 2000, 3000, 5000)))
        issued_at = now - timedelta(days=10 + 3 * c)
        expires_at = now - timedelta(days=5 + c % 5) if status is CouponStatus.EXPIRED else now + timedelta(days=30 + c)
        parts = 1 + c % 2
        # A used-up coupon consumed its whole face value; others a share of it.
        share = Decimal(1) if status is CouponStatus.USED else Decimal("0.2")
        amounts = [money(face * share / parts)] * parts
        amounts[-1] = money(face * share) - sum(amounts[:-1], Decimal("0.00"))
        used_amount = sum(amounts, Decimal("0.00"))
        closed_at = {
            CouponStatus.AVAILABLE: None,
            CouponStatus.USED: now - timedelta(days=2),
            CouponStatus.EXPIRED: expires_at,
            CouponStatus.RECLAIMED: now - timedelta(days=1),
        }[status]
        coupon = rows.add(
            Coupon, partner_id=partner.id, quota_id=quota.id, customer_id=customer.id, kind=quota.kind,
            face_value=face, used_amount=used_amount, status=status, valid_from=issued_at, expires_at=expires_at,
            max_order_ratio=Decimal("0.5000") if quota.kind is not CouponKind.VOUCHER else None,
            issued_by_id=issuer_id, issued_at=issued_at, closed_at=closed_at,
        )
        last_use = closed_at if status is CouponStatus.USED else issued_at + (min(now, expires_at) - issued_at) / 2
        for p, amount in enumerate(amounts):
            used_at = issued_at + (last_use - issued_at) * (p + 1) / parts
            rows.add(CouponUsage, coupon_id=coupon.id, order_id=f"SYN{coupon.id:09d}{p}", amount=amount, used_at=used_at)
        rows.add(CouponOperation, partner_id=partner.id, type=CouponOperationType.ISSUE, operator_id=issuer_id,
                 quota_id=quota.id, coupon_id=coupon.id, customer_id=customer.id, amount=face, created_at=issued_at)
        if status in (CouponStatus.AVAILABLE, CouponStatus.USED):
            quota.used += face
            continue
        quota.used += used_amount
        expired = status is CouponStatus.EXPIRED
        rows.add(
            CouponOperation, partner_id=partner.id,
            type=CouponOperationType.EXPIRY_RECLAIM if expired else CouponOperationType.MANUAL_RECLAIM,
            # Expiry is the system's doing; a manual reclaim is the issuer's.
            operator_id=None if expired else issuer_id,
            quota_id=quota.id, coupon_id=coupon.id, customer_id=customer.id,
            amount=face - used_amount, created_at=closed_at,
        )
    for quota, parent in zip(quotas, parents, strict=False):
        quota.total = money(((quota.used * 3 / 2) // 10_000 + 1) * 10_000)
        if parent is not None:
            # The distributor's quota grows to cover what it hands down.
            parent.used += quota.total
            parent.total = money(((parent.used * 3 / 2) // 10_000 + 1) * 10_000)
            rows.add(CouponOperation, partner_id=parent.partner_id, type=CouponOperationType.QUOTA_ALLOCATE,
                     operator_id=allocator_id, quota_id=quota.id, amount=quota.total, created_at=quota.valid_from)
    return quotas


def _tasks(
    rows: _Rows, partner: Partner, now: datetime, rng: random.Random, customers: list[Customer], admin_id: int
) -> None:
    for k in range(TASKS_PER_PARTNER):
        customer = customers[k % len(customers)]
        kind = TaskKind.SALES_EXPANSION if k % 2 == 0 else TaskKind.LARGE_ORDER_RENEWAL
        status = TASK_STATUSES[(k // 2) % len(TASK_STATUSES)]
        deadline = now + timedelta(days=7 * k - 20)
        created = now - timedelta(days=60)
        task = rows.add(
            Task, partner_id=partner.id, kind=kind, name=f"Task {k + 1} for {customer.name}", customer_id=customer.id,
            account_manager_id=customer.account_manager_id,
            strategy=TaskStrategy.EXPIRY_RENEWAL if kind is TaskKind.LARGE_ORDER_RENEWAL else TaskStrategy.CROSS_SELL,
            status=status, deadline=deadline, customer_spend_12m=money(rng.randrange(10_000, 500_000)),
            related_order=f"CS{partner.id:06d}{k:04d}" if kind is TaskKind.LARGE_ORDER_RENEWAL else "",
            created_at=created,
        )
        for d in range(2):
            rows.add(TaskDetail, task_id=task.id, product=PRODUCTS[(k + d) % len(PRODUCTS)],
                     amount=money(rng.randrange(1_000, 100_000)),
                     expires_at=deadline + timedelta(days=10) if kind is TaskKind.LARGE_ORDER_RENEWAL else None)
        start = (TaskStatus.PENDING, TaskStatus.IN_PROGRESS)
        steps = [] if status is TaskStatus.PENDING else [start]
        if status in (TaskStatus.COMPLETED, TaskStatus.CLOSED):
            steps.append((TaskStatus.IN_PROGRESS, status))
        for s, (before, after) in enumerate(steps):
            rows.add(TaskHandlingRecord, task_id=task.id, actor_id=customer.account_manager_id or admin_id,
                     action=after.value, note="", from_status=before, to_status=after,
                     created_at=created + timedelta(days=5 * (s + 1)))


def _incentives(rows: _Rows, partner: Partner, now: datetime, rng: random.Random, identities: list[I],
                accounts: list[Account], customers: list[Customer]) -> None:
    kind = INCENTIVE_TYPE_FOR.get(identities[0], IncentiveType.CAPABILITY_IMPROVEMENT)
    admin_id = accounts[0].id
    for months_ago in range(INCENTIVE_PERIODS):
        period = month_label(now, months_ago)
        status = (IncentiveBillStatus.ESTIMATED, IncentiveBillStatus.PENDING_CONFIRMATION)[months_ago] if months_ago < 2 \
            else IncentiveBillStatus.CONFIRMED
        amount = money(rng.randrange(1_000, 50_000))
        share = (amount / LINES_PER_BILL).quantize(Decimal("0.01"))
        payout = PAYOUT_STATUSES[INCENTIVE_PERIODS - 1 - months_ago] if months_ago >= 3 else None
        at = now - timedelta(days=30 * months_ago)
        bill = rows.add(IncentiveBill, partner_id=partner.id, type=kind, period=period, status=status, amount=amount,
                        pending_amount=amount if payout is None else Decimal("0.00"), frozen_amount=Decimal("0.00"),
                        confirmed_at=at if status is IncentiveBillStatus.CONFIRMED else None,
                        confirmed_by_id=admin_id if status is IncentiveBillStatus.CONFIRMED else None, created_at=at)
        for k in range(LINES_PER_BILL):
            customer = customers[(months_ago + k) % len(customers)]
            rows.add(IncentiveBillLine, bill_id=bill.id, billing_mode=BillingMode.ON_DEMAND if k % 2 else BillingMode.YEARLY_MONTHLY,
                     order_id=f"CS{bill.id:08d}{k}", customer_id=customer.id, customer_name=customer.name,
                     account_manager_id=customer.account_manager_id, product_type=PRODUCTS[k % len(PRODUCTS)],
                     amount=share if k < LINES_PER_BILL - 1 else amount - share * (LINES_PER_BILL - 1), created_at=at)
        rows.add(IncentiveIndicator, bill_id=bill.id, name="Resale consumption", statistic_method="Paid consumption in the period",
                 period=period, value=f"{amount * 25:.2f} CNY", created_at=at)
        rows.add(IncentiveIndicator, bill_id=bill.id, name="Incentive rate", statistic_method="Tier reached", period=period,
                 value="4%", created_at=at)
        if payout is not None:
            completed = payout is PayoutStatus.COMPLETED
            # Paid ones by transfer: an account credit would need its ledger entry (the demo set has one).
            method = PayoutMethod.ACCOUNT_CREDIT if not completed and months_ago % 2 else PayoutMethod.BANK_TRANSFER
            application = rows.add(
                PayoutApplication, number="", partner_id=partner.id, method=method, status=payout, amount=amount,
                applied_by_id=admin_id, created_at=at + timedelta(days=10), submitted_at=at + timedelta(days=10),
                invoice_numbers=[f"INV{bill.id:08d}"] if payout not in (PayoutStatus.PROCESSING, PayoutStatus.AWAITING_INVOICE) else [],
                bank_reference=f"TRF{bill.id:08d}" if completed and method is PayoutMethod.BANK_TRANSFER else "",
                completed_at=at + timedelta(days=25) if completed else None,
            )
            application.number = application_number(application)
            rows.add(PayoutApplicationLine, application_id=application.id, bill_id=bill.id, amount=amount)
    flow = list(SettlementStatus)
    for k in range(SETTLEMENT_BILLS_PER_PARTNER):
        rows.add(SettlementBill, number=f"SB{partner.id:06d}{k}", partner_id=partner.id, period=month_label(now, k + 1),
                 product_name=f"Store product {k + 1} of Partner {partner.id}", amount=money(rng.randrange(500, 20_000)),
                 status=flow[(partner.id + k) % len(flow)], created_at=now - timedelta(days=30 * (k + 1)))


def _yanxuan_orders(rows: _Rows, partner: Partner, now: datetime, customers: list[Customer]) -> None:
    for k in range(YANXUAN_ORDERS_PER_PARTNER):
        floor = money(100 * (k + 1))
        rows.add(YanxuanOrder, order_number=f"YX{partner.id:06d}{k}", partner_id=partner.id, customer_id=customers[k].id,
                 product_name=f"Yanxuan goods {k + 1}", quantity=10 * (k + 1), floor_price=floor,
                 catalogue_price=floor * Decimal("1.25"), unit_price=floor * Decimal("1.10"),
                 ordered_at=now - timedelta(days=7 * (k + 1)), created_at=now)
