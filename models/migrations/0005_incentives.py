from decimal import Decimal

from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.migrations import operations as ops

from models.account import LedgerEntryKind
from models.incentives import BillingMode, IncentiveBillStatus, IncentiveType, PayoutMethod, PayoutStatus, SettlementStatus
from models.safeguards import VerificationPurpose


class Migration(migrations.Migration):
    dependencies = [('models', '0004_restore_unique_constraints')]

    initial = False

    operations = [
        ops.CreateModel(
            name='IncentiveBill',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('partner', fields.ForeignKeyField('models.Partner', source_field='partner_id', db_index=True, db_constraint=True, to_field='id', related_name='incentive_bills', on_delete=OnDelete.CASCADE)),
                ('type', fields.CharEnumField(db_index=True, description='SALES_REBATE: SALES_REBATE\nSOLUTION_INCENTIVE: SOLUTION_INCENTIVE\nCAPABILITY_IMPROVEMENT: CAPABILITY_IMPROVEMENT\nFULL_TIME_STAFF: FULL_TIME_STAFF', enum_type=IncentiveType, max_length=22)),
                ('period', fields.CharField(db_index=True, max_length=7)),
                ('status', fields.CharEnumField(default=IncentiveBillStatus.ESTIMATED, db_index=True, description='ESTIMATED: ESTIMATED\nPENDING_CONFIRMATION: PENDING_CONFIRMATION\nCONFIRMED: CONFIRMED\nDISPUTED: DISPUTED', enum_type=IncentiveBillStatus, max_length=20)),
                ('amount', fields.DecimalField(default=Decimal('0.00'), max_digits=18, decimal_places=2)),
                ('pending_amount', fields.DecimalField(default=Decimal('0.00'), max_digits=18, decimal_places=2)),
                ('frozen_amount', fields.DecimalField(default=Decimal('0.00'), max_digits=18, decimal_places=2)),
                ('frozen_reason', fields.CharField(default='', max_length=500)),
                ('dispute_reason', fields.CharField(default='', max_length=500)),
                ('confirmed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('confirmed_by', fields.ForeignKeyField('models.Account', source_field='confirmed_by_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='confirmed_incentive_bills', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'incentive_bill', 'app': 'models', 'unique_together': (('partner', 'type', 'period'),), 'pk_attr': 'id', 'table_description': "One reconciliation bill (激励对账): a partner's incentive of one type for one period."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='IncentiveBillLine',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('bill', fields.ForeignKeyField('models.IncentiveBill', source_field='bill_id', db_index=True, db_constraint=True, to_field='id', related_name='lines', on_delete=OnDelete.CASCADE)),
                ('billing_mode', fields.CharEnumField(db_index=True, description='YEARLY_MONTHLY: YEARLY_MONTHLY\nON_DEMAND: ON_DEMAND', enum_type=BillingMode, max_length=14)),
                ('order_id', fields.CharField(db_index=True, max_length=64)),
                ('customer', fields.ForeignKeyField('models.Customer', source_field='customer_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='incentive_lines', on_delete=OnDelete.SET_NULL)),
                ('customer_name', fields.CharField(max_length=200)),
                ('account_manager', fields.ForeignKeyField('models.Account', source_field='account_manager_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='incentive_lines', on_delete=OnDelete.SET_NULL)),
                ('account_manager_name', fields.CharField(default='', max_length=200)),
                ('product_type', fields.CharField(db_index=True, max_length=100)),
                ('amount', fields.DecimalField(default=Decimal('0.00'), max_digits=18, decimal_places=2)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'incentive_bill_line', 'app': 'models', 'pk_attr': 'id', 'table_description': "A detail line of a bill (激励明细): one order's contribution."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='IncentiveIndicator',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('bill', fields.ForeignKeyField('models.IncentiveBill', source_field='bill_id', db_index=True, db_constraint=True, to_field='id', related_name='indicators', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=100)),
                ('statistic_method', fields.CharField(max_length=200)),
                ('period', fields.CharField(max_length=20)),
                ('value', fields.CharField(max_length=50)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'incentive_indicator', 'app': 'models', 'pk_attr': 'id', 'table_description': 'An indicator a bill was computed from (指标信息).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PayoutApplication',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('number', fields.CharField(unique=True, max_length=32)),
                ('partner', fields.ForeignKeyField('models.Partner', source_field='partner_id', db_index=True, db_constraint=True, to_field='id', related_name='payout_applications', on_delete=OnDelete.CASCADE)),
                ('method', fields.CharEnumField(description='ACCOUNT_CREDIT: ACCOUNT_CREDIT\nBANK_TRANSFER: BANK_TRANSFER\nVOUCHER_QUOTA: VOUCHER_QUOTA', enum_type=PayoutMethod, max_length=14)),
                ('status', fields.CharEnumField(db_index=True, description='PENDING_SUBMISSION: PENDING_SUBMISSION\nPROCESSING: PROCESSING\nAWAITING_INVOICE: AWAITING_INVOICE\nINVOICE_REVIEW: INVOICE_REVIEW\nPAYMENT_REVIEW: PAYMENT_REVIEW\nCOMPLETED: COMPLETED\nCOMPLETED_WITH_ERROR: COMPLETED_WITH_ERROR', enum_type=PayoutStatus, max_length=20)),
                ('amount', fields.DecimalField(default=Decimal('0.00'), max_digits=18, decimal_places=2)),
                ('invoice_numbers', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('invoice_rejection_reason', fields.CharField(default='', max_length=500)),
                ('bank_reference', fields.CharField(default='', max_length=64)),
                ('error_message', fields.CharField(default='', max_length=500)),
                ('voucher_quota', fields.ForeignKeyField('models.CouponQuota', source_field='voucher_quota_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='payout_applications', on_delete=OnDelete.SET_NULL)),
                ('applied_by', fields.ForeignKeyField('models.Account', source_field='applied_by_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='payout_applications', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ('submitted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('invoiced_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('completed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'payout_application', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A payout application (激励申付) over one or more confirmed bills.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PayoutApplicationLine',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('application', fields.ForeignKeyField('models.PayoutApplication', source_field='application_id', db_index=True, db_constraint=True, to_field='id', related_name='lines', on_delete=OnDelete.CASCADE)),
                ('bill', fields.ForeignKeyField('models.IncentiveBill', source_field='bill_id', db_index=True, db_constraint=True, to_field='id', related_name='application_lines', on_delete=OnDelete.RESTRICT)),
                ('amount', fields.DecimalField(default=Decimal('0.00'), max_digits=18, decimal_places=2)),
            ],
            options={'table': 'payout_application_line', 'app': 'models', 'unique_together': (('application', 'bill'),), 'pk_attr': 'id', 'table_description': 'What one application takes from one bill.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PayoutSetting',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('partner', fields.OneToOneField('models.Partner', source_field='partner_id', db_constraint=True, to_field='id', related_name='payout_setting', on_delete=OnDelete.CASCADE)),
                ('auto_apply', fields.BooleanField(default=False)),
                ('method', fields.CharEnumField(default=PayoutMethod.ACCOUNT_CREDIT, description='ACCOUNT_CREDIT: ACCOUNT_CREDIT\nBANK_TRANSFER: BANK_TRANSFER\nVOUCHER_QUOTA: VOUCHER_QUOTA', enum_type=PayoutMethod, max_length=14)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'payout_setting', 'app': 'models', 'pk_attr': 'id', 'table_description': "A partner's auto-apply switch (设置自动申请发放激励) and the method it applies with."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SettlementBill',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('number', fields.CharField(unique=True, max_length=32)),
                ('partner', fields.ForeignKeyField('models.Partner', source_field='partner_id', db_index=True, db_constraint=True, to_field='id', related_name='settlement_bills', on_delete=OnDelete.CASCADE)),
                ('period', fields.CharField(db_index=True, max_length=7)),
                ('product_name', fields.CharField(max_length=200)),
                ('amount', fields.DecimalField(default=Decimal('0.00'), max_digits=18, decimal_places=2)),
                ('status', fields.CharEnumField(default=SettlementStatus.PENDING_COUNTERSIGN, db_index=True, description='PENDING_COUNTERSIGN: PENDING_COUNTERSIGN\nCOUNTERSIGNING: COUNTERSIGNING\nCOUNTERSIGN_REJECTED: COUNTERSIGN_REJECTED\nPENDING_PAYMENT_REQUEST: PENDING_PAYMENT_REQUEST\nPAYMENT_REQUEST_FAILED: PAYMENT_REQUEST_FAILED\nAWAITING_INVOICE: AWAITING_INVOICE\nINVOICE_REVIEW: INVOICE_REVIEW\nPAYMENT_PROCESSING: PAYMENT_PROCESSING\nPAID: PAID', enum_type=SettlementStatus, max_length=23)),
                ('note', fields.CharField(default='', max_length=500)),
                ('invoice_number', fields.CharField(default='', max_length=64)),
                ('invoice_received_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('paid_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'settlement_bill', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A store-product settlement bill (云商店商品分账): what the platform owes a seller for its goods.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='YanxuanOrder',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('order_number', fields.CharField(unique=True, max_length=64)),
                ('partner', fields.ForeignKeyField('models.Partner', source_field='partner_id', db_index=True, db_constraint=True, to_field='id', related_name='yanxuan_orders', on_delete=OnDelete.CASCADE)),
                ('customer', fields.ForeignKeyField('models.Customer', source_field='customer_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='yanxuan_orders', on_delete=OnDelete.SET_NULL)),
                ('product_name', fields.CharField(max_length=200)),
                ('quantity', fields.IntField()),
                ('floor_price', fields.DecimalField(default=Decimal('0.00'), max_digits=18, decimal_places=2)),
                ('catalogue_price', fields.DecimalField(default=Decimal('0.00'), max_digits=18, decimal_places=2)),
                ('unit_price', fields.DecimalField(default=Decimal('0.00'), max_digits=18, decimal_places=2)),
                ('ordered_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('price_adjusted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'yanxuan_order', 'app': 'models', 'pk_attr': 'id', 'table_description': 'An order of Yanxuan (严选) goods sold under the resale program.'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='LedgerEntry',
            name='kind',
            field=fields.CharEnumField(description='RECHARGE: RECHARGE\nWITHDRAWAL: WITHDRAWAL\nALLOCATION_OUT: ALLOCATION_OUT\nALLOCATION_IN: ALLOCATION_IN\nWITHDRAWAL_REVERSAL: WITHDRAWAL_REVERSAL\nADJUSTMENT: ADJUSTMENT\nINCENTIVE_CREDIT: INCENTIVE_CREDIT', enum_type=LedgerEntryKind, max_length=19),
        ),
        ops.AlterField(
            model_name='VerificationCode',
            name='purpose',
            field=fields.CharEnumField(description='WITHDRAWAL: WITHDRAWAL\nFUND_ALLOCATION: FUND_ALLOCATION\nCOUPON_ISSUE: COUPON_ISSUE\nCOUPON_RECLAIM: COUPON_RECLAIM\nQUOTA_ALLOCATION: QUOTA_ALLOCATION\nQUOTA_RECLAIM: QUOTA_RECLAIM\nCUSTOMER_DISASSOCIATION: CUSTOMER_DISASSOCIATION\nINCENTIVE_PAYOUT: INCENTIVE_PAYOUT\nYANXUAN_PRICE_ADJUST: YANXUAN_PRICE_ADJUST', enum_type=VerificationPurpose, max_length=23),
        ),
    ]
