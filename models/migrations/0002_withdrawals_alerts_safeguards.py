from decimal import Decimal

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from models.account import LedgerEntryKind, WithdrawalStatus
from models.safeguards import VerificationPurpose


class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='BalanceAlert',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('wallet', fields.ForeignKeyField('models.Wallet', source_field='wallet_id', db_constraint=True, to_field='id', related_name='alerts', on_delete=OnDelete.CASCADE)),
                ('balance', fields.DecimalField(default=Decimal('0.00'), max_digits=18, decimal_places=2)),
                ('threshold', fields.DecimalField(default=Decimal('0.00'), max_digits=18, decimal_places=2)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'balance_alert', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Raised when a change takes the balance from at-or-above the alert threshold to below it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='IdempotencyRecord',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('models.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='idempotency_records', on_delete=OnDelete.CASCADE)),
                ('action', fields.CharField(max_length=100)),
                ('key', fields.CharField(max_length=100)),
                ('input_hash', fields.CharField(max_length=64)),
                ('result_ref', fields.CharField(default='', max_length=2000)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'idempotency_record', 'app': 'models', 'unique_together': (('account', 'action', 'key'),), 'pk_attr': 'id', 'table_description': 'The first result of a money mutation under a caller key, replayed on a repeat.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='VerificationCode',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('models.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='verification_codes', on_delete=OnDelete.CASCADE)),
                ('purpose', fields.CharEnumField(description='WITHDRAWAL: WITHDRAWAL\nFUND_ALLOCATION: FUND_ALLOCATION\nCOUPON_ISSUE: COUPON_ISSUE\nCOUPON_RECLAIM: COUPON_RECLAIM\nQUOTA_ALLOCATION: QUOTA_ALLOCATION\nQUOTA_RECLAIM: QUOTA_RECLAIM\nCUSTOMER_DISASSOCIATION: CUSTOMER_DISASSOCIATION', enum_type=VerificationPurpose, max_length=23)),
                ('code_hash', fields.CharField(max_length=64)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'verification_code', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A one-time code for one account and purpose, kept only as a hash.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Withdrawal',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('wallet', fields.ForeignKeyField('models.Wallet', source_field='wallet_id', db_constraint=True, to_field='id', related_name='withdrawals', on_delete=OnDelete.CASCADE)),
                ('amount', fields.DecimalField(default=Decimal('0.00'), max_digits=18, decimal_places=2)),
                ('status', fields.CharEnumField(default=WithdrawalStatus.PENDING, db_index=True, description='PENDING: PENDING\nAPPROVED: APPROVED\nREJECTED: REJECTED\nPAID: PAID', enum_type=WithdrawalStatus, max_length=8)),
                ('requested_by', fields.ForeignKeyField('models.Account', source_field='requested_by_id', null=True, db_constraint=True, to_field='id', related_name='withdrawals', on_delete=OnDelete.SET_NULL)),
                ('reviewed_by', fields.ForeignKeyField('models.Account', source_field='reviewed_by_id', null=True, db_constraint=True, to_field='id', related_name='reviewed_withdrawals', on_delete=OnDelete.SET_NULL)),
                ('rejection_reason', fields.CharField(default='', max_length=500)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ('reviewed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('paid_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'withdrawal', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A withdrawal request.'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='LedgerEntry',
            name='kind',
            field=fields.CharEnumField(description='RECHARGE: RECHARGE\nWITHDRAWAL: WITHDRAWAL\nALLOCATION_OUT: ALLOCATION_OUT\nALLOCATION_IN: ALLOCATION_IN\nWITHDRAWAL_REVERSAL: WITHDRAWAL_REVERSAL\nADJUSTMENT: ADJUSTMENT', enum_type=LedgerEntryKind, max_length=19),
        ),
    ]
