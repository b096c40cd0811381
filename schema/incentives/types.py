"""Incentives (激励): reconciliation bills with their lines and indicators, payout applications with
their invoicing lists, store-product settlement bills and Yanxuan resale orders."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import quote

import strawberry
from strawberry import relay

from models import incentives as m
from resolvers.coupons.queries import readable_quotas
from resolvers.customers.queries import readable_customers
from resolvers.incentives import invoicing
from resolvers.incentives.queries import (
    SETTLEMENT_NEXT_STEP,
    readable_incentive_bill_lines,
    readable_incentive_bills,
    readable_incentive_indicators,
    readable_payout_application_lines,
    readable_payout_applications,
    readable_settlement_bills,
    readable_yanxuan_orders,
)
from resolvers.loaders import rows_grouped
from resolvers.members.queries import readable_accounts
from resolvers.permissions.catalog import Permission
from schema.context import Info
from schema.coupons.types import CouponQuota
from schema.customers.types import Customer
from schema.enums import BillingMode, IncentiveBillStatus, IncentiveType, PayoutMethod, PayoutStatus, SettlementStatus
from schema.incentives.inputs import IncentiveBillLineFilter, IncentiveBillLineOrder
from schema.members.types import Account
from schema.permissions.directive import PUBLIC, permission_field
from schema.relay import ModelNode, children, connection_field, related_field
from schema.scalars import Money, money_field
from schema.selection import reads
from schema.sql_values import lookup, money_difference, money_sql

BillRef = Annotated["IncentiveBill", strawberry.lazy("schema.incentives.types")]
ApplicationRef = Annotated["PayoutApplication", strawberry.lazy("schema.incentives.types")]


@strawberry.type(description="A detail line of a bill (激励明细): one order's contribution.", directives=[PUBLIC])
class IncentiveBillLine(ModelNode):
    model = m.IncentiveBillLine
    readable = readable_incentive_bill_lines

    billing_mode: BillingMode = strawberry.field(description="How the order was billed.")
    order_id: str = strawberry.field(description="The order.")
    customer_name: str = strawberry.field(description="The customer, as billed.")
    account_manager_name: str = strawberry.field(description="The account manager responsible, as billed; empty if none.")
    product_type: str = strawberry.field(description="The kind of product ordered.")

    amount = money_field("amount", description="The incentive this order earned.")

    customer = related_field(Customer, readable_customers, "customer_id", description="The customer, if you may read it.",
                             requires=Permission.CUSTOMER_VIEW)


@strawberry.type(description="An indicator a bill was computed from (指标信息).", directives=[PUBLIC])
class IncentiveIndicator(ModelNode):
    model = m.IncentiveIndicator
    readable = readable_incentive_indicators

    name: str = strawberry.field(description="What is measured.")
    statistic_method: str = strawberry.field(description="How it is measured.")
    period: str = strawberry.field(description="The period measured.")
    value: str = strawberry.field(description="The measured value, as the platform states it.")


@strawberry.type(description="A reconciliation bill (激励对账): a partner's incentive of one type for one period.",
                 directives=[PUBLIC])
class IncentiveBill(ModelNode):
    model = m.IncentiveBill
    readable = readable_incentive_bills

    type: IncentiveType = strawberry.field(description="The kind of incentive.")
    period: str = strawberry.field(description="The period (对账期次), YYYY-MM.")
    status: IncentiveBillStatus = strawberry.field(description="Where the bill stands.")
    frozen_reason: str = strawberry.field(description="Why part of the amount is frozen; empty if nothing is.")
    dispute_reason: str = strawberry.field(description="Your reason, if you disputed the bill.")
    confirmed_at: datetime | None = strawberry.field(description="When the bill was confirmed.")
    created_at: datetime = strawberry.field(description="When the bill was first estimated.")

    amount = money_field("amount", description="The bill's incentive amount (激励金额).")
    pending_amount = money_field("pending_amount", description="What may still be applied for (待申付金额).")
    frozen_amount = money_field("frozen_amount", description="What is frozen and cannot be applied for.")

    @strawberry.field(description="What payout applications took from the bill: amount minus pending minus frozen.",
                      metadata={**reads("amount", "pending_amount", "frozen_amount"),
                                **money_difference("amount", "pending_amount", "frozen_amount")})
    def applied_amount(self, root: strawberry.Parent[m.IncentiveBill]) -> Money:
        return Money.of(root.amount - root.pending_amount - root.frozen_amount)

    confirmed_by = related_field(Account, readable_accounts, "confirmed_by_id", description="Who confirmed it, if you may see that account.")

    lines = connection_field(
        IncentiveBillLine, description="The bill's detail lines (激励明细): the orders it counts.",
        rows=children(readable_incentive_bill_lines, "bill_id"), filter_type=IncentiveBillLineFilter,
        order_type=IncentiveBillLineOrder, default_order=("id",),
    )

    application_lines = connection_field(
        Annotated["PayoutApplicationLine", strawberry.lazy("schema.incentives.types")],
        description="What payout applications took from the bill, oldest first, each with its application.",
        rows=children(readable_payout_application_lines, "bill_id"), default_order=("id",),
    )

    @strawberry.field(description="The indicators the bill was computed from (指标信息).", metadata=reads("id"))
    async def indicators(self, root: strawberry.Parent[m.IncentiveBill], info: Info) -> list[IncentiveIndicator]:
        principal = info.context.principal
        load = lambda ids: rows_grouped(readable_incentive_indicators(principal).order_by("id"), "bill_id", ids)  # noqa: E731
        return await info.context.batch("indicators_by_bill", load).load(root.id)


@strawberry.type(description="What one payout application takes from one bill.", directives=[PUBLIC])
class PayoutApplicationLine(ModelNode):
    model = m.PayoutApplicationLine
    readable = readable_payout_application_lines

    amount = money_field("amount", description="The amount taken from the bill.")

    bill = related_field(BillRef, readable_incentive_bills, "bill_id", description="The bill.")
    application = related_field(ApplicationRef, readable_payout_applications, "application_id", description="The application.")


@strawberry.type(description="Whom the invoice is made out to: the platform's invoicing entity.", directives=[PUBLIC])
class InvoicingEntity:
    name: str = strawberry.field(description="The company name.")
    tax_id: str = strawberry.field(description="Its taxpayer identification number.")
    address: str = strawberry.field(description="Its registered address.")
    bank: str = strawberry.field(description="Its bank.")
    account: str = strawberry.field(description="Its bank account number.")


@strawberry.type(description="A line of an invoicing list: one bill's share, split into amount and VAT.", directives=[PUBLIC])
class InvoicingLine:
    bill_id: relay.GlobalID = strawberry.field(description="The bill.")
    type: IncentiveType = strawberry.field(description="The kind of incentive.")
    period: str = strawberry.field(description="The bill's period.")
    amount: Money = strawberry.field(description="The amount before tax.")
    tax_rate: Decimal = strawberry.field(description="The VAT rate, e.g. 0.06.")
    tax: Money = strawberry.field(description="The VAT.")
    total: Money = strawberry.field(description="Amount plus VAT: what the application takes from the bill.")


@strawberry.type(description="The invoicing list (开票清单) of a payout application: what to invoice the platform for.",
                 directives=[PUBLIC])
class InvoicingList:
    number: str = strawberry.field(description="The application's number, to quote on the invoice.")
    entity: InvoicingEntity = strawberry.field(description="Whom the invoice is made out to.")
    lines: list[InvoicingLine] = strawberry.field(description="One line per bill.")
    amount: Money = strawberry.field(description="The total before tax.")
    tax: Money = strawberry.field(description="The total VAT.")
    total: Money = strawberry.field(description="The total to invoice.")
    pdf_path: str = strawberry.field(description="Where the printable PDF is served (GET, with the same Authorization header).")

    @classmethod
    def of(cls, data: invoicing.InvoicingList) -> InvoicingList:
        return cls(
            number=data.number,
            entity=InvoicingEntity(**vars(data.entity)),
            lines=[InvoicingLine(bill_id=relay.GlobalID("IncentiveBill", str(line.bill_id)), type=line.type,
                                 period=line.period, amount=Money.of(line.amount), tax_rate=line.tax_rate,
                                 tax=Money.of(line.tax), total=Money.of(line.total)) for line in data.lines],
            amount=Money.of(data.amount), tax=Money.of(data.tax), total=Money.of(data.total),
            pdf_path=f"/invoicing-lists/{quote(relay.to_base64('PayoutApplication', data.application_id), safe='')}.pdf",
        )


@strawberry.type(description="A payout application (激励申付) over one or more confirmed bills.", directives=[PUBLIC])
class PayoutApplication(ModelNode):
    model = m.PayoutApplication
    readable = readable_payout_applications

    number: str = strawberry.field(description="The application number (申付单号).")
    method: PayoutMethod = strawberry.field(description="How it is paid out; fixed since the application was made.")
    status: PayoutStatus = strawberry.field(description="Where the application stands.")
    invoice_numbers: list[str] = strawberry.field(description="The invoices you submitted.")
    invoice_rejection_reason: str = strawberry.field(description="Why finance sent your invoice back; empty otherwise.")
    bank_reference: str = strawberry.field(description="The bank transfer's reference, once paid by transfer.")
    error_message: str = strawberry.field(description="What went wrong, for COMPLETED_WITH_ERROR.")
    created_at: datetime = strawberry.field(description="When it was made.")
    submitted_at: datetime | None = strawberry.field(description="When it was submitted to finance.")
    invoiced_at: datetime | None = strawberry.field(description="When the (last) invoice was submitted.")
    completed_at: datetime | None = strawberry.field(description="When it was paid out.")

    amount = money_field("amount", description="The total applied for.")

    applied_by = related_field(Account, readable_accounts, "applied_by_id", description="Who applied, if you may see that account.")
    voucher_quota = related_field(CouponQuota, readable_quotas, "voucher_quota_id",
                                  description="For VOUCHER_QUOTA: the quota it was paid out as, once completed.",
                                  requires=Permission.COUPON_QUOTA_VIEW)

    lines = connection_field(
        PayoutApplicationLine, description="What the application takes from each bill.",
        rows=children(readable_payout_application_lines, "application_id"), default_order=("id",),
    )

    @permission_field(requires=invoicing.READERS, description="The invoicing list (开票清单) to invoice against.",
                      metadata=reads("id"))
    async def invoicing_list(self, root: strawberry.Parent[m.PayoutApplication], info: Info) -> InvoicingList | None:
        principal = info.context.principal
        load = lambda ids: invoicing.invoicing_lists(principal, ids)  # noqa: E731
        data = await info.context.batch("invoicing_lists", load).load(root.id)
        return InvoicingList.of(data) if data is not None else None


@strawberry.type(description="Your auto-apply setting (自动申请发放激励).", directives=[PUBLIC])
class PayoutSetting:
    auto_apply: bool = strawberry.field(description="Whether confirming a bill applies for its payout at once.")
    method: PayoutMethod = strawberry.field(description="The method auto-applied payouts use.")


@strawberry.type(description="A store-product settlement bill (云商店商品分账): what the platform owes you for your goods.",
                 directives=[PUBLIC])
class SettlementBill(ModelNode):
    model = m.SettlementBill
    readable = readable_settlement_bills

    number: str = strawberry.field(description="The bill number.")
    period: str = strawberry.field(description="The billing period, YYYY-MM.")
    product_name: str = strawberry.field(description="The store product settled.")
    status: SettlementStatus = strawberry.field(description="Where the bill stands.")
    note: str = strawberry.field(description="Why the countersign, payment request or invoice was rejected; empty otherwise.")
    invoice_number: str = strawberry.field(description="The invoice you submitted; empty until then.")
    invoice_received_at: datetime | None = strawberry.field(description="When platform finance received your invoice.")
    paid_at: datetime | None = strawberry.field(description="When it was paid.")
    created_at: datetime = strawberry.field(description="When it was billed.")

    amount = money_field("amount", description="The amount settled.")

    @strawberry.field(description="What you do next, as the console says it.",
                      metadata={**reads("status"), **lookup("status", SETTLEMENT_NEXT_STEP)})
    def next_step(self, root: strawberry.Parent[m.SettlementBill]) -> str:
        return SETTLEMENT_NEXT_STEP[root.status]


@strawberry.type(description="A Yanxuan (严选) resale order: it earns the price difference only, no rebate, and never counts "
                             "as reseller performance.", directives=[PUBLIC])
class YanxuanOrder(ModelNode):
    model = m.YanxuanOrder
    readable = readable_yanxuan_orders

    order_number: str = strawberry.field(description="The order number.")
    product_name: str = strawberry.field(description="The Yanxuan goods sold.")
    quantity: int = strawberry.field(description="How many were sold.")
    ordered_at: datetime = strawberry.field(description="When it was ordered.")
    price_adjusted_at: datetime | None = strawberry.field(description="When a distributor last adjusted its unit price.")

    floor_price = money_field("floor_price", description="The lowest unit price allowed (底价).")
    catalogue_price = money_field("catalogue_price", description="The catalogue unit price, the highest allowed.")
    unit_price = money_field("unit_price", description="The unit price sold at.")

    @strawberry.field(description="What the partner earns: (unit price - floor price) x quantity.",
                      metadata={**reads("unit_price", "floor_price", "quantity"), **money_sql(lambda row: row.two_places(
                          f"({row.number('unit_price')} - {row.number('floor_price')}) * {row.column('quantity')}"))})
    def price_difference(self, root: strawberry.Parent[m.YanxuanOrder]) -> Money:
        return Money.of((root.unit_price - root.floor_price) * root.quantity)

    customer = related_field(Customer, readable_customers, "customer_id", description="The customer, if you may read it.",
                             requires=Permission.CUSTOMER_VIEW)


def payout_setting(row: Any) -> PayoutSetting:
    return PayoutSetting(auto_apply=row.auto_apply if row else False,
                         method=row.method if row else m.PayoutMethod.ACCOUNT_CREDIT)
