"""The home page (主页): one cheap summary of what waits for the caller, each item under its own
domain's permission and counted through that domain's scoped read (one COUNT each)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import strawberry

from models.coupons import CouponStatus
from models.incentives import IncentiveBillStatus, PayoutStatus
from models.invitations import InvitationStatus
from models.tasks import TaskStatus
from resolvers.coupons.queries import readable_coupons
from resolvers.incentives.queries import readable_incentive_bills, readable_payout_applications
from resolvers.invitations.queries import readable_invitations
from resolvers.news.queries import unread_count
from resolvers.permissions.catalog import Permission
from resolvers.tasks.queries import readable_tasks
from schema.permissions.directive import PUBLIC, permission_field

EXPIRING_WITHIN = timedelta(days=30)


def _partner(info: strawberry.Info) -> int | None:
    return info.context.principal.partner_id


@strawberry.type(description="The home page (主页): what waits for you, each count under its own permission.",
                 directives=[PUBLIC])
class Home:
    @permission_field(requires=(Permission.TASK_SALES_VIEW, Permission.TASK_RENEWAL_VIEW),
                      description="Marketing tasks not started yet (of the kinds you may view; account managers: theirs).")
    async def pending_tasks(self, info: strawberry.Info) -> int | None:
        return await readable_tasks(info.context.principal).filter(partner_id=_partner(info), status=TaskStatus.PENDING).count()

    @permission_field(requires=Permission.COUPON_ISSUED_VIEW,
                      description=f"Coupons your partner issued that are AVAILABLE and expire within {EXPIRING_WITHIN.days} days.")
    async def expiring_coupons(self, info: strawberry.Info) -> int | None:
        now = datetime.now(UTC)
        return await readable_coupons(info.context.principal).filter(
            partner_id=_partner(info), status=CouponStatus.AVAILABLE, expires_at__gte=now,
            expires_at__lt=now + EXPIRING_WITHIN).count()

    @permission_field(requires=(Permission.MEMBER_INVITE, Permission.INVITATION_RESPOND),
                      description="Invitations still waiting: those your partner sent (admins), or those addressed to you.")
    async def pending_invitations(self, info: strawberry.Info) -> int | None:
        return await readable_invitations(info.context.principal).filter(status=InvitationStatus.INVITED).count()

    @permission_field(requires=Permission.INCENTIVE_VIEW, description="Reconciliation bills awaiting your confirmation.")
    async def bills_awaiting_confirmation(self, info: strawberry.Info) -> int | None:
        return await readable_incentive_bills(info.context.principal).filter(
            partner_id=_partner(info), status=IncentiveBillStatus.PENDING_CONFIRMATION).count()

    @permission_field(requires=Permission.INCENTIVE_INVOICE, description="Payout applications awaiting your invoice.")
    async def payouts_awaiting_invoice(self, info: strawberry.Info) -> int | None:
        return await readable_payout_applications(info.context.principal).filter(
            partner_id=_partner(info), status=PayoutStatus.AWAITING_INVOICE).count()

    @permission_field(requires=Permission.SUPPORT_NEWS_VIEW, description="Published news you have not read (newsMarkRead).")
    async def unread_news(self, info: strawberry.Info) -> int | None:
        return await unread_count(info.context.principal)
