"""What both seeders share: the emptiness guard, preset roles, staff accounts and row counts."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from tortoise.models import Model

from models.account import BalanceAlert, LedgerEntry, Wallet, Withdrawal
from models.api_keys import ApiKey
from models.audit import AuditRecord
from models.certificates import Certificate
from models.channel import ResellerInvitation
from models.cloudlab import CloudLabApplication, CloudLabBeneficiary
from models.coupons import Coupon, CouponOperation, CouponQuota, CouponUsage
from models.customers import (
    AssociationRecord,
    Customer,
    DisassociationRequest,
    EnterpriseProfile,
    OnBehalfAuthorization,
    OnBehalfOrder,
    Prospect,
)
from models.dashboard import ConsumptionRecord
from models.experts import ExpertApplication, ExpertStageRecord, SpecialistApplication
from models.incentives import (
    IncentiveBill,
    IncentiveBillLine,
    IncentiveIndicator,
    PayoutApplication,
    PayoutApplicationLine,
    PayoutSetting,
    SettlementBill,
    YanxuanOrder,
)
from models.invitations import Invitation
from models.members import Account, AccountKind, PresetRole, Role, StaffRole
from models.news import NewsArticle, NewsRead
from models.partners import Partner, PartnerProgram
from models.realname import RealNameVerification
from models.solutions import CoSaleProduct, Solution
from models.tasks import Task, TaskDetail, TaskHandlingRecord

# Counted in this order in the seeders' reports.
SEEDED_MODELS: tuple[type[Model], ...] = (
    Role,
    Partner,
    PartnerProgram,
    Account,
    Wallet,
    LedgerEntry,
    Withdrawal,
    BalanceAlert,
    Invitation,
    SpecialistApplication,
    ExpertApplication,
    ExpertStageRecord,
    Solution,
    CoSaleProduct,
    Customer,
    EnterpriseProfile,
    OnBehalfAuthorization,
    OnBehalfOrder,
    DisassociationRequest,
    AssociationRecord,
    Prospect,
    ResellerInvitation,
    ConsumptionRecord,
    Certificate,
    NewsArticle,
    NewsRead,
    RealNameVerification,
    CloudLabApplication,
    CloudLabBeneficiary,
    CouponQuota,
    Coupon,
    CouponUsage,
    CouponOperation,
    Task,
    TaskDetail,
    TaskHandlingRecord,
    IncentiveBill,
    IncentiveBillLine,
    IncentiveIndicator,
    PayoutSetting,
    PayoutApplication,
    PayoutApplicationLine,
    SettlementBill,
    YanxuanOrder,
    AuditRecord,
    ApiKey,
)

PRESET_ROLE_NAMES: dict[PresetRole, str] = {
    PresetRole.SYSTEM_ADMIN: "System administrator",
    PresetRole.ACCOUNT_MANAGER: "Account manager",
    PresetRole.ACCOUNT_MANAGER_SUPERVISOR: "Account manager supervisor",
    PresetRole.SA_SPECIALIST: "SA specialist",
    PresetRole.FINANCE_SPECIALIST: "Finance specialist",
}

# (name, display name, staff role, mobile)
STAFF_ACCOUNTS: tuple[tuple[str, str, StaffRole, str], ...] = (
    ("staff.pdm", "Sun Hao", StaffRole.PDM, "+86 135 0101 2001"),
    ("staff.ecosystem", "Zhou Ting", StaffRole.ECOSYSTEM_MANAGER, "+86 135 0101 2002"),
    ("staff.operations", "Wu Jun", StaffRole.OPERATIONS, "+86 135 0101 2003"),
    ("staff.finance", "Xu Lan", StaffRole.FINANCE, "+86 135 0101 2004"),
)
STAFF_EMAIL_DOMAIN = "cloud.example.com"


def reference_now(now: datetime | None) -> datetime:
    """A fixed reference time, so relative dates (expiry, overdue) agree across the data set."""
    if now is None:
        return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(UTC)


def month_label(now: datetime, months_ago: int) -> str:
    """The month `months_ago` before `now`'s, as periods and consumption are labelled: YYYY-MM."""
    year, month = divmod(now.year * 12 + now.month - 1 - months_ago, 12)
    return f"{year:04d}-{month + 1:02d}"


def money(value: str | int | float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def email_for(display_name: str, domain: str) -> str:
    return f"{display_name.lower().replace(' ', '.')}@{domain}"


async def ensure_no_partners() -> None:
    if await Partner.exists():
        raise RuntimeError("database already has data")


async def ensure_preset_roles() -> dict[PresetRole, Role]:
    """One shared row per preset role; existing rows are kept."""
    existing = {role.preset: role for role in await Role.filter(preset__isnull=False)}
    for preset in PresetRole:
        if preset not in existing:
            existing[preset] = await Role.create(
                partner=None, preset=preset, name=PRESET_ROLE_NAMES[preset], description=preset.description
            )
    return {preset: existing[preset] for preset in PresetRole}


async def ensure_staff_accounts() -> dict[str, Account]:
    existing = {a.name: a for a in await Account.filter(name__in=[s[0] for s in STAFF_ACCOUNTS])}
    for name, display, role, mobile in STAFF_ACCOUNTS:
        if name not in existing:
            existing[name] = await Account.create(
                name=name,
                display_name=display,
                email=email_for(display, STAFF_EMAIL_DOMAIN),
                mobile=mobile,
                kind=AccountKind.STAFF,
                partner=None,
                staff_role=role,
            )
    return existing


async def count_rows() -> dict[str, int]:
    return {model.__name__: await model.all().count() for model in SEEDED_MODELS}
