"""Filters and orderings of the incentive lists; the inputs of the incentive and settlement mutations."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay
from tortoise.expressions import Q

from resolvers.errors import BadUserInput
from resolvers.incentives.queries import period_ok
from schema.enums import BillingMode, IncentiveBillStatus, IncentiveType, PayoutMethod, PayoutStatus, SettlementAction, SettlementStatus
from schema.filters import FilterInput, criteria
from schema.global_ids import node_id
from schema.relay import order_input
from schema.safeguards.fields import IDEMPOTENCY_KEY, VERIFICATION_CODE


def _period(value: str | None, argument: str) -> str | None:
    if value is not None and not period_ok(value):
        raise BadUserInput(f"`{argument}` is a month, YYYY-MM.", argument=argument)
    return value


@strawberry.input(description="Criteria for reconciliation bills; all given criteria must match.")
class IncentiveBillFilter(FilterInput):
    period: str | None = strawberry.field(default=None, description="Only this period, YYYY-MM.")
    period_from: str | None = strawberry.field(default=None, description="Only periods from this one on, YYYY-MM.")
    period_to: str | None = strawberry.field(default=None, description="Only periods up to this one, YYYY-MM.")
    status: IncentiveBillStatus | None = strawberry.field(default=None, description="Only bills in this status.")
    type: IncentiveType | None = strawberry.field(default=None, description="Only bills of this kind of incentive.")

    def lookups(self) -> list[Q]:
        return criteria(period=_period(self.period, "period"), period__gte=_period(self.period_from, "periodFrom"),
                        period__lte=_period(self.period_to, "periodTo"), status=self.status, type=self.type)


IncentiveBillOrder = order_input("IncentiveBillOrder", "How to order reconciliation bills.", {
    "PERIOD": ("period", "By period."),
    "AMOUNT": ("amount", "By incentive amount."),
    "PENDING_AMOUNT": ("pending_amount", "By pending amount."),
}, default="PERIOD")


@strawberry.input(description="Criteria for a bill's detail lines; text criteria match any part, ignoring case.")
class IncentiveBillLineFilter(FilterInput):
    billing_mode: BillingMode | None = strawberry.field(default=None, description="Only lines of this billing mode.")
    order_id: str | None = strawberry.field(default=None, description="Only this order.")
    customer_name: str | None = strawberry.field(default=None, description="Customer name contains this text.")
    account_manager_name: str | None = strawberry.field(default=None, description="Account manager name contains this text.")
    product_type: str | None = strawberry.field(default=None, description="Only this product type.")

    def lookups(self) -> list[Q]:
        return criteria(billing_mode=self.billing_mode, order_id=self.order_id, customer_name__icontains=self.customer_name,
                        account_manager_name__icontains=self.account_manager_name, product_type=self.product_type)


IncentiveBillLineOrder = order_input("IncentiveBillLineOrder", "How to order a bill's detail lines.", {
    "AMOUNT": ("amount", "By amount."),
    "ORDER_ID": ("order_id", "By order."),
}, default="AMOUNT")


@strawberry.input(description="Criteria for payout applications.")
class PayoutApplicationFilter(FilterInput):
    period: str | None = strawberry.field(default=None, description="Only applications drawing on a bill of this period, YYYY-MM.")
    status: PayoutStatus | None = strawberry.field(default=None, description="Only applications in this status.")

    def lookups(self) -> list[Q]:
        return criteria(lines__bill__period=_period(self.period, "period"), status=self.status)

    def apply(self, queryset: Any) -> Any:
        # A bill criterion joins the lines: one application per match.
        return super().apply(queryset).distinct()


PayoutApplicationOrder = order_input("PayoutApplicationOrder", "How to order payout applications.", {
    "CREATED_AT": ("created_at", "By when they were made."),
    "AMOUNT": ("amount", "By amount."),
}, default="CREATED_AT")


@strawberry.input(description="Criteria for settlement bills.")
class SettlementBillFilter(FilterInput):
    status: SettlementStatus | None = strawberry.field(default=None, description="Only bills in this status.")
    period: str | None = strawberry.field(default=None, description="Only this period, YYYY-MM.")

    def lookups(self) -> list[Q]:
        return criteria(status=self.status, period=_period(self.period, "period"))


SettlementBillOrder = order_input("SettlementBillOrder", "How to order settlement bills.", {
    "PERIOD": ("period", "By period."),
    "AMOUNT": ("amount", "By amount."),
}, default="PERIOD")


@strawberry.input(description="Criteria for Yanxuan orders.")
class YanxuanOrderFilter(FilterInput):
    ordered_after: datetime | None = strawberry.field(default=None, description="Only orders at or after this time.")
    ordered_before: datetime | None = strawberry.field(default=None, description="Only orders before this time.")
    search: str | None = strawberry.field(default=None, description="Product name or order number contains this text.")

    def lookups(self) -> list[Q]:
        found = criteria(ordered_at__gte=self.ordered_after, ordered_at__lt=self.ordered_before)
        if self.search:
            found.append(Q(product_name__icontains=self.search) | Q(order_number__icontains=self.search))
        return found


YanxuanOrderOrder = order_input("YanxuanOrderOrder", "How to order Yanxuan orders.", {
    "ORDERED_AT": ("ordered_at", "By when they were ordered."),
    "UNIT_PRICE": ("unit_price", "By unit price."),
}, default="ORDERED_AT")


@strawberry.input(description="Close an incentive period: its estimated bills become official.")
class IncentivePeriodCloseInput:
    period: str = strawberry.field(description="The period, YYYY-MM.")


@strawberry.input(description="A bill to confirm.")
class IncentiveBillConfirmInput:
    id: relay.GlobalID = node_id("IncentiveBill", description="One of your PENDING_CONFIRMATION bills.")


@strawberry.input(description="A bill to dispute, and why.")
class IncentiveBillDisputeInput:
    id: relay.GlobalID = node_id("IncentiveBill", description="One of your PENDING_CONFIRMATION bills.")
    reason: str = strawberry.field(description="What is wrong with it; 1 to 500 characters.")


@strawberry.input(description="A disputed bill sent back to its partner, corrected if need be.")
class IncentiveBillReissueInput:
    id: relay.GlobalID = node_id("IncentiveBill", description="A DISPUTED bill.")
    amount: Decimal | None = strawberry.field(default=None, description="The corrected amount; default: as it was.")
    frozen_amount: Decimal | None = strawberry.field(default=None, description="The corrected frozen amount; default: as it was.")
    frozen_reason: str | None = strawberry.field(default=None, description="Why it is frozen; default: as it was.")


@strawberry.input(description="A bill and how much of its pending amount to apply for.")
class IncentiveBillShareInput:
    bill_id: relay.GlobalID = node_id("IncentiveBill", description="One of your CONFIRMED bills with a pending amount.")
    amount: Decimal | None = strawberry.field(default=None, description="At most its pending amount; default: all of it.")


@strawberry.input(description="Apply for the payout of confirmed bills.")
class IncentivePayoutApplyInput:
    bills: list[IncentiveBillShareInput] = strawberry.field(description="1 to 20 bills, each once.")
    method: PayoutMethod = strawberry.field(description="How to be paid; it cannot be changed afterwards.")
    verification_code: str | None = strawberry.field(default=None, description=VERIFICATION_CODE)
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY)


@strawberry.input(description="Submit an auto-applied payout application.")
class IncentivePayoutSubmitInput:
    id: relay.GlobalID = node_id("PayoutApplication", description="One of your PENDING_SUBMISSION applications.")
    verification_code: str | None = strawberry.field(default=None, description=VERIFICATION_CODE)


@strawberry.input(description="The auto-apply switch.")
class IncentiveAutoApplySetInput:
    auto_apply: bool = strawberry.field(description="Whether confirming a bill applies for its payout at once.")
    method: PayoutMethod = strawberry.field(description="The method auto-applied payouts use.")


@strawberry.input(description="A payout application.")
class PayoutApplicationInput:
    id: relay.GlobalID = node_id("PayoutApplication", description="The application.")


@strawberry.input(description="The invoices of a payout application.")
class IncentiveInvoiceSubmitInput:
    id: relay.GlobalID = node_id("PayoutApplication", description="One of your AWAITING_INVOICE applications.")
    invoice_numbers: list[str] = strawberry.field(description="1 to 10 invoice numbers, each 1 to 32 letters, digits or '-'.")


@strawberry.input(description="Send an invoice back to the partner.")
class IncentiveInvoiceRejectInput:
    id: relay.GlobalID = node_id("PayoutApplication", description="An INVOICE_REVIEW application.")
    reason: str = strawberry.field(description="What is wrong with the invoice, for the partner; 1 to 500 characters.")


@strawberry.input(description="Complete a payout.")
class IncentivePayoutCompleteInput:
    id: relay.GlobalID = node_id("PayoutApplication", description="A PAYMENT_REVIEW application.")
    bank_reference: str | None = strawberry.field(default=None, description="For BANK_TRANSFER: the transfer's reference.")


@strawberry.input(description="Move a settlement bill on.")
class SettlementBillAdvanceInput:
    id: relay.GlobalID = node_id("SettlementBill", description="The settlement bill.")
    action: SettlementAction = strawberry.field(description="What to do; it must fit the bill's status.")
    note: str | None = strawberry.field(default=None, description="Why: required to reject; at most 500 characters.")


@strawberry.input(description="The invoice of a settlement bill.")
class SettlementInvoiceSubmitInput:
    id: relay.GlobalID = node_id("SettlementBill", description="One of your AWAITING_INVOICE settlement bills.")
    invoice_number: str = strawberry.field(description="The invoice number, 1 to 32 letters, digits or '-'.")


@strawberry.input(description="A Yanxuan order's new unit price.")
class YanxuanOrderPriceAdjustInput:
    id: relay.GlobalID = node_id("YanxuanOrder", description="A Yanxuan order of yours or of a reseller you manage.")
    unit_price: Decimal = strawberry.field(description="Between the order's floor and catalogue price.")
    verification_code: str | None = strawberry.field(default=None, description=VERIFICATION_CODE)
