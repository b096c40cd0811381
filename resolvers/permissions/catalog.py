"""The permission catalog (docs/domain.md §3): every code, who gets it by default, who may be granted it.

This table is the single source of truth. The ``@requires`` directive, field descriptions,
``docs/permissions.md`` and the authorization tests all derive from it; adding a permission is
one member of ``Permission`` and its row here (a check at import refuses one without the other).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from models.members import PresetRole, StaffRole
from models.partners import IDENTITY_GROUP, IdentityGroup
from models.partners import PartnerIdentity as I

# Identity columns of the assignable table.
D = frozenset({I.DISTRIBUTOR})
R = frozenset({I.RESELLER})
S = frozenset({I.SOLUTION_PROVIDER})
P = frozenset(i for i, g in IDENTITY_GROUP.items() if g is IdentityGroup.PATH)
G = frozenset(i for i, g in IDENTITY_GROUP.items() if g is IdentityGroup.GOV)
G_SUBSIDY = frozenset({I.GOV_SUBSIDY_PARTNER})
G_CLOUD = frozenset({I.GOV_CLOUD_PARTNER})
NONE: frozenset[I] = frozenset()

SALES, PATH, GOV = IdentityGroup.SALES, IdentityGroup.PATH, IdentityGroup.GOV


class Permission(StrEnum):
    """Every permission code; each has exactly one row in CATALOG below. The only way code names a
    permission (a member compares and hashes equal to its code)."""

    HOME_VIEW = "home.view"
    ACCOUNT_BALANCE_VIEW = "account.balance.view"
    ACCOUNT_RECHARGE = "account.recharge"
    ACCOUNT_WITHDRAW = "account.withdraw"
    ACCOUNT_BALANCE_ALERT_SET = "account.balance_alert.set"
    PARTNER_COMPANY_VIEW = "partner.company.view"
    PARTNER_PROFILE_VIEW = "partner.profile.view"
    PARTNER_ACCOUNT_VIEW = "partner.account.view"
    PARTNER_ACCOUNT_UPDATE = "partner.account.update"
    PARTNER_CREDENTIALS_MANAGE = "partner.credentials.manage"
    SUPPORT_NEWS_VIEW = "support.news.view"
    SUPPORT_REALNAME_VIEW = "support.realname.view"
    SOLUTION_VIEW = "solution.view"
    ORG_MEMBER_MANAGE = "org.member.manage"
    ORG_ROLE_MANAGE = "org.role.manage"
    MEMBER_INVITE = "member.invite"
    MEMBER_UNBIND = "member.unbind"
    SPECIALIST_APPLY = "specialist.apply"
    SPECIALIST_CANCEL = "specialist.cancel"
    EXPERT_APPLY = "expert.apply"
    EXPERT_VIEW = "expert.view"
    SOLUTION_MANAGE = "solution.manage"
    COSALE_REQUEST = "cosale.request"
    COUPON_QUOTA_VIEW = "coupon.quota.view"
    COUPON_VOUCHER_ISSUE = "coupon.voucher.issue"
    COUPON_VOUCHER_RECLAIM = "coupon.voucher.reclaim"
    COUPON_CASH_ISSUE = "coupon.cash.issue"
    COUPON_CASH_RECLAIM = "coupon.cash.reclaim"
    COUPON_PICKUP_ISSUE = "coupon.pickup.issue"
    COUPON_PICKUP_RECLAIM = "coupon.pickup.reclaim"
    COUPON_ISSUED_VIEW = "coupon.issued.view"
    COUPON_USAGE_VIEW = "coupon.usage.view"
    COUPON_OPLOG_VIEW = "coupon.oplog.view"
    COUPON_QUOTA_ALLOCATE_RESELLER = "coupon.quota.allocate_reseller"
    COUPON_QUOTA_RECLAIM_RESELLER = "coupon.quota.reclaim_reseller"
    RESELLER_VIEW = "reseller.view"
    RESELLER_INVITE = "reseller.invite"
    RESELLER_FUNDS_ALLOCATE = "reseller.funds.allocate"
    TASK_SALES_VIEW = "task.sales.view"
    TASK_RENEWAL_VIEW = "task.renewal.view"
    TASK_DETAIL_VIEW = "task.detail.view"
    TASK_SALES_HANDLE = "task.sales.handle"
    TASK_RENEWAL_HANDLE = "task.renewal.handle"
    DASHBOARD_VIEW = "dashboard.view"
    INCENTIVE_VIEW = "incentive.view"
    INCENTIVE_APPLY = "incentive.apply"
    INCENTIVE_INVOICE = "incentive.invoice"
    SETTLEMENT_VIEW = "settlement.view"
    SETTLEMENT_INVOICE = "settlement.invoice"
    YANXUAN_VIEW = "yanxuan.view"
    YANXUAN_PRICE_ADJUST = "yanxuan.price.adjust"
    CUSTOMER_VIEW = "customer.view"
    CUSTOMER_AUTHORIZATION_REQUEST = "customer.authorization.request"
    CUSTOMER_ORDER_ON_BEHALF = "customer.order_on_behalf"
    CUSTOMER_DISASSOCIATE = "customer.disassociate"
    CUSTOMER_INSIGHT_VIEW = "customer.insight.view"
    CUSTOMER_ASSOCIATION_MANAGE = "customer.association.manage"
    COUPON_PICKUP_VIEW = "coupon.pickup.view"
    RESELLER_INVITATION_RESPOND = "reseller.invitation.respond"
    RESELLER_ASSOCIATION_END = "reseller.association.end"
    SUPPORT_NEWS_MANAGE = "support.news.manage"
    CLOUDLAB_REVIEW = "cloudlab.review"
    CUSTOMER_SELF_VIEW = "customer.self.view"
    CUSTOMER_AUTHORIZATION_RESPOND = "customer.authorization.respond"
    CUSTOMER_DISASSOCIATION_REQUEST = "customer.disassociation.request"
    CERTIFICATE_VIEW = "certificate.view"
    CERTIFICATE_DOWNLOAD = "certificate.download"
    CLOUDLAB_APPLY = "cloudlab.apply"
    CLOUDLAB_VIEW = "cloudlab.view"
    AUDIT_VIEW = "audit.view"
    COSALE_REVIEW = "cosale.review"
    EXPERT_REVIEW = "expert.review"
    SPECIALIST_REVIEW = "specialist.review"
    PARTNER_RENAME = "partner.rename"
    PARTNER_ALL_VIEW = "partner.all.view"
    COUPON_QUOTA_GRANT = "coupon.quota.grant"
    COUPON_USAGE_RECORD = "coupon.usage.record"
    ACCOUNT_WITHDRAWAL_REVIEW = "account.withdrawal.review"
    INCENTIVE_PERIOD_CLOSE = "incentive.period.close"
    INCENTIVE_PAYOUT_REVIEW = "incentive.payout.review"
    SETTLEMENT_MANAGE = "settlement.manage"
    INVITATION_RESPOND = "invitation.respond"


@dataclass(frozen=True, slots=True)
class PermissionSpec:
    code: Permission
    description: str
    # Identity groups for which this is a default permission (added to every role).
    default_for: frozenset[IdentityGroup] = frozenset()
    # Identities whose roles may be granted it (admin roles get all of these).
    assignable_to: frozenset[I] = NONE
    # Only the main account and SYSTEM_ADMIN hold it; custom roles cannot be granted it.
    admin_only: bool = False
    # Platform staff roles that hold it.
    staff_roles: frozenset[StaffRole] = frozenset()
    # Personal (unbound) accounts hold it.
    personal: bool = False
    # Customer accounts (AccountKind.CUSTOMER) hold it, and nothing else does.
    customer: bool = False
    # The provider's own permission item, so partner tools can correlate.
    provider_item: str | None = None

    @property
    def enum_name(self) -> str:
        return self.code.upper().replace(".", "_")


ALL_STAFF = frozenset(StaffRole)
PDM, ECO, OPS, FIN = StaffRole.PDM, StaffRole.ECOSYSTEM_MANAGER, StaffRole.OPERATIONS, StaffRole.FINANCE
ALL_GROUPS = frozenset({SALES, PATH, GOV})
DSPG = D | R | S | P | G


def _p(code: Permission, description: str, **kw) -> PermissionSpec:
    for key in ("default_for", "assignable_to", "staff_roles"):
        if key in kw:
            kw[key] = frozenset(kw[key])
    return PermissionSpec(code, description, **kw)


CATALOG: tuple[PermissionSpec, ...] = (
    # Default permissions (默认权限): added to every role of the groups named.
    _p(Permission.HOME_VIEW, "View the home page (主页).", default_for=ALL_GROUPS, staff_roles=ALL_STAFF, personal=True),
    _p(Permission.ACCOUNT_BALANCE_VIEW, "View the account balance (查看账户余额).", default_for={SALES}, staff_roles={FIN, OPS}),
    _p(Permission.ACCOUNT_RECHARGE, "Recharge the account (充值).", default_for={SALES}),
    _p(Permission.ACCOUNT_WITHDRAW, "Withdraw from the account (提现).", default_for={SALES}),
    _p(Permission.ACCOUNT_BALANCE_ALERT_SET, "Set the balance alert threshold (设置余额预警).", default_for={SALES}),
    _p(Permission.PARTNER_COMPANY_VIEW, "View company information (查看公司信息).", default_for=ALL_GROUPS, staff_roles=ALL_STAFF),
    _p(Permission.PARTNER_PROFILE_VIEW, "View members' personal information unmasked (查看个人信息).", default_for=ALL_GROUPS, personal=True),
    _p(Permission.PARTNER_ACCOUNT_VIEW, "View account information and the member list (查看账号信息).", default_for=ALL_GROUPS, staff_roles=ALL_STAFF, personal=True),
    _p(Permission.PARTNER_ACCOUNT_UPDATE, "Update own account information (修改账号信息).", default_for=ALL_GROUPS, personal=True),
    _p(Permission.PARTNER_CREDENTIALS_MANAGE, "Manage own credentials and API keys (管理我的凭证).", default_for=ALL_GROUPS, personal=True),
    _p(Permission.SUPPORT_NEWS_VIEW, "Read news (查看新闻动态).", default_for=ALL_GROUPS, staff_roles=ALL_STAFF, personal=True),
    _p(Permission.SUPPORT_REALNAME_VIEW, "View real-name verification information (查看实名认证信息).", default_for=ALL_GROUPS),
    _p(Permission.SOLUTION_VIEW, "View solutions and their co-sale listings (方案).", default_for={PATH}, assignable_to=D | S | P, staff_roles={PDM, ECO}),
    # Assignable permissions.
    _p(Permission.ORG_MEMBER_MANAGE, "Create, update and disable organisation members.", assignable_to=DSPG, admin_only=True),
    _p(Permission.ORG_ROLE_MANAGE, "Create, edit and assign roles.", assignable_to=DSPG, admin_only=True),
    _p(Permission.MEMBER_INVITE, "Invite members and view invitations (邀请成员).", assignable_to=D | R | S | P, admin_only=True),
    _p(Permission.MEMBER_UNBIND, "Unbind bound members.", assignable_to=D | R | S | P, admin_only=True),
    _p(Permission.SPECIALIST_APPLY, "Propose bound members as project specialists and view them (项目专员).", assignable_to=D | R | S | P, admin_only=True, staff_roles={ECO}),
    _p(Permission.SPECIALIST_CANCEL, "Cancel project specialists.", assignable_to=D | R | S | P, admin_only=True),
    _p(Permission.EXPERT_APPLY, "Submit expert applications (专家).", assignable_to=D | S | P),
    _p(Permission.EXPERT_VIEW, "View expert applications and their stages.", assignable_to=D | S | P, staff_roles={ECO}),
    _p(Permission.SOLUTION_MANAGE, "Create, edit, publish and archive solutions.", assignable_to=D | S | P),
    _p(Permission.COSALE_REQUEST, "Request co-sale listings (联合销售商品).", assignable_to=D | S | P),
    _p(Permission.COUPON_QUOTA_VIEW, "View coupon quotas (额度).", assignable_to=D | R | S | G, staff_roles={OPS}, provider_item="BPC_ITEM_SUBCUSTSERV_030100"),
    _p(Permission.COUPON_VOUCHER_ISSUE, "Issue vouchers (代金券).", assignable_to=D | R | S | G_SUBSIDY),
    _p(Permission.COUPON_VOUCHER_RECLAIM, "Reclaim vouchers.", assignable_to=D | R | S | G_SUBSIDY),
    _p(Permission.COUPON_CASH_ISSUE, "Issue cash coupons (现金券).", assignable_to=G_SUBSIDY),
    _p(Permission.COUPON_CASH_RECLAIM, "Reclaim cash coupons.", assignable_to=G_SUBSIDY),
    _p(Permission.COUPON_PICKUP_ISSUE, "Issue pickup coupons (提货券).", assignable_to=G_CLOUD),
    _p(Permission.COUPON_PICKUP_RECLAIM, "Reclaim pickup coupons.", assignable_to=G_CLOUD),
    _p(Permission.COUPON_ISSUED_VIEW, "View issued coupons.", assignable_to=D | R | S | G, staff_roles={OPS}),
    _p(Permission.COUPON_USAGE_VIEW, "View coupon usage records (使用记录).", assignable_to=D | R | S | G, staff_roles={OPS}),
    _p(Permission.COUPON_OPLOG_VIEW, "View coupon operation records (操作记录).", assignable_to=D | R | S | G, staff_roles={OPS}),
    _p(Permission.COUPON_QUOTA_ALLOCATE_RESELLER, "Allocate coupon quota to managed resellers.", assignable_to=D),
    _p(Permission.COUPON_QUOTA_RECLAIM_RESELLER, "Reclaim coupon quota from managed resellers.", assignable_to=D),
    _p(Permission.RESELLER_VIEW, "View managed resellers.", assignable_to=D, staff_roles={OPS, ECO}),
    _p(Permission.RESELLER_INVITE, "Invite partners to become your resellers, withdraw invitations, view them.", assignable_to=D),
    _p(Permission.RESELLER_ASSOCIATION_END, "End a reseller's association with you; its allocated quotas come back.",
       assignable_to=D, admin_only=True),
    _p(Permission.RESELLER_INVITATION_RESPOND, "Accept or decline a distributor's reseller invitation.",
       assignable_to=R | S, admin_only=True),
    _p(Permission.RESELLER_FUNDS_ALLOCATE, "Allocate funds to managed resellers.", assignable_to=D),
    _p(Permission.TASK_SALES_VIEW, "View sales-expansion tasks (销售拓展).", assignable_to=D | R | S, staff_roles={OPS}),
    _p(Permission.TASK_RENEWAL_VIEW, "View large-order renewal tasks (大单续订).", assignable_to=D | R | S, staff_roles={OPS}),
    _p(Permission.TASK_DETAIL_VIEW, "View task detail lines (明细).", assignable_to=D | R | S, staff_roles={OPS}),
    _p(Permission.TASK_SALES_HANDLE, "Handle sales-expansion tasks.", assignable_to=D | S),
    _p(Permission.TASK_RENEWAL_HANDLE, "Handle large-order renewal tasks.", assignable_to=D | S),
    _p(Permission.DASHBOARD_VIEW, "View the operations dashboard (运营看板).", assignable_to=D | R),
    # Incentives: resellers earn no rebates (their distributor does), so none of these is theirs.
    _p(Permission.INCENTIVE_VIEW, "View incentive bills, their details and indicators, and payout applications (激励).",
       assignable_to=D | S | P, staff_roles={FIN, OPS}),
    _p(Permission.INCENTIVE_APPLY, "Confirm or dispute incentive bills and apply for their payout (申付).", assignable_to=D | S | P),
    _p(Permission.INCENTIVE_INVOICE, "Read invoicing lists (开票清单) and submit the invoices of payout applications.",
       assignable_to=D | S | P),
    _p(Permission.SETTLEMENT_VIEW, "View store-product settlement bills (云商店商品分账).", assignable_to=D | S | P,
       staff_roles={OPS, FIN}),
    _p(Permission.SETTLEMENT_INVOICE, "Submit the invoice of a store-product settlement bill.", assignable_to=D | S | P),
    _p(Permission.YANXUAN_VIEW, "View Yanxuan (严选) resale orders and their price difference.", assignable_to=D | R | S,
       staff_roles={OPS}),
    _p(Permission.YANXUAN_PRICE_ADJUST, "Adjust a Yanxuan order's unit price within its floor and catalogue price.",
       assignable_to=D),
    _p(Permission.CUSTOMER_VIEW, "View own customers (子客户), their association records and disassociation requests.",
       assignable_to=D | R | S | G, staff_roles={OPS}),
    _p(Permission.CUSTOMER_AUTHORIZATION_REQUEST, "Request on-behalf authorization (代下单授权) of resale customers and view "
       "the authorizations.", assignable_to=D | R | S | G),
    _p(Permission.CUSTOMER_ORDER_ON_BEHALF, "Order on behalf of authorized customers (代下单) and view those orders.",
       assignable_to=D | R | S | G),
    _p(Permission.CUSTOMER_ASSOCIATION_MANAGE, "Assign customers' account managers and supervisors, switch association "
       "types (RESALE ↔ REFERRAL).", assignable_to=D | R | S | G, admin_only=True),
    _p(Permission.CUSTOMER_DISASSOCIATE, "Disassociate customers (3-month cooling rule) and handle their disassociation "
       "requests.", assignable_to=D | R | S | G, admin_only=True),
    _p(Permission.CUSTOMER_INSIGHT_VIEW, "View customer insight (企业百科) of any enterprise and register prospects (报备客户).",
       assignable_to=D | R | S),
    _p(Permission.COUPON_PICKUP_VIEW, "View the pickup coupons (提货券) your customers hold (view only).",
       assignable_to=D | R | S | G_SUBSIDY),
    _p(Permission.CERTIFICATE_VIEW, "View program certificates.", assignable_to=D | R | S | P),
    _p(Permission.CERTIFICATE_DOWNLOAD, "Download certificates (the joining account only).", assignable_to=D | R | S | P),
    _p(Permission.CLOUDLAB_APPLY, "Apply for cloud-lab benefits (云实验) for bound members.", assignable_to=P, admin_only=True),
    _p(Permission.CLOUDLAB_VIEW, "View cloud-lab applications and their overview.", assignable_to=P, staff_roles={OPS}),
    _p(Permission.AUDIT_VIEW, "Read audit records (云审计); admins by default.", assignable_to=DSPG, staff_roles={OPS}),
    # Platform-side permissions, held by staff roles only.
    _p(Permission.COSALE_REVIEW, "List, reject or delist co-sale products (PDM).", staff_roles={PDM}),
    _p(Permission.EXPERT_REVIEW, "Move expert applications through their stages.", staff_roles={ECO}),
    _p(Permission.SPECIALIST_REVIEW, "Approve or reject specialist proposals and cancellations.", staff_roles={ECO}),
    _p(Permission.PARTNER_RENAME, "Rename partner companies.", staff_roles={ECO}),
    _p(Permission.PARTNER_ALL_VIEW, "List every partner on the platform.", staff_roles=ALL_STAFF),
    _p(Permission.COUPON_QUOTA_GRANT, "Grant coupon quotas to partners.", staff_roles={OPS}),
    _p(Permission.COUPON_USAGE_RECORD, "Record coupon usage against orders (the billing side).", staff_roles={OPS}),
    _p(Permission.ACCOUNT_WITHDRAWAL_REVIEW, "Approve, reject and pay withdrawals.", staff_roles={FIN}),
    _p(Permission.INCENTIVE_PERIOD_CLOSE, "Close an incentive period (bills to PENDING_CONFIRMATION) and reissue disputed bills.",
       staff_roles={OPS}),
    _p(Permission.INCENTIVE_PAYOUT_REVIEW, "Accept payout applications, review their invoices and complete their payment.",
       staff_roles={FIN}),
    _p(Permission.SUPPORT_NEWS_MANAGE, "Write, publish, update and withdraw news (新闻动态).", staff_roles={OPS, ECO}),
    _p(Permission.CLOUDLAB_REVIEW, "Approve or reject cloud-lab applications and issue their lab points.", staff_roles={OPS}),
    _p(Permission.SETTLEMENT_MANAGE, "Drive store-product settlement bills: countersign, payment request, invoice receipt "
       "and review, payment.", staff_roles={OPS, FIN}),
    # Personal accounts.
    _p(Permission.INVITATION_RESPOND, "Accept an invitation to bind to a partner.", personal=True),
    # Customer accounts: what a customer does with the partners it is associated with.
    _p(Permission.CUSTOMER_SELF_VIEW, "See your associations with partners, their authorizations, the orders placed on "
       "your behalf, your disassociation requests and the partners they name.", customer=True),
    _p(Permission.CUSTOMER_AUTHORIZATION_RESPOND, "Grant, reject or cancel a partner's on-behalf authorization.", customer=True),
    _p(Permission.CUSTOMER_DISASSOCIATION_REQUEST, "Ask a partner to end its association with you.", customer=True),
)

BY_CODE: dict[str, PermissionSpec] = {spec.code: spec for spec in CATALOG}

# What each preset role grants beyond the defaults; always limited to what the
# partner's identities allow. SYSTEM_ADMIN is "everything allowed" and is not listed.
PRESET_ROLE_GRANTS: dict[PresetRole, frozenset[Permission]] = {
    PresetRole.ACCOUNT_MANAGER: frozenset({
        Permission.CUSTOMER_VIEW, Permission.CUSTOMER_INSIGHT_VIEW, Permission.CUSTOMER_AUTHORIZATION_REQUEST,
        Permission.CUSTOMER_ORDER_ON_BEHALF, Permission.TASK_SALES_VIEW, Permission.TASK_RENEWAL_VIEW, Permission.TASK_DETAIL_VIEW,
        Permission.TASK_SALES_HANDLE, Permission.TASK_RENEWAL_HANDLE, Permission.DASHBOARD_VIEW,
    }),
    PresetRole.ACCOUNT_MANAGER_SUPERVISOR: frozenset({
        Permission.CUSTOMER_VIEW, Permission.CUSTOMER_INSIGHT_VIEW, Permission.TASK_SALES_VIEW, Permission.TASK_RENEWAL_VIEW,
        Permission.TASK_DETAIL_VIEW, Permission.TASK_SALES_HANDLE, Permission.TASK_RENEWAL_HANDLE, Permission.DASHBOARD_VIEW,
    }),
    PresetRole.SA_SPECIALIST: frozenset({
        Permission.SOLUTION_VIEW, Permission.SOLUTION_MANAGE, Permission.COSALE_REQUEST, Permission.EXPERT_VIEW, Permission.EXPERT_APPLY,
        Permission.CERTIFICATE_VIEW, Permission.CUSTOMER_INSIGHT_VIEW, Permission.CLOUDLAB_VIEW,
    }),
    PresetRole.FINANCE_SPECIALIST: frozenset({
        Permission.INCENTIVE_VIEW, Permission.INCENTIVE_APPLY, Permission.INCENTIVE_INVOICE, Permission.SETTLEMENT_VIEW,
        Permission.SETTLEMENT_INVOICE, Permission.YANXUAN_VIEW, Permission.COUPON_QUOTA_VIEW,
        Permission.COUPON_ISSUED_VIEW, Permission.COUPON_USAGE_VIEW, Permission.COUPON_OPLOG_VIEW, Permission.DASHBOARD_VIEW,
    }),
}

PRESET_ROLE_DESCRIPTIONS = {role: role.description for role in PresetRole}


def _check_catalog() -> None:
    assert len(BY_CODE) == len(CATALOG), "duplicate permission code"
    assert set(BY_CODE) == set(Permission), "every Permission member needs exactly one catalog row"
    for grants in PRESET_ROLE_GRANTS.values():
        unknown = grants - BY_CODE.keys()
        assert not unknown, f"preset grants unknown permissions {unknown}"


_check_catalog()
