"""Demo partners, their accounts and roles, programs and wallets."""

from __future__ import annotations

from decimal import Decimal

from gateway.seed.common import email_for, ensure_preset_roles, ensure_staff_accounts, money
from gateway.seed.demo_context import DemoContext
from models.account import BalanceAlert, LedgerEntry, LedgerEntryKind, Wallet, Withdrawal, WithdrawalStatus
from models.members import Account, AccountKind, AccountStatus, PresetRole, Role
from models.partners import Partner, PartnerProgram, ProgramCode, RealNameStatus
from models.partners import PartnerIdentity as I
from resolvers.permissions.catalog import Permission

COUPON_DESK_PERMISSIONS = [
    Permission.COUPON_QUOTA_VIEW,
    Permission.COUPON_ISSUED_VIEW,
    Permission.COUPON_USAGE_VIEW,
    Permission.COUPON_OPLOG_VIEW,
    Permission.COUPON_VOUCHER_ISSUE,
    Permission.CUSTOMER_VIEW,
]

# handle, name, region, identities, verification code on, e-mail domain
PARTNERS: tuple[tuple[str, str, str, list[I], bool, str], ...] = (
    ("distributor", "Northwind Distribution", "cn-north-4", [I.DISTRIBUTOR], True, "northwind-dist.example.com"),
    ("reseller1", "Harbor Lane Cloud Services", "cn-north-4", [I.RESELLER], False, "harborlane.example.com"),
    ("reseller2", "Bluepeak Technology", "cn-north-4", [I.RESELLER], False, "bluepeak.example.com"),
    ("reseller3", "Redwood Digital Systems", "cn-north-4", [I.RESELLER], True, "redwood-digital.example.com"),
    ("provider", "Lattice Solutions", "cn-east-3", [I.SOLUTION_PROVIDER], False, "lattice.example.com"),
    ("provider2", "Meridian Software Works", "cn-south-1", [I.SOLUTION_PROVIDER, I.SOFTWARE_PARTNER], False, "meridian-sw.example.com"),
    ("service", "Summit Cloud Services", "cn-east-3", [I.SERVICE_PARTNER], False, "summit-cloud.example.com"),
    ("govsubsidy", "Eastriver Digital Economy Services", "cn-east-2", [I.GOV_SUBSIDY_PARTNER], True, "eastriver-de.example.com"),
    ("govcloud", "Capital Gov Cloud Operations", "cn-north-9", [I.GOV_CLOUD_PARTNER], True, "capital-govcloud.example.com"),
    # The reseller channel: a reseller-program member no distributor manages yet, and a solution
    # provider whose program expired (it may accept an invitation and become a reseller).
    ("juniper", "Juniper Cloud Partners", "cn-north-4", [I.RESELLER], False, "juniper-cloud.example.com"),
    ("cobalt", "Cobalt Systems Integration", "cn-north-4", [I.SOLUTION_PROVIDER], False, "cobalt-si.example.com"),
)
# Resellers without a distributor: the distributor's invitation is theirs to answer.
UNMANAGED = {"juniper"}

MAIN_ACCOUNTS: dict[str, tuple[str, str]] = {
    "distributor": ("distributor.admin", "Zhang Wei"),
    "reseller1": ("reseller.admin", "Ma Chao"),
    "reseller2": ("reseller2.admin", "Guo Rui"),
    "reseller3": ("reseller3.admin", "He Yan"),
    "provider": ("provider.admin", "Lin Tao"),
    "provider2": ("provider2.admin", "Luo Xin"),
    "service": ("service.admin", "Zheng Kai"),
    "govsubsidy": ("govsubsidy.admin", "Xie Hong"),
    "govcloud": ("govcloud.admin", "Song Jie"),
    "juniper": ("juniper.admin", "Qin Lan"),
    "cobalt": ("cobalt.admin", "Kong Wen"),
}
# Accounts added after the first demo: fixed mobiles, so every earlier account keeps its own.
FIXED_MOBILES = {
    "juniper.admin": "+86 135 2046 7781", "cobalt.admin": "+86 137 5530 1942",
    "customer.acme": "+86 186 7702 3315", "customer.globex": "+86 139 4418 6620",
}
# Customers' own cloud accounts (AccountKind.CUSTOMER): name, display name, e-mail.
CUSTOMER_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("customer.acme", "Acme Retail Group (IT desk)", "it@acme-retail.example.com"),
    ("customer.globex", "Globex Manufacturing (cloud team)", "cloud@globex.example.com"),
)

# partner handle, name, display name, roles (presets or custom role names), supervisor, status
MEMBERS: tuple[tuple[str, str, str, list[PresetRole | str], str | None, AccountStatus], ...] = (
    ("distributor", "distributor.finance", "Li Na", [PresetRole.FINANCE_SPECIALIST], None, AccountStatus.ACTIVE),
    ("distributor", "distributor.amlead", "Wang Fang", [PresetRole.ACCOUNT_MANAGER_SUPERVISOR], None, AccountStatus.ACTIVE),
    ("distributor", "distributor.am", "Liu Yang", [PresetRole.ACCOUNT_MANAGER], "distributor.amlead", AccountStatus.ACTIVE),
    ("distributor", "distributor.am2", "Chen Jing", [PresetRole.ACCOUNT_MANAGER], "distributor.amlead", AccountStatus.ACTIVE),
    ("distributor", "distributor.sysadmin", "Yang Lei", [PresetRole.SYSTEM_ADMIN], None, AccountStatus.ACTIVE),
    ("distributor", "distributor.sa", "Zhao Min", [PresetRole.SA_SPECIALIST], None, AccountStatus.ACTIVE),
    ("distributor", "distributor.coupons", "Huang Qiang", ["Coupon desk"], None, AccountStatus.ACTIVE),
    # A disabled member, so sign-in refusal has something to refuse.
    ("distributor", "distributor.former", "Tang Bo", [PresetRole.ACCOUNT_MANAGER], "distributor.amlead", AccountStatus.DISABLED),
    ("provider", "provider.sa", "Feng Yu", [PresetRole.SA_SPECIALIST], None, AccountStatus.ACTIVE),
    ("provider", "provider.am", "Cao Li", [PresetRole.ACCOUNT_MANAGER, PresetRole.FINANCE_SPECIALIST], None, AccountStatus.ACTIVE),
)

# Bound members: partner handle, name, display name. Invitations for them are seeded in demo_members.
BOUND_MEMBERS: tuple[tuple[str, str, str], ...] = (
    ("distributor", "distributor.engineer1", "Deng Hui"),
    ("distributor", "distributor.engineer2", "Peng Fei"),
    ("distributor", "distributor.engineer3", "Ye Qing"),
    ("distributor", "distributor.engineer4", "Du Juan"),
    ("distributor", "distributor.engineer5", "Jiang Shan"),
    ("service", "service.engineer1", "Pan Yue"),
    ("service", "service.engineer2", "Yuan Ming"),
    ("service", "service.engineer3", "Cai Wen"),
    ("service", "service.engineer4", "Shen Yi"),
    ("service", "service.engineer5", "Lu Dan"),
    ("service", "service.engineer6", "Wei Ning"),
    ("provider", "provider.engineer1", "Qian Hao"),
)

PERSONAL_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("person.alice", "Alice Chen", "alice@example.com"),
    ("person.bob", "Bob Li", "bob@example.com"),
    # Once bound to the distributor, since unbound.
    ("person.carol", "Carol Wang", "carol@example.com"),
)

# handle -> [(program, joined days ago, expires in days or None)]
PROGRAMS: dict[str, list[tuple[ProgramCode, int, int | None]]] = {
    "distributor": [(ProgramCode.DISTRIBUTION_PROGRAM, 720, 365)],
    "reseller1": [(ProgramCode.DISTRIBUTION_PROGRAM, 400, 330)],
    "reseller2": [(ProgramCode.DISTRIBUTION_PROGRAM, 210, 155), (ProgramCode.YANXUAN_RESALE_PROGRAM, 180, 185)],
    # A former solution provider that joined distribution after its program expired.
    "reseller3": [(ProgramCode.SOLUTION_PROVIDER_PROGRAM, 800, -60), (ProgramCode.DISTRIBUTION_PROGRAM, 45, 320)],
    "provider": [(ProgramCode.SOLUTION_PROVIDER_PROGRAM, 500, 230)],
    "provider2": [(ProgramCode.SOLUTION_PROVIDER_PROGRAM, 300, 65), (ProgramCode.YANXUAN_RESALE_PROGRAM, 120, 245)],
    "service": [(ProgramCode.SERVICE_PARTNER_PROGRAM, 640, 90)],
    "govsubsidy": [(ProgramCode.GOV_SUBSIDY_PROGRAM, 260, 105)],
    "govcloud": [(ProgramCode.GOV_CLOUD_PROGRAM, 900, 195)],
    "juniper": [(ProgramCode.DISTRIBUTION_PROGRAM, 30, 335)],
    "cobalt": [(ProgramCode.SOLUTION_PROVIDER_PROGRAM, 700, -20), (ProgramCode.DISTRIBUTION_PROGRAM, 10, 355)],
}

# handle -> allocatable share of the balance, alert threshold, ledger [(kind, signed amount, reference, days ago)]
WALLETS: dict[str, tuple[str, str | None, list[tuple[LedgerEntryKind, str, str, int]]]] = {
    "distributor": ("0.60", "400000.00", [
        (LedgerEntryKind.RECHARGE, "500000.00", "RCH-20240101-0001", 180),
        (LedgerEntryKind.ALLOCATION_OUT, "-60000.00", "ALLOC-reseller.admin", 150),
        (LedgerEntryKind.ALLOCATION_OUT, "-35000.00", "ALLOC-reseller2.admin", 120),
        (LedgerEntryKind.WITHDRAWAL, "-20000.00", "WD-0007", 60),
        (LedgerEntryKind.RECHARGE, "120000.00", "RCH-20240601-0002", 20),
    ]),
    "reseller1": ("0", "10000.00", [
        (LedgerEntryKind.ALLOCATION_IN, "60000.00", "ALLOC-distributor.admin", 150),
        (LedgerEntryKind.RECHARGE, "15000.00", "RCH-HL-0003", 40),
        (LedgerEntryKind.WITHDRAWAL, "-8000.00", "WD-HL-0001", 10),
    ]),
    "reseller2": ("0", "20000.00", [
        (LedgerEntryKind.ALLOCATION_IN, "35000.00", "ALLOC-distributor.admin", 120),
        # Below the alert threshold on purpose: the balance-alert screen has something to show.
        (LedgerEntryKind.WITHDRAWAL, "-22000.00", "WD-BP-0002", 15),
    ]),
    "reseller3": ("0", None, [(LedgerEntryKind.RECHARGE, "8000.00", "RCH-RW-0001", 30)]),
    "provider": ("0", "5000.00", [
        (LedgerEntryKind.RECHARGE, "80000.00", "RCH-LT-0001", 200),
        (LedgerEntryKind.WITHDRAWAL, "-12000.00", "WD-LT-0004", 90),
        (LedgerEntryKind.ADJUSTMENT, "350.00", "ADJ-LT-0001", 85),
    ]),
    "provider2": ("0", None, [(LedgerEntryKind.RECHARGE, "25000.00", "RCH-MS-0001", 100)]),
    "service": ("0", None, [(LedgerEntryKind.RECHARGE, "5000.00", "RCH-SC-0001", 300)]),
    "govsubsidy": ("0", "100000.00", [
        (LedgerEntryKind.RECHARGE, "300000.00", "RCH-ER-0001", 240),
        (LedgerEntryKind.RECHARGE, "150000.00", "RCH-ER-0002", 70),
    ]),
    "govcloud": ("0", "200000.00", [(LedgerEntryKind.RECHARGE, "600000.00", "RCH-CG-0001", 365)]),
    "juniper": ("0", None, [(LedgerEntryKind.RECHARGE, "8000.00", "RCH-JP-0001", 25)]),
    "cobalt": ("0", None, [(LedgerEntryKind.RECHARGE, "12000.00", "RCH-CB-0001", 300)]),
}


async def seed_partners(ctx: DemoContext) -> None:
    ctx.roles = await ensure_preset_roles()
    for handle, name, region, identities, vcode, domain in PARTNERS:
        ctx.partners[handle] = await Partner.create(
            name=name,
            region=region,
            identities=[i.value for i in identities],
            verification_code_enabled=vcode,
            real_name_status=RealNameStatus.VERIFIED if handle != "reseller3" else RealNameStatus.PENDING,
            parent_distributor=ctx.partners["distributor"] if I.RESELLER in identities and handle not in UNMANAGED else None,
            pdm_contact="Sun Hao (sun.hao@cloud.example.com)",
            psa_contact="Gao Peng (gao.peng@cloud.example.com)",
            ecosystem_manager_contact="Zhou Ting (zhou.ting@cloud.example.com)",
            created_at=ctx.at(days=-900 + 60 * len(ctx.partners)),
        )
        ctx.domains[handle] = domain
    ctx.custom_roles["Coupon desk"] = await Role.create(
        partner=ctx.partners["distributor"],
        name="Coupon desk",
        description="Issues vouchers to resale customers and follows their use.",
        permissions=COUPON_DESK_PERMISSIONS,
    )
    await _seed_accounts(ctx)
    await _seed_programs(ctx)
    await _seed_wallets(ctx)


async def _account(ctx: DemoContext, handle: str | None, name: str, display: str, kind: AccountKind, **kw) -> Account:
    email = kw.pop("email", None)
    if email is None:
        assert handle is not None, "an account without a partner is given its e-mail"
        email = email_for(display, ctx.domains[handle])
    partner = ctx.partners[handle] if handle else None
    mobile = FIXED_MOBILES[name] if name in FIXED_MOBILES else ctx.mobile()
    account = await Account.create(
        name=name, display_name=display, email=email, mobile=mobile, kind=kind, partner=partner, **kw
    )
    ctx.accounts[name] = account
    return account


async def _seed_accounts(ctx: DemoContext) -> None:
    ctx.accounts.update(await ensure_staff_accounts())
    late = [(handle, name, display) for handle, (name, display) in MAIN_ACCOUNTS.items() if name in FIXED_MOBILES]
    for handle, (name, display) in MAIN_ACCOUNTS.items():
        if name not in FIXED_MOBILES:
            await _account(ctx, handle, name, display, AccountKind.MAIN_ACCOUNT)
    for handle, name, display, roles, supervisor, status in MEMBERS:
        account = await _account(
            ctx, handle, name, display, AccountKind.ORGANISATION_MEMBER,
            status=status, supervisor=ctx.accounts[supervisor] if supervisor else None,
        )
        for role in roles:
            await account.roles.add(ctx.roles[role] if isinstance(role, PresetRole) else ctx.custom_roles[role])
    for handle, name, display in BOUND_MEMBERS:
        # Bound members keep their personal mailbox: they joined with their own cloud account.
        await _account(
            ctx, handle, name, display, AccountKind.BOUND_MEMBER, email=email_for(display, "mail.example.com")
        )
    for name, display, email in PERSONAL_ACCOUNTS:
        await _account(ctx, None, name, display, AccountKind.PERSONAL, email=email)
    for handle, name, display in late:
        await _account(ctx, handle, name, display, AccountKind.MAIN_ACCOUNT)
    for name, display, email in CUSTOMER_ACCOUNTS:
        await _account(ctx, None, name, display, AccountKind.CUSTOMER, email=email)


async def _seed_programs(ctx: DemoContext) -> None:
    for handle, programs in PROGRAMS.items():
        main = ctx.accounts[MAIN_ACCOUNTS[handle][0]]
        for program, joined_days_ago, expires_in in programs:
            await PartnerProgram.create(
                partner=ctx.partners[handle],
                program=program,
                joined_at=ctx.at(days=-joined_days_ago),
                expires_at=ctx.at(days=expires_in) if expires_in is not None else None,
                joined_by=main,
            )


WITHDRAWAL_STATUS = {"WD-HL-0001": WithdrawalStatus.APPROVED, "WD-BP-0002": WithdrawalStatus.PENDING}


async def _seed_wallets(ctx: DemoContext) -> None:
    finance = ctx.accounts["staff.finance"]
    for handle, (allocatable_share, threshold, ledger) in WALLETS.items():
        balance = sum((money(amount) for _, amount, _, _ in ledger), Decimal("0.00"))
        wallet = await Wallet.create(
            partner=ctx.partners[handle],
            balance=balance,
            allocatable_balance=money(balance * Decimal(allocatable_share)),
            alert_threshold=money(threshold) if threshold else None,
        )
        running = Decimal("0.00")
        main = ctx.accounts[MAIN_ACCOUNTS[handle][0]]
        for kind, amount, reference, days_ago in ledger:
            before, running = running, running + money(amount)
            if kind is LedgerEntryKind.WITHDRAWAL:
                # The money left when the withdrawal was requested; its review state varies for the demo.
                status = WITHDRAWAL_STATUS.get(reference, WithdrawalStatus.PAID)
                await Withdrawal.create(
                    wallet=wallet, amount=-money(amount), status=status, requested_by=main,
                    reviewed_by=finance if status is not WithdrawalStatus.PENDING else None,
                    reviewed_at=ctx.at(days=-days_ago + 1) if status is not WithdrawalStatus.PENDING else None,
                    paid_at=ctx.at(days=-days_ago + 2) if status is WithdrawalStatus.PAID else None,
                    created_at=ctx.at(days=-days_ago),
                )
            if wallet.alert_threshold is not None and before >= wallet.alert_threshold > running:
                await BalanceAlert.create(wallet=wallet, balance=running, threshold=wallet.alert_threshold,
                                          created_at=ctx.at(days=-days_ago))
            await LedgerEntry.create(
                wallet=wallet,
                kind=kind,
                amount=money(amount),
                balance_after=running,
                actor=finance if kind is LedgerEntryKind.ADJUSTMENT else main,
                reference=reference,
                created_at=ctx.at(days=-days_ago),
            )


def demo_accounts() -> dict[str, str]:
    """Every demo account's name and what it is, in the order above (staff last): the table the
    README's account list and the tests' identity fixtures come from."""
    from gateway.seed.common import STAFF_ACCOUNTS

    accounts = {name: f"main account of {handle}" for handle, (name, _) in MAIN_ACCOUNTS.items()}
    for handle, name, _, roles, _, status in MEMBERS:
        held = ", ".join(r.value if isinstance(r, PresetRole) else f"custom role {r!r}" for r in roles)
        accounts[name] = f"{handle} member ({held}){'' if status is AccountStatus.ACTIVE else ', disabled'}"
    accounts.update({name: f"bound member of {handle}" for handle, name, _ in BOUND_MEMBERS})
    accounts.update({name: "personal account" for name, _, _ in PERSONAL_ACCOUNTS})
    accounts.update({name: f"customer account ({display})" for name, display, _ in CUSTOMER_ACCOUNTS})
    accounts.update({name: f"platform staff ({role.value})" for name, _, role, _ in STAFF_ACCOUNTS})
    return accounts
