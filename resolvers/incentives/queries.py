"""Incentive and settlement rows a caller may read, and the rules that only read.

Incentives are a partner's own business: a distributor never reads its resellers' bills (resellers
earn none). Yanxuan orders are the exception: a distributor reads (and may re-price) the orders of
the resellers it manages.
"""

from __future__ import annotations

import re

from tortoise.expressions import Q

from models.incentives import (
    IncentiveBill,
    IncentiveBillLine,
    IncentiveIndicator,
    PayoutApplication,
    PayoutApplicationLine,
    PayoutSetting,
    SettlementBill,
    SettlementStatus,
    YanxuanOrder,
)
from resolvers.permissions.catalog import Permission
from resolvers.principal import Principal
from resolvers.scoping import scoped

PERIOD = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")


def _resellers(principal: Principal) -> Q:
    return Q(partner_id__in=list(principal.managed_partner_ids))


readable_incentive_bills = scoped(IncentiveBill, staff=Permission.INCENTIVE_VIEW)
readable_incentive_bill_lines = scoped(IncentiveBillLine, tenant="bill__partner_id", staff=Permission.INCENTIVE_VIEW)
readable_incentive_indicators = scoped(IncentiveIndicator, tenant="bill__partner_id", staff=Permission.INCENTIVE_VIEW)
readable_payout_applications = scoped(PayoutApplication, staff=Permission.INCENTIVE_VIEW)
readable_payout_application_lines = scoped(PayoutApplicationLine, tenant="application__partner_id",
                                           staff=Permission.INCENTIVE_VIEW)
readable_payout_settings = scoped(PayoutSetting, staff=Permission.INCENTIVE_VIEW)
readable_settlement_bills = scoped(SettlementBill, staff=Permission.SETTLEMENT_VIEW)
readable_yanxuan_orders = scoped(YanxuanOrder, staff=Permission.YANXUAN_VIEW, distributor=_resellers)


# What the partner does next, for each settlement status, as the console shows it.
SETTLEMENT_NEXT_STEP = {
    SettlementStatus.PENDING_COUNTERSIGN: "Wait for platform operations to start the countersign.",
    SettlementStatus.COUNTERSIGNING: "Wait for platform operations to finish the countersign.",
    SettlementStatus.COUNTERSIGN_REJECTED: "Wait for platform operations to handle it.",
    SettlementStatus.PENDING_PAYMENT_REQUEST: "Nothing: the system is creating the payment request.",
    SettlementStatus.PAYMENT_REQUEST_FAILED: "Wait for platform operations to handle it.",
    SettlementStatus.AWAITING_INVOICE: "Issue the invoice for the bill's amount, submit its number and mail it; "
                                       "review starts once platform finance has received it.",
    SettlementStatus.INVOICE_REVIEW: "Wait for platform finance to review your invoice.",
    SettlementStatus.PAYMENT_PROCESSING: "Wait for the payment.",
    SettlementStatus.PAID: "Nothing: the bill is paid.",
}


def period_ok(period: str) -> bool:
    return bool(PERIOD.fullmatch(period))
