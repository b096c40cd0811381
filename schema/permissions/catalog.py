"""The permission catalog (DOMAIN.md §3): every code, who gets it by default, who may be granted it.

This table is the single source of truth. The ``Permission`` enum, the ``@requires``
directive, field descriptions, ``docs/permissions.md`` and the authorization tests all
derive from it; adding a permission is one row here.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.members import PresetRole, StaffRole
from models.partners import IDENTITY_GROUP, IdentityGroup, PartnerIdentity as I

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


@dataclass(frozen=True, slots=True)
class PermissionSpec:
    code: str
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
    # The provider's own permission item, so partner tools can correlate.
    provider_item: str | None = None

    @property
    def enum_name(self) -> str:
        return self.code.upper().replace(".", "_")


ALL_STAFF = frozenset(StaffRole)
PDM, ECO, OPS, FIN = StaffRole.PDM, StaffRole.ECOSYSTEM_MANAGER, StaffRole.OPERATIONS, StaffRole.FINANCE
ALL_GROUPS = frozenset({SALES, PATH, GOV})
DSPG = D | R | S | P | G


def _p(code: str, description: str, **kw) -> PermissionSpec:
    for key in ("default_for", "assignable_to", "staff_roles"):
        if key in kw:
            kw[key] = frozenset(kw[key])
    return PermissionSpec(code, description, **kw)


CATALOG: tuple[PermissionSpec, ...] = (
    # Default permissions (默认权限): added to every role of the groups named.
    _p("home.view", "View the home page (主页).", default_for=ALL_GROUPS, staff_roles=ALL_STAFF, personal=True),
    _p("account.balance.view", "View the account balance (查看账户余额).", default_for={SALES}, staff_roles={FIN, OPS}),
    _p("account.recharge", "Recharge the account (充值).", default_for={SALES}),
    _p("account.withdraw", "Withdraw from the account (提现).", default_for={SALES}),
    _p("account.balance_alert.set", "Set the balance alert threshold (设置余额预警).", default_for={SALES}),
    _p("partner.company.view", "View company information (查看公司信息).", default_for=ALL_GROUPS, staff_roles=ALL_STAFF),
    _p("partner.profile.view", "View members' personal information unmasked (查看个人信息).", default_for=ALL_GROUPS, personal=True),
    _p("partner.account.view", "View account information and the member list (查看账号信息).", default_for=ALL_GROUPS, staff_roles=ALL_STAFF, personal=True),
    _p("partner.account.update", "Update own account information (修改账号信息).", default_for=ALL_GROUPS, personal=True),
    _p("partner.credentials.manage", "Manage own credentials and API keys (管理我的凭证).", default_for=ALL_GROUPS, personal=True),
    _p("support.news.view", "Read news (查看新闻动态).", default_for=ALL_GROUPS, staff_roles=ALL_STAFF, personal=True),
    _p("support.realname.view", "View real-name verification information (查看实名认证信息).", default_for=ALL_GROUPS),
    _p("solution.view", "View solutions and their co-sale listings (方案).", default_for={PATH}, assignable_to=D | S | P, staff_roles={PDM, ECO}),
    # Assignable permissions.
    _p("org.member.manage", "Create, update and disable organisation members.", assignable_to=DSPG, admin_only=True),
    _p("org.role.manage", "Create, edit and assign roles.", assignable_to=DSPG, admin_only=True),
    _p("member.invite", "Invite members and view invitations (邀请成员).", assignable_to=D | R | S | P, admin_only=True),
    _p("member.unbind", "Unbind bound members.", assignable_to=D | R | S | P, admin_only=True),
    _p("specialist.apply", "Propose bound members as project specialists and view them (项目专员).", assignable_to=D | R | S | P, admin_only=True, staff_roles={ECO}),
    _p("specialist.cancel", "Cancel project specialists.", assignable_to=D | R | S | P, admin_only=True),
    _p("expert.apply", "Submit expert applications (专家).", assignable_to=D | S | P),
    _p("expert.view", "View expert applications and their stages.", assignable_to=D | S | P, staff_roles={ECO}),
    _p("solution.manage", "Create, edit, publish and archive solutions.", assignable_to=D | S | P),
    _p("cosale.request", "Request co-sale listings (联合销售商品).", assignable_to=D | S | P),
    _p("coupon.quota.view", "View coupon quotas (额度).", assignable_to=D | R | S | G, staff_roles={OPS}, provider_item="BPC_ITEM_SUBCUSTSERV_030100"),
    _p("coupon.voucher.issue", "Issue vouchers (代金券).", assignable_to=D | R | S | G_SUBSIDY),
    _p("coupon.voucher.reclaim", "Reclaim vouchers.", assignable_to=D | R | S | G_SUBSIDY),
    _p("coupon.cash.issue", "Issue cash coupons (现金券).", assignable_to=G_SUBSIDY),
    _p("coupon.cash.reclaim", "Reclaim cash coupons.", assignable_to=G_SUBSIDY),
    _p("coupon.pickup.issue", "Issue pickup coupons (提货券).", assignable_to=G_CLOUD),
    _p("coupon.pickup.reclaim", "Reclaim pickup coupons.", assignable_to=G_CLOUD),
    _p("coupon.issued.view", "View issued coupons.", assignable_to=D | R | S | G, staff_roles={OPS}),
    _p("coupon.usage.view", "View coupon usage records (使用记录).", assignable_to=D | R | S | G, staff_roles={OPS}),
    _p("coupon.oplog.view", "View coupon operation records (操作记录).", assignable_to=D | R | S | G, staff_roles={OPS}),
    _p("coupon.quota.allocate_reseller", "Allocate coupon quota to managed resellers.", assignable_to=D),
    _p("coupon.quota.reclaim_reseller", "Reclaim coupon quota from managed resellers.", assignable_to=D),
    _p("reseller.view", "View managed resellers.", assignable_to=D, staff_roles={OPS, ECO}),
    _p("reseller.invite", "Invite resellers.", assignable_to=D),
    _p("reseller.funds.allocate", "Allocate funds to managed resellers.", assignable_to=D),
    _p("task.sales.view", "View sales-expansion tasks (销售拓展).", assignable_to=D | R | S, staff_roles={OPS}),
    _p("task.renewal.view", "View large-order renewal tasks (大单续订).", assignable_to=D | R | S, staff_roles={OPS}),
    _p("task.detail.view", "View task detail lines (明细).", assignable_to=D | R | S, staff_roles={OPS}),
    _p("task.sales.handle", "Handle sales-expansion tasks.", assignable_to=D | S),
    _p("task.renewal.handle", "Handle large-order renewal tasks.", assignable_to=D | S),
    _p("dashboard.view", "View the operations dashboard (运营看板).", assignable_to=D | R),
    _p("incentive.view", "View incentive bills and payout applications (激励).", assignable_to=D | S | P, staff_roles={FIN}),
    _p("incentive.apply", "Apply for incentive payouts (申付).", assignable_to=D | S | P),
    _p("incentive.invoice", "Invoice incentive payouts.", assignable_to=D | S | P),
    _p("customer.view", "View own customers (子客户).", assignable_to=D | R | S | G, staff_roles={OPS}),
    _p("customer.authorization.request", "Request on-behalf ordering authorization.", assignable_to=D | R | S | G),
    _p("customer.order_on_behalf", "Order on behalf of authorized customers (代下单).", assignable_to=D | R | S | G),
    _p("customer.disassociate", "Disassociate customers (3-month cooling rule).", assignable_to=D | R | S | G, admin_only=True),
    _p("customer.insight.view", "View customer insight (企业百科).", assignable_to=D | R | S),
    _p("certificate.view", "View program certificates.", assignable_to=D | R | S | P),
    _p("certificate.download", "Download certificates (the joining account only).", assignable_to=D | R | S | P),
    _p("cloudlab.apply", "Apply for cloud labs (云实验).", assignable_to=P),
    _p("cloudlab.view", "View cloud-lab applications.", assignable_to=P),
    _p("audit.view", "Read audit records (云审计); admins by default.", assignable_to=DSPG, staff_roles={OPS}),
    # Platform-side permissions, held by staff roles only.
    _p("cosale.review", "List, reject or delist co-sale products (PDM).", staff_roles={PDM}),
    _p("expert.review", "Move expert applications through their stages.", staff_roles={ECO}),
    _p("specialist.review", "Approve or reject specialist proposals and cancellations.", staff_roles={ECO}),
    _p("partner.rename", "Rename partner companies.", staff_roles={ECO}),
    _p("partner.all.view", "List every partner on the platform.", staff_roles=ALL_STAFF),
    _p("coupon.quota.grant", "Grant coupon quotas to partners.", staff_roles={OPS}),
    _p("coupon.usage.record", "Record coupon usage against orders (the billing side).", staff_roles={OPS}),
    _p("account.withdrawal.review", "Approve, reject and pay withdrawals.", staff_roles={FIN}),
    # Personal accounts.
    _p("invitation.respond", "Accept an invitation to bind to a partner.", personal=True),
)

BY_CODE: dict[str, PermissionSpec] = {spec.code: spec for spec in CATALOG}

# What each preset role grants beyond the defaults; always limited to what the
# partner's identities allow. SYSTEM_ADMIN is "everything allowed" and is not listed.
PRESET_ROLE_GRANTS: dict[PresetRole, frozenset[str]] = {
    PresetRole.ACCOUNT_MANAGER: frozenset({
        "customer.view", "customer.insight.view", "customer.authorization.request",
        "customer.order_on_behalf", "task.sales.view", "task.renewal.view", "task.detail.view",
        "task.sales.handle", "task.renewal.handle",
    }),
    PresetRole.ACCOUNT_MANAGER_SUPERVISOR: frozenset({
        "customer.view", "customer.insight.view", "task.sales.view", "task.renewal.view",
        "task.detail.view", "task.sales.handle", "task.renewal.handle", "dashboard.view",
    }),
    PresetRole.SA_SPECIALIST: frozenset({
        "solution.view", "solution.manage", "cosale.request", "expert.view", "expert.apply",
        "certificate.view", "customer.insight.view", "cloudlab.view", "cloudlab.apply",
    }),
    PresetRole.FINANCE_SPECIALIST: frozenset({
        "incentive.view", "incentive.apply", "incentive.invoice", "coupon.quota.view",
        "coupon.issued.view", "coupon.usage.view", "coupon.oplog.view", "dashboard.view",
    }),
}

PRESET_ROLE_DESCRIPTIONS = {role: role.description for role in PresetRole}


def _check_catalog() -> None:
    assert len(BY_CODE) == len(CATALOG), "duplicate permission code"
    for grants in PRESET_ROLE_GRANTS.values():
        unknown = grants - BY_CODE.keys()
        assert not unknown, f"preset grants unknown permissions {unknown}"


_check_catalog()
