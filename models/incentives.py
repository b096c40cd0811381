"""Incentives (激励) and settlement: reconciliation bills and their detail lines and indicators, payout
applications, store-product settlement bills (云商店商品分账) and Yanxuan (严选) resale orders."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.base import DescribedEnum, created_at_field, money_field

if TYPE_CHECKING:
    from models.coupons import CouponQuota
    from models.customers import Customer
    from models.members import Account
    from models.partners import Partner


class IncentiveType(DescribedEnum):
    SALES_REBATE = "SALES_REBATE", "Sales rebate (销售返利): a share of the resale consumption of the partner's customers."
    SOLUTION_INCENTIVE = "SOLUTION_INCENTIVE", "Solution incentive (解决方案激励): for consumption driven by the partner's solutions."
    CAPABILITY_IMPROVEMENT = "CAPABILITY_IMPROVEMENT", "Capability-improvement incentive (能力提升激励)."
    FULL_TIME_STAFF = "FULL_TIME_STAFF", "Full-time staff incentive (FH): for the partner's project specialists."


class IncentiveBillStatus(DescribedEnum):
    ESTIMATED = "ESTIMATED", "An estimate for a period still open (预估); amounts may change."
    PENDING_CONFIRMATION = "PENDING_CONFIRMATION", "The period is closed: the official bill awaits the partner's confirmation (待确认)."
    CONFIRMED = "CONFIRMED", "Confirmed by the partner; its pending amount may be applied for (已确认)."
    DISPUTED = "DISPUTED", "The partner disputed the bill, with a reason; platform operations reissue it."


class BillingMode(DescribedEnum):
    YEARLY_MONTHLY = "YEARLY_MONTHLY", "Subscription: yearly or monthly (包年/包月)."
    ON_DEMAND = "ON_DEMAND", "Pay per use (按需)."


class PayoutMethod(DescribedEnum):
    ACCOUNT_CREDIT = "ACCOUNT_CREDIT", "Credited to the partner's account balance (返华为云账户)."
    BANK_TRANSFER = "BANK_TRANSFER", "Paid by bank transfer (银行转账付款)."
    VOUCHER_QUOTA = "VOUCHER_QUOTA", "Converted into a voucher quota (转代金券额度)."


class PayoutStatus(DescribedEnum):
    PENDING_SUBMISSION = "PENDING_SUBMISSION", "Prepared by auto-apply; the partner submits it (待提交申请)."
    PROCESSING = "PROCESSING", "Submitted; platform finance processes it (申请处理中)."
    AWAITING_INVOICE = "AWAITING_INVOICE", "The partner invoices against the invoicing list (待伙伴开票)."
    INVOICE_REVIEW = "INVOICE_REVIEW", "Finance reviews the partner's invoice (发票审核)."
    PAYMENT_REVIEW = "PAYMENT_REVIEW", "The invoice was approved; finance reviews the payment (申付审核)."
    COMPLETED = "COMPLETED", "Paid out (已完成)."
    COMPLETED_WITH_ERROR = "COMPLETED_WITH_ERROR", "Completed, but the voucher quota could not be granted; contact support."


class SettlementStatus(DescribedEnum):
    PENDING_COUNTERSIGN = "PENDING_COUNTERSIGN", "Billed; waiting for platform operations to start the countersign (待会签)."
    COUNTERSIGNING = "COUNTERSIGNING", "Platform operations are countersigning (会签中)."
    COUNTERSIGN_REJECTED = "COUNTERSIGN_REJECTED", "The countersign was rejected (会签驳回)."
    PENDING_PAYMENT_REQUEST = "PENDING_PAYMENT_REQUEST", "Countersigned; the payment request is being created (待申付)."
    PAYMENT_REQUEST_FAILED = "PAYMENT_REQUEST_FAILED", "The payment request could not be created (申付单创建失败)."
    AWAITING_INVOICE = "AWAITING_INVOICE", "The partner invoices the bill; review starts once the invoice is received (待开票)."
    INVOICE_REVIEW = "INVOICE_REVIEW", "The received invoice is being reviewed (发票审核)."
    PAYMENT_PROCESSING = "PAYMENT_PROCESSING", "The payment is being processed (申付处理中)."
    PAID = "PAID", "Paid (已支付)."


class SettlementAction(DescribedEnum):
    START_COUNTERSIGN = "START_COUNTERSIGN", "Start the countersign (PENDING_COUNTERSIGN → COUNTERSIGNING)."
    REJECT_COUNTERSIGN = "REJECT_COUNTERSIGN", "Reject the countersign, with a note (COUNTERSIGNING → COUNTERSIGN_REJECTED)."
    RESTART_COUNTERSIGN = "RESTART_COUNTERSIGN", "Countersign again after fixing it (COUNTERSIGN_REJECTED → COUNTERSIGNING)."
    APPROVE_COUNTERSIGN = "APPROVE_COUNTERSIGN", "Finish the countersign (COUNTERSIGNING → PENDING_PAYMENT_REQUEST)."
    FAIL_PAYMENT_REQUEST = "FAIL_PAYMENT_REQUEST", "Record that the payment request failed, with a note (→ PAYMENT_REQUEST_FAILED)."
    RETRY_PAYMENT_REQUEST = "RETRY_PAYMENT_REQUEST", "Try the payment request again (PAYMENT_REQUEST_FAILED → PENDING_PAYMENT_REQUEST)."
    CREATE_PAYMENT_REQUEST = "CREATE_PAYMENT_REQUEST", "The payment request exists; the partner invoices (→ AWAITING_INVOICE)."
    RECEIVE_INVOICE = "RECEIVE_INVOICE", "The partner's invoice arrived (AWAITING_INVOICE → INVOICE_REVIEW); needs its number."
    REJECT_INVOICE = "REJECT_INVOICE", "Send the invoice back, with a note (INVOICE_REVIEW → AWAITING_INVOICE)."
    APPROVE_INVOICE = "APPROVE_INVOICE", "Approve the invoice (INVOICE_REVIEW → PAYMENT_PROCESSING)."
    PAY = "PAY", "Record the payment (PAYMENT_PROCESSING → PAID)."


class IncentiveBill(Model):
    """One reconciliation bill (激励对账): a partner's incentive of one type for one period."""

    id = fields.IntField(primary_key=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="incentive_bills", on_delete=fields.CASCADE, db_index=True)
    partner_id: int
    type = fields.CharEnumField(IncentiveType, db_index=True)
    period = fields.CharField(max_length=7, db_index=True)  # YYYY-MM
    status = fields.CharEnumField(IncentiveBillStatus, default=IncentiveBillStatus.ESTIMATED, db_index=True)
    # amount = pending + frozen + what applications took; only conditional UPDATEs move them.
    amount = money_field()
    pending_amount = money_field()
    frozen_amount = money_field()
    frozen_reason = fields.CharField(max_length=500, default="")
    dispute_reason = fields.CharField(max_length=500, default="")
    confirmed_at = fields.DatetimeField(null=True)
    confirmed_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField("models.Account", related_name="confirmed_incentive_bills", null=True, on_delete=fields.SET_NULL, db_index=True)
    confirmed_by_id: int | None
    created_at = created_at_field()
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "incentive_bill"
        ordering = ["-period", "id"]
        unique_together = (("partner", "type", "period"),)


class IncentiveBillLine(Model):
    """A detail line of a bill (激励明细): one order's contribution."""

    id = fields.IntField(primary_key=True)
    bill: fields.ForeignKeyRelation[IncentiveBill] = fields.ForeignKeyField("models.IncentiveBill", related_name="lines", on_delete=fields.CASCADE, db_index=True)
    bill_id: int
    billing_mode = fields.CharEnumField(BillingMode, db_index=True)
    order_id = fields.CharField(max_length=64, db_index=True)
    customer: fields.ForeignKeyNullableRelation[Customer] = fields.ForeignKeyField("models.Customer", related_name="incentive_lines", null=True, on_delete=fields.SET_NULL, db_index=True)
    customer_id: int | None
    customer_name = fields.CharField(max_length=200)
    account_manager: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField("models.Account", related_name="incentive_lines", null=True, on_delete=fields.SET_NULL, db_index=True)
    account_manager_id: int | None
    account_manager_name = fields.CharField(max_length=200, default="")
    product_type = fields.CharField(max_length=100, db_index=True)
    amount = money_field()
    created_at = created_at_field()

    class Meta:
        table = "incentive_bill_line"
        ordering = ["id"]


class IncentiveIndicator(Model):
    """An indicator a bill was computed from (指标信息)."""

    id = fields.IntField(primary_key=True)
    bill: fields.ForeignKeyRelation[IncentiveBill] = fields.ForeignKeyField("models.IncentiveBill", related_name="indicators", on_delete=fields.CASCADE, db_index=True)
    bill_id: int
    name = fields.CharField(max_length=100)
    statistic_method = fields.CharField(max_length=200)
    period = fields.CharField(max_length=20)
    value = fields.CharField(max_length=50)
    created_at = created_at_field()

    class Meta:
        table = "incentive_indicator"
        ordering = ["id"]


class PayoutSetting(Model):
    """A partner's auto-apply switch (设置自动申请发放激励) and the method it applies with."""

    id = fields.IntField(primary_key=True)
    partner: fields.OneToOneRelation[Partner] = fields.OneToOneField("models.Partner", related_name="payout_setting", on_delete=fields.CASCADE)
    partner_id: int
    auto_apply = fields.BooleanField(default=False)
    method = fields.CharEnumField(PayoutMethod, default=PayoutMethod.ACCOUNT_CREDIT)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "payout_setting"


class PayoutApplication(Model):
    """A payout application (激励申付) over one or more confirmed bills."""

    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, unique=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="payout_applications", on_delete=fields.CASCADE, db_index=True)
    partner_id: int
    method = fields.CharEnumField(PayoutMethod)
    status = fields.CharEnumField(PayoutStatus, db_index=True)
    amount = money_field()
    invoice_numbers: fields.JSONField[list[str]] = fields.JSONField(default=list)
    invoice_rejection_reason = fields.CharField(max_length=500, default="")
    bank_reference = fields.CharField(max_length=64, default="")
    error_message = fields.CharField(max_length=500, default="")
    voucher_quota: fields.ForeignKeyNullableRelation[CouponQuota] = fields.ForeignKeyField("models.CouponQuota", related_name="payout_applications", null=True, on_delete=fields.SET_NULL, db_index=True)
    voucher_quota_id: int | None
    applied_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField("models.Account", related_name="payout_applications", null=True, on_delete=fields.SET_NULL, db_index=True)
    applied_by_id: int | None
    created_at = created_at_field()
    submitted_at = fields.DatetimeField(null=True)
    invoiced_at = fields.DatetimeField(null=True)
    completed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "payout_application"
        ordering = ["-id"]


class PayoutApplicationLine(Model):
    """What one application takes from one bill."""

    id = fields.IntField(primary_key=True)
    application: fields.ForeignKeyRelation[PayoutApplication] = fields.ForeignKeyField("models.PayoutApplication", related_name="lines", on_delete=fields.CASCADE, db_index=True)
    application_id: int
    bill: fields.ForeignKeyRelation[IncentiveBill] = fields.ForeignKeyField("models.IncentiveBill", related_name="application_lines", on_delete=fields.RESTRICT, db_index=True)
    bill_id: int
    amount = money_field()

    class Meta:
        table = "payout_application_line"
        ordering = ["id"]
        unique_together = (("application", "bill"),)


class SettlementBill(Model):
    """A store-product settlement bill (云商店商品分账): what the platform owes a seller for its goods."""

    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, unique=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="settlement_bills", on_delete=fields.CASCADE, db_index=True)
    partner_id: int
    period = fields.CharField(max_length=7, db_index=True)
    product_name = fields.CharField(max_length=200)
    amount = money_field()
    status = fields.CharEnumField(SettlementStatus, default=SettlementStatus.PENDING_COUNTERSIGN, db_index=True)
    # Why the countersign, the payment request or the invoice was rejected, for the partner to read.
    note = fields.CharField(max_length=500, default="")
    invoice_number = fields.CharField(max_length=64, default="")
    invoice_received_at = fields.DatetimeField(null=True)
    paid_at = fields.DatetimeField(null=True)
    created_at = created_at_field()
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "settlement_bill"
        ordering = ["-period", "-id"]


class YanxuanOrder(Model):
    """An order of Yanxuan (严选) goods sold under the resale program."""

    # It earns the price difference only: no rebate, and it never counts as reseller performance.

    id = fields.IntField(primary_key=True)
    order_number = fields.CharField(max_length=64, unique=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="yanxuan_orders", on_delete=fields.CASCADE, db_index=True)
    partner_id: int
    customer: fields.ForeignKeyNullableRelation[Customer] = fields.ForeignKeyField("models.Customer", related_name="yanxuan_orders", null=True, on_delete=fields.SET_NULL, db_index=True)
    customer_id: int | None
    product_name = fields.CharField(max_length=200)
    quantity = fields.IntField()
    floor_price = money_field()
    catalogue_price = money_field()
    unit_price = money_field()
    ordered_at = fields.DatetimeField(db_index=True)
    price_adjusted_at = fields.DatetimeField(null=True)
    created_at = created_at_field()

    class Meta:
        table = "yanxuan_order"
        ordering = ["-ordered_at", "-id"]
