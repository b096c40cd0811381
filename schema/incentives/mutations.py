"""Incentives and settlement: close periods, confirm or dispute bills, apply for payouts and carry them
through invoicing and payment; drive settlement bills; re-price Yanxuan orders."""

from __future__ import annotations

import strawberry

from resolvers.incentives import bill_services, payout_services, settlement_services, yanxuan_services
from resolvers.permissions.catalog import Permission
from schema.incentives.inputs import (
    IncentiveAutoApplySetInput,
    IncentiveBillConfirmInput,
    IncentiveBillDisputeInput,
    IncentiveBillReissueInput,
    IncentiveInvoiceRejectInput,
    IncentiveInvoiceSubmitInput,
    IncentivePayoutApplyInput,
    IncentivePayoutCompleteInput,
    IncentivePayoutSubmitInput,
    IncentivePeriodCloseInput,
    PayoutApplicationInput,
    SettlementBillAdvanceInput,
    SettlementInvoiceSubmitInput,
    YanxuanOrderPriceAdjustInput,
)
from schema.incentives.types import IncentiveBill, PayoutApplication, PayoutSetting, SettlementBill, YanxuanOrder
from schema.mutations import Payload, PayloadField, mutation

BILL = Payload(
    "The result of a change to a reconciliation bill.",
    returns=PayloadField("bill", IncentiveBill, "The bill as it is now; null if refused."),
    name="IncentiveBillPayload",
)
APPLICATION = Payload(
    "The result of a change to a payout application.",
    returns=PayloadField("application", PayoutApplication, "The application as it is now; null if refused."),
    name="PayoutApplicationPayload",
)
SETTLEMENT = Payload(
    "The result of a change to a settlement bill.",
    returns=PayloadField("bill", SettlementBill, "The settlement bill as it is now; null if refused."),
    name="SettlementBillPayload",
)


@strawberry.type(description="Incentives (激励) and settlement (分账).")
class IncentiveMutations:
    incentive_period_close = mutation(
        requires=Permission.INCENTIVE_PERIOD_CLOSE,
        input=IncentivePeriodCloseInput,
        service=bill_services.close_period,
        argument="The period.",
        description="Close an incentive period (operations staff): every ESTIMATED bill of it becomes official, "
                    "PENDING_CONFIRMATION, with its amount less any frozen amount pending payout.",
        target=lambda input, _: f"period:{input.period}",
        payload=Payload(
            "The result of closing a period.",
            returns=PayloadField("closed_bills", int, "How many bills were closed; null if refused."),
            refused="Why the period was not closed (e.g. nothing left to close); empty on success.",
        ),
    )
    incentive_bill_confirm = mutation(
        requires=Permission.INCENTIVE_APPLY,
        input=IncentiveBillConfirmInput,
        service=bill_services.confirm_bill,
        argument="The bill.",
        description="Confirm one of your PENDING_CONFIRMATION bills (确认账单). With auto-apply on, its pending amount is "
                    "applied for at once (PENDING_SUBMISSION when your partner has verification codes on).",
        payload=Payload(
            "The result of confirming a bill.",
            returns=PayloadField("bill", IncentiveBill, "The bill, now CONFIRMED; null if refused."),
            also=[PayloadField("payout_application", PayoutApplication,
                               "The application auto-apply made; null if auto-apply is off or it was refused.")],
        ),
    )
    incentive_bill_dispute = mutation(
        requires=Permission.INCENTIVE_APPLY,
        input=IncentiveBillDisputeInput,
        service=bill_services.dispute_bill,
        argument="The bill and reason.",
        description="Dispute one of your PENDING_CONFIRMATION bills with a reason: it goes back to platform operations.",
        payload=BILL,
    )
    incentive_bill_reissue = mutation(
        requires=Permission.INCENTIVE_PERIOD_CLOSE,
        input=IncentiveBillReissueInput,
        service=bill_services.reissue_bill,
        argument="The bill and its corrections.",
        description="Answer a DISPUTED bill (operations staff), corrected if need be: back to PENDING_CONFIRMATION.",
        payload=BILL,
    )
    incentive_payout_apply = mutation(
        requires=Permission.INCENTIVE_APPLY,
        input=IncentivePayoutApplyInput,
        service=payout_services.apply,
        argument="Bills, method, code and key.",
        description="Apply for the payout (申请发放) of CONFIRMED bills, all or nothing: each bill's amount moves from its "
                    "pending amount into the application, never more than is pending. Takes a verification code when "
                    "your partner has them on, and an idempotency key.",
        payload=APPLICATION,
    )
    incentive_payout_submit = mutation(
        requires=Permission.INCENTIVE_APPLY,
        input=IncentivePayoutSubmitInput,
        service=payout_services.submit,
        argument="The application and code.",
        description="Submit an auto-applied PENDING_SUBMISSION application to finance, with the verification code "
                    "when your partner has them on.",
        payload=APPLICATION,
    )
    incentive_auto_apply_set = mutation(
        requires=Permission.INCENTIVE_APPLY,
        input=IncentiveAutoApplySetInput,
        service=payout_services.set_auto_apply,
        argument="The switch and method.",
        description="Switch auto-apply (设置自动申请发放激励) on or off, with the method it applies with.",
        payload=Payload(
            "The result of setting auto-apply.",
            returns=PayloadField("setting", PayoutSetting, "The setting now; null if refused."),
        ),
    )
    incentive_payout_accept = mutation(
        requires=Permission.INCENTIVE_PAYOUT_REVIEW,
        input=PayoutApplicationInput,
        service=payout_services.accept,
        argument="The application.",
        description="Accept a PROCESSING application (finance staff): the partner now invoices against its invoicing list.",
        payload=APPLICATION,
    )
    incentive_invoice_submit = mutation(
        requires=Permission.INCENTIVE_INVOICE,
        input=IncentiveInvoiceSubmitInput,
        service=payout_services.submit_invoice,
        argument="The application and invoice numbers.",
        description="Submit the invoices of one of your AWAITING_INVOICE applications; finance reviews them.",
        payload=APPLICATION,
    )
    incentive_invoice_reject = mutation(
        requires=Permission.INCENTIVE_PAYOUT_REVIEW,
        input=IncentiveInvoiceRejectInput,
        service=payout_services.reject_invoice,
        argument="The application and reason.",
        description="Send an INVOICE_REVIEW application's invoice back (finance staff) with a reason the partner sees: "
                    "AWAITING_INVOICE again.",
        payload=APPLICATION,
    )
    incentive_invoice_approve = mutation(
        requires=Permission.INCENTIVE_PAYOUT_REVIEW,
        input=PayoutApplicationInput,
        service=payout_services.approve_invoice,
        argument="The application.",
        description="Approve an INVOICE_REVIEW application's invoice (finance staff): on to PAYMENT_REVIEW.",
        payload=APPLICATION,
    )
    incentive_payout_complete = mutation(
        requires=Permission.INCENTIVE_PAYOUT_REVIEW,
        input=IncentivePayoutCompleteInput,
        service=payout_services.complete,
        argument="The application and, for a bank transfer, its reference.",
        description="Pay out a PAYMENT_REVIEW application (finance staff), in the same transaction: ACCOUNT_CREDIT credits "
                    "the partner's balance with a ledger entry, VOUCHER_QUOTA grants a voucher quota (COMPLETED_WITH_ERROR "
                    "when the partner cannot hold one), BANK_TRANSFER records the transfer reference.",
        payload=APPLICATION,
    )
    settlement_bill_advance = mutation(
        requires=Permission.SETTLEMENT_MANAGE,
        input=SettlementBillAdvanceInput,
        service=settlement_services.advance,
        argument="The bill, action and note.",
        description="Move a settlement bill on (operations and finance staff); the action must fit its status, "
                    "RECEIVE_INVOICE needs the partner's invoice number.",
        payload=SETTLEMENT,
    )
    settlement_invoice_submit = mutation(
        requires=Permission.SETTLEMENT_INVOICE,
        input=SettlementInvoiceSubmitInput,
        service=settlement_services.submit_invoice,
        argument="The bill and invoice number.",
        description="Submit the invoice number of one of your AWAITING_INVOICE settlement bills; review starts once "
                    "platform finance has received the invoice.",
        payload=SETTLEMENT,
    )
    yanxuan_order_price_adjust = mutation(
        requires=Permission.YANXUAN_PRICE_ADJUST,
        input=YanxuanOrderPriceAdjustInput,
        service=yanxuan_services.adjust_price,
        argument="The order, price and code.",
        description="Adjust a Yanxuan order's unit price within its floor and catalogue price (distributors). Takes a "
                    "verification code when your partner has them on.",
        payload=Payload(
            "The result of adjusting a Yanxuan order's price.",
            returns=PayloadField("order", YanxuanOrder, "The order as it is now; null if refused."),
        ),
    )
