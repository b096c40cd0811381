"""Partner companies and everything hanging off them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from models import partners as m
from resolvers.account.queries import readable_balance_alerts, readable_ledger_entries, readable_withdrawals
from resolvers.certificates.queries import readable_certificates
from resolvers.channel.queries import readable_reseller_invitations
from resolvers.cloudlab.queries import overview as cloud_lab_overview
from resolvers.cloudlab.queries import readable_cloud_lab_applications
from resolvers.coupons.queries import readable_coupons, readable_operations, readable_quotas
from resolvers.customers.pickup_coupons import MAX_HELD, held_pickup_coupons
from resolvers.customers.queries import (
    readable_association_records,
    readable_authorizations,
    readable_customers,
    readable_disassociation_requests,
    readable_on_behalf_orders,
    readable_prospects,
)
from resolvers.dashboard.queries import check_range, managed_reseller
from resolvers.errors import BadUserInput, NotFound
from resolvers.experts.queries import readable_expert_applications, readable_specialists
from resolvers.incentives.queries import (
    readable_incentive_bills,
    readable_payout_applications,
    readable_payout_settings,
    readable_settlement_bills,
    readable_yanxuan_orders,
)
from resolvers.invitations.queries import readable_invitations
from resolvers.loaders import rows_grouped
from resolvers.members.queries import readable_accounts, readable_main_accounts
from resolvers.partners.queries import readable_partners, readable_wallets
from resolvers.permissions.catalog import Permission
from resolvers.realname.queries import partner_verification
from resolvers.solutions.queries import readable_solutions
from resolvers.tasks.queries import readable_tasks
from schema.account.inputs import LedgerEntryFilter, WithdrawalFilter
from schema.account.types import BalanceAlert, LedgerEntry, Withdrawal
from schema.certificates.types import Certificate
from schema.channel.inputs import ResellerInvitationFilter, ResellerInvitationOrder
from schema.channel.types import ResellerInvitation
from schema.cloudlab.types import CloudLabApplication, CloudLabOverview
from schema.coupons.inputs import (
    CouponFilter,
    CouponOperationFilter,
    CouponOperationOrder,
    CouponOrder,
    CouponQuotaFilter,
    CouponQuotaOrder,
)
from schema.coupons.types import Coupon, CouponOperation, CouponQuota
from schema.customers.inputs import (
    AssociationRecordFilter,
    AssociationRecordOrder,
    AuthorizationFilter,
    AuthorizationOrder,
    CustomerFilter,
    CustomerOrder,
    DisassociationRequestFilter,
    OnBehalfOrderFilter,
    OnBehalfOrderOrder,
    ProspectFilter,
)
from schema.customers.types import (
    AssociationRecord,
    Customer,
    DisassociationRequest,
    HeldPickupCoupon,
    OnBehalfAuthorization,
    OnBehalfOrder,
    Prospect,
)
from schema.dashboard.types import DashboardScope, OperationsDashboard
from schema.enums import CouponStatus, IdentityGroup, PartnerIdentity, ProgramCode, RealNameStatus
from schema.experts.inputs import ExpertApplicationFilter, ExpertApplicationOrder, SpecialistFilter, SpecialistOrder
from schema.experts.types import ExpertApplication, SpecialistApplication
from schema.global_ids import argument_pk
from schema.incentives.inputs import (
    IncentiveBillFilter,
    IncentiveBillOrder,
    PayoutApplicationFilter,
    PayoutApplicationOrder,
    SettlementBillFilter,
    SettlementBillOrder,
    YanxuanOrderFilter,
    YanxuanOrderOrder,
)
from schema.incentives.types import IncentiveBill, PayoutApplication, PayoutSetting, SettlementBill, YanxuanOrder, payout_setting
from schema.invitations.inputs import InvitationFilter, InvitationOrder
from schema.invitations.types import Invitation
from schema.members.inputs import MemberFilter, MemberOrder
from schema.members.types import Account
from schema.partners.inputs import PartnerFilter, PartnerOrder
from schema.permissions.directive import PUBLIC, permission_field
from schema.realname.types import RealNameInfo
from schema.relay import ModelNode, children, connection_field, related_field
from schema.scalars import Money
from schema.selection import reads
from schema.solutions.inputs import SolutionFilter, SolutionOrder
from schema.solutions.types import Solution
from schema.sql_values import as_stored, related_money
from schema.tasks.inputs import TaskFilter, TaskOrder
from schema.tasks.types import Task


def _of_partner(readable):
    """Rows of this partner, from the caller's scoped view of that domain."""
    return children(readable, "partner_id")


async def _wallet_id(root: m.Partner, info: strawberry.Info) -> int | None:
    """The partner's wallet, as the caller may read it (its own only), through the batched loader."""
    wallet = await info.context.load(readable_wallets, root.id, key_field="partner_id")
    return wallet.id if wallet else None


def _wallet_amount(attribute: str, description: str):
    """An amount from the partner's wallet; the partner's own business only (see readable_wallets)."""

    async def resolve(root: m.Partner, info: strawberry.Info) -> Money | None:
        wallet = await info.context.load(readable_wallets, root.id, key_field="partner_id")
        return Money.of(getattr(wallet, attribute), wallet.currency) if wallet else None

    return permission_field(requires=Permission.ACCOUNT_BALANCE_VIEW, resolver=resolve, description=description,
                            metadata={**reads("id"), **related_money(readable_wallets, "partner_id", attribute, "currency")})


@strawberry.type(description="A partner program the partner joined.", directives=[PUBLIC])
class PartnerProgram:
    program: ProgramCode = strawberry.field(description="Which program.")
    joined_at: datetime = strawberry.field(description="When the partner joined it.")
    expires_at: datetime | None = strawberry.field(description="When the membership expires; null if it does not.")
    joined_by = related_field(Account, readable_accounts, "joined_by_id",
                              description="The account that joined the program for the partner; null if you may not read that account.")


@strawberry.type(description="A partner company (合作伙伴).", directives=[PUBLIC])
class Partner(ModelNode):
    model = m.Partner
    readable = readable_partners

    name: str = strawberry.field(description="The company name; renamed only through the ecosystem manager.")
    region: str = strawberry.field(description="The region the partner operates in.")
    verification_code_enabled: bool = strawberry.field(description="Whether sensitive operations need a one-time verification code.")
    real_name_status: RealNameStatus = strawberry.field(description="The company's real-name verification status.")
    pdm_contact: str = strawberry.field(description="The partner's PDM contact.")
    psa_contact: str = strawberry.field(description="The partner's PSA contact.")
    ecosystem_manager_contact: str = strawberry.field(description="The partner's ecosystem manager contact.")
    created_at: datetime = strawberry.field(description="When the partner was onboarded.")

    @strawberry.field(description="The identities the partner holds.", metadata={**reads("identities"), **as_stored("identities")})
    def identities(self, root: strawberry.Parent[m.Partner]) -> list[PartnerIdentity]:
        return [m.PartnerIdentity(i) for i in root.identities]

    @strawberry.field(description="The identity groups of those identities, which decide default permissions.", metadata=reads("identities"))
    def identity_groups(self, root: strawberry.Parent[m.Partner]) -> list[IdentityGroup]:
        return sorted({m.IDENTITY_GROUP[m.PartnerIdentity(i)] for i in root.identities})

    @strawberry.field(description="The programs the partner joined.", metadata=reads("id"))
    async def programs(self, root: strawberry.Parent[m.Partner], info: strawberry.Info) -> list[PartnerProgram]:
        # Programs are company information: whoever reads the partner reads them.
        load = lambda ids: rows_grouped(m.PartnerProgram.all().order_by("joined_at", "id"), "partner_id", ids)  # noqa: E731
        return await info.context.batch("programs_by_partner", load).load(root.id)

    parent_distributor = related_field(Annotated["Partner", strawberry.lazy("schema.partners.types")], readable_partners, "parent_distributor_id", description="For a reseller: the distributor that manages it, if you may see it.")

    main_account = related_field(Account, readable_main_accounts, "id", key_field="partner_id",
                                 description="The partner's main account (伙伴主账号).")

    balance = _wallet_amount("balance", "The account balance (账户余额).")
    allocatable_balance = _wallet_amount("allocatable_balance", "The part of the balance a distributor may allocate to resellers.")
    balance_alert_threshold = _wallet_amount("alert_threshold", "The balance below which a balance alert is raised; null if none is set.")

    ledger = connection_field(
        LedgerEntry, description="The account ledger (账户流水): every change of the balance, newest first.",
        rows=children(readable_ledger_entries, "wallet_id", key_of=_wallet_id),
        filter_type=LedgerEntryFilter, default_order=("-created_at", "-id"),
        requires=Permission.ACCOUNT_BALANCE_VIEW, metadata=reads("id"), page_size_required=True,
    )
    withdrawals = connection_field(
        Withdrawal, description="Withdrawal requests (提现), newest first.",
        rows=children(readable_withdrawals, "wallet_id", key_of=_wallet_id),
        filter_type=WithdrawalFilter, default_order=("-created_at", "-id"),
        requires=Permission.ACCOUNT_BALANCE_VIEW, metadata=reads("id"),
    )
    balance_alerts = connection_field(
        BalanceAlert, description="Balance alerts (余额预警) raised when the balance fell below the threshold, newest first.",
        rows=children(readable_balance_alerts, "wallet_id", key_of=_wallet_id),
        default_order=("-created_at", "-id"),
        requires=Permission.ACCOUNT_BALANCE_VIEW, metadata=reads("id"),
    )

    members = connection_field(
        Account, description="The partner's accounts: main account, organisation members and bound members.",
        rows=_of_partner(readable_accounts), filter_type=MemberFilter, order_type=MemberOrder, default_order=("name",),
        requires=Permission.PARTNER_ACCOUNT_VIEW,
    )
    invitations = connection_field(
        Invitation, description="Invitations the partner sent (邀请成员), newest first.",
        rows=_of_partner(readable_invitations), filter_type=InvitationFilter, order_type=InvitationOrder, default_order=("-sent_at",),
        requires=Permission.MEMBER_INVITE,
    )
    specialists = connection_field(
        SpecialistApplication, description="Project specialist proposals (项目专员).",
        rows=_of_partner(readable_specialists), filter_type=SpecialistFilter, order_type=SpecialistOrder,
        requires=Permission.SPECIALIST_APPLY,
    )
    expert_applications = connection_field(
        ExpertApplication, description="Expert applications (专家) of the partner's specialists.",
        rows=_of_partner(readable_expert_applications), filter_type=ExpertApplicationFilter, order_type=ExpertApplicationOrder,
        requires=Permission.EXPERT_VIEW,
    )
    solutions = connection_field(
        Solution, description="The partner's solutions with their co-sale listings.",
        rows=_of_partner(readable_solutions), filter_type=SolutionFilter, order_type=SolutionOrder, default_order=("name",),
        requires=Permission.SOLUTION_VIEW,
    )
    coupon_quotas = connection_field(
        CouponQuota, description="Coupon quotas (额度) the partner issues from.",
        rows=_of_partner(readable_quotas), filter_type=CouponQuotaFilter, order_type=CouponQuotaOrder,
        requires=Permission.COUPON_QUOTA_VIEW,
    )
    coupons = connection_field(
        Coupon, description="Coupons the partner issued, newest first.",
        rows=_of_partner(readable_coupons), filter_type=CouponFilter, order_type=CouponOrder, default_order=("-issued_at",),
        requires=Permission.COUPON_ISSUED_VIEW,
    )
    coupon_operations = connection_field(
        CouponOperation, description="Coupon operation records (操作记录), newest first.",
        rows=_of_partner(readable_operations), filter_type=CouponOperationFilter, order_type=CouponOperationOrder, default_order=("-created_at",),
        requires=Permission.COUPON_OPLOG_VIEW, page_size_required=True,
    )
    tasks = connection_field(
        Task, description="Marketing tasks (营销任务); account managers see only their customers' tasks.",
        rows=_of_partner(readable_tasks), filter_type=TaskFilter, order_type=TaskOrder, default_order=("deadline",),
        requires=(Permission.TASK_SALES_VIEW, Permission.TASK_RENEWAL_VIEW),
    )
    customers = connection_field(
        Customer, description="Customers (子客户); account managers see only their own.",
        rows=_of_partner(readable_customers), filter_type=CustomerFilter, order_type=CustomerOrder, default_order=("name",),
        requires=Permission.CUSTOMER_VIEW,
    )
    on_behalf_authorizations = connection_field(
        OnBehalfAuthorization, description="On-behalf authorizations (代下单授权) you asked of your customers, newest first.",
        rows=_of_partner(readable_authorizations), filter_type=AuthorizationFilter, order_type=AuthorizationOrder,
        default_order=("-requested_at", "-id"), requires=Permission.CUSTOMER_AUTHORIZATION_REQUEST,
    )
    on_behalf_orders = connection_field(
        OnBehalfOrder, description="Orders placed on your customers' behalf (代下单), newest first.",
        rows=_of_partner(readable_on_behalf_orders), filter_type=OnBehalfOrderFilter, order_type=OnBehalfOrderOrder,
        default_order=("-placed_at", "-id"), requires=Permission.CUSTOMER_ORDER_ON_BEHALF,
    )
    disassociation_requests = connection_field(
        DisassociationRequest, description="Your customers' requests to end their association, newest first: admins "
                                           "handle them.",
        rows=_of_partner(readable_disassociation_requests), filter_type=DisassociationRequestFilter,
        default_order=("-requested_at", "-id"), requires=Permission.CUSTOMER_DISASSOCIATE,
    )
    association_records = connection_field(
        AssociationRecord, description="Association operation records (关联关系操作记录), newest first.",
        rows=_of_partner(readable_association_records), filter_type=AssociationRecordFilter,
        order_type=AssociationRecordOrder, default_order=("-created_at", "-id"), requires=Permission.CUSTOMER_VIEW,
        page_size_required=True,
    )
    prospects = connection_field(
        Prospect, description="Enterprises you registered as prospects (报备客户), newest first.",
        rows=_of_partner(readable_prospects), filter_type=ProspectFilter, default_order=("-created_at", "-id"),
        requires=Permission.CUSTOMER_INSIGHT_VIEW,
    )

    @permission_field(requires=Permission.COUPON_PICKUP_VIEW,
                      description=f"Pickup coupons (提货券) your customers hold from government-cloud partners, soonest to "
                                  f"expire first, view only; at most {MAX_HELD}.", metadata=reads("id"))
    async def customer_pickup_coupons(
        self, root: strawberry.Parent[m.Partner], info: strawberry.Info,
        status: Annotated[CouponStatus | None, strawberry.argument(description="Only coupons in this status.")] = None,
        first: Annotated[int, strawberry.argument(description=f"How many, 1 to {MAX_HELD}.")] = 50,
    ) -> list[HeldPickupCoupon] | None:
        if not 1 <= first <= MAX_HELD:
            raise BadUserInput(f"`first` is 1 to {MAX_HELD}.", argument="first")
        if root.id != info.context.principal.partner_id:
            return []
        held = await held_pickup_coupons(info.context.principal, root.id, status=status, first=first)
        return [HeldPickupCoupon.of(h) for h in held]

    @permission_field(requires=Permission.SUPPORT_REALNAME_VIEW, metadata=reads("id"),
                      description="The company's real-name verification (企业实名认证); yours only.")
    async def real_name_verification(self, root: strawberry.Parent[m.Partner], info: strawberry.Info) -> RealNameInfo | None:
        return RealNameInfo.of(await partner_verification(info.context.principal, root.id))

    cloud_lab_applications = connection_field(
        CloudLabApplication, description="Cloud-lab applications (云实验申请记录), newest first.",
        rows=_of_partner(readable_cloud_lab_applications), default_order=("-created_at", "-id"),
        requires=Permission.CLOUDLAB_VIEW,
    )

    @permission_field(requires=Permission.CLOUDLAB_VIEW, metadata=reads("id"),
                      description="The cloud-lab data overview (数据概览): applications per status, points issued.")
    async def cloud_lab_overview(self, root: strawberry.Parent[m.Partner], info: strawberry.Info) -> CloudLabOverview | None:
        return CloudLabOverview.of(await cloud_lab_overview(info.context.principal, root.id))

    certificates = connection_field(
        Certificate, description="The partner's certificates (证书): its programs' and development paths'.",
        rows=_of_partner(readable_certificates), default_order=("kind", "subject"), requires=Permission.CERTIFICATE_VIEW,
    )

    @permission_field(requires=Permission.DASHBOARD_VIEW, metadata=reads("id"),
                      description="The operations dashboard (运营看板) for a range of months (at most 36): consumption, "
                                  "performance and incentive statistics; a distributor may narrow it to one reseller.")
    async def operations_dashboard(
        self, root: strawberry.Parent[m.Partner], info: strawberry.Info,
        since: Annotated[str, strawberry.argument(name="from", description="The first month, YYYY-MM.")],
        until: Annotated[str, strawberry.argument(name="to", description="The last month, YYYY-MM.")],
        reseller_id: Annotated[strawberry.ID | None, strawberry.argument(
            description="A reseller you manage: its customers' figures instead of yours.")] = None,
    ) -> OperationsDashboard | None:
        principal = info.context.principal
        check_range(since, until)
        if root.id != principal.partner_id:
            return None  # a partner's own dashboard only
        resellers = sorted(principal.managed_partner_ids)
        partner_id = root.id
        if reseller_id is not None:
            pk = argument_pk(reseller_id, "Partner")
            reseller = await managed_reseller(principal, pk) if pk is not None else None
            if reseller is None:
                raise NotFound("No reseller of yours has this ID.")
            partner_id, resellers = reseller.id, []
        return OperationsDashboard(scope=DashboardScope(partner_id, resellers, since, until))

    incentive_bills = connection_field(
        IncentiveBill, description="Reconciliation bills (激励对账), one per incentive type and period, newest period first.",
        rows=_of_partner(readable_incentive_bills), filter_type=IncentiveBillFilter, order_type=IncentiveBillOrder,
        default_order=("-period", "type"), requires=Permission.INCENTIVE_VIEW,
    )
    payout_applications = connection_field(
        PayoutApplication, description="Payout applications (激励申付), newest first.",
        rows=_of_partner(readable_payout_applications), filter_type=PayoutApplicationFilter, order_type=PayoutApplicationOrder,
        default_order=("-created_at", "-id"), requires=Permission.INCENTIVE_VIEW,
    )

    @permission_field(requires=Permission.INCENTIVE_VIEW, description="The auto-apply setting (自动申请发放激励).", metadata=reads("id"))
    async def payout_setting(self, root: strawberry.Parent[m.Partner], info: strawberry.Info) -> PayoutSetting | None:
        row = await info.context.load(readable_payout_settings, root.id, key_field="partner_id")
        principal = info.context.principal
        if row is None and not (principal.is_staff or root.id == principal.partner_id):
            return None  # another partner's setting (a distributor reading its reseller): not ours to show
        return payout_setting(row)

    settlement_bills = connection_field(
        SettlementBill, description="Store-product settlement bills (云商店商品分账), newest period first.",
        rows=_of_partner(readable_settlement_bills), filter_type=SettlementBillFilter, order_type=SettlementBillOrder,
        default_order=("-period", "-id"), requires=Permission.SETTLEMENT_VIEW,
    )
    yanxuan_orders = connection_field(
        YanxuanOrder, description="Yanxuan (严选) resale orders and their price difference, newest first; they earn no rebate "
                                  "and never count as reseller performance.",
        rows=_of_partner(readable_yanxuan_orders), filter_type=YanxuanOrderFilter, order_type=YanxuanOrderOrder,
        default_order=("-ordered_at", "-id"), requires=Permission.YANXUAN_VIEW,
    )
    resellers = connection_field(
        Annotated["Partner", strawberry.lazy("schema.partners.types")], description="For a distributor: the resellers it manages.",
        rows=children(readable_partners, "parent_distributor_id"),
        filter_type=PartnerFilter, order_type=PartnerOrder, default_order=("name",),
        requires=Permission.RESELLER_VIEW,
    )
    reseller_invitations = connection_field(
        ResellerInvitation, description="For a distributor: the invitations it sent to partners to become its resellers, newest first.",
        rows=children(readable_reseller_invitations, "distributor_id"), filter_type=ResellerInvitationFilter,
        order_type=ResellerInvitationOrder, default_order=("-created_at", "-id"),
        requires=(Permission.RESELLER_INVITE, Permission.RESELLER_VIEW),
    )
    received_reseller_invitations = connection_field(
        ResellerInvitation, description="Distributors' invitations to the partner to become their reseller, newest first.",
        rows=children(readable_reseller_invitations, "invitee_id"), filter_type=ResellerInvitationFilter,
        order_type=ResellerInvitationOrder, default_order=("-created_at", "-id"), requires=Permission.RESELLER_INVITATION_RESPOND,
    )
