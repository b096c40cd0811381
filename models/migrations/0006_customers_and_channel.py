from decimal import Decimal

from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.migrations import operations as ops

from models.channel import ResellerInvitationStatus
from models.coupons import CouponOperationType
from models.customers import AssociationOperation, AuthorizationStatus, CustomerKind, CustomerStatus, DisassociationRequestStatus
from models.incentives import BillingMode
from models.members import AccountKind
from models.safeguards import VerificationPurpose


class Migration(migrations.Migration):
    dependencies = [('models', '0005_incentives')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AssociationRecord',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('partner', fields.ForeignKeyField('models.Partner', source_field='partner_id', db_index=True, db_constraint=True, to_field='id', related_name='association_records', on_delete=OnDelete.CASCADE)),
                ('customer', fields.ForeignKeyField('models.Customer', source_field='customer_id', db_index=True, db_constraint=True, to_field='id', related_name='association_records', on_delete=OnDelete.CASCADE)),
                ('operation', fields.CharEnumField(db_index=True, description='ASSOCIATED: ASSOCIATED\nACCOUNT_MANAGER_CHANGED: ACCOUNT_MANAGER_CHANGED\nTYPE_SWITCHED: TYPE_SWITCHED\nDISASSOCIATED: DISASSOCIATED\nDISASSOCIATION_REQUESTED: DISASSOCIATION_REQUESTED\nDISASSOCIATION_REJECTED: DISASSOCIATION_REJECTED', enum_type=AssociationOperation, max_length=24)),
                ('operator', fields.ForeignKeyField('models.Account', source_field='operator_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='association_records', on_delete=OnDelete.SET_NULL)),
                ('before', fields.CharField(default='', max_length=200)),
                ('after', fields.CharField(default='', max_length=200)),
                ('detail', fields.CharField(default='', max_length=500)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'association_record', 'app': 'models', 'pk_attr': 'id', 'table_description': 'An association operation record (关联关系操作记录): append-only.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DisassociationRequest',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('partner', fields.ForeignKeyField('models.Partner', source_field='partner_id', db_index=True, db_constraint=True, to_field='id', related_name='disassociation_requests', on_delete=OnDelete.CASCADE)),
                ('customer', fields.ForeignKeyField('models.Customer', source_field='customer_id', db_index=True, db_constraint=True, to_field='id', related_name='disassociation_requests', on_delete=OnDelete.CASCADE)),
                ('reason', fields.CharField(max_length=500)),
                ('status', fields.CharEnumField(default=DisassociationRequestStatus.PENDING, db_index=True, description='PENDING: PENDING\nAPPROVED: APPROVED\nREJECTED: REJECTED', enum_type=DisassociationRequestStatus, max_length=8)),
                ('response', fields.CharField(default='', max_length=500)),
                ('requested_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('handled_by', fields.ForeignKeyField('models.Account', source_field='handled_by_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='handled_disassociation_requests', on_delete=OnDelete.SET_NULL)),
                ('handled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'disassociation_request', 'app': 'models', 'pk_attr': 'id', 'table_description': "A customer's request to end its association with a partner."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EnterpriseProfile',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=200)),
                ('credit_code', fields.CharField(unique=True, max_length=18)),
                ('legal_representative', fields.CharField(default='', max_length=100)),
                ('registered_capital', fields.CharField(default='', max_length=64)),
                ('founded_on', fields.DateField(null=True)),
                ('national_industry', fields.CharField(default='', max_length=100)),
                ('cloud_industry', fields.CharField(default='', max_length=100)),
                ('address', fields.CharField(default='', max_length=300)),
                ('website', fields.CharField(default='', max_length=200)),
                ('wallet_size_band', fields.CharField(default='', max_length=32)),
                ('cloud_activity', fields.CharField(default='', max_length=32)),
                ('current_service_provider', fields.CharField(default='', max_length=200)),
                ('financing', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('products', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('brands', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('rankings', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('software_copyrights', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('patents', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'enterprise_profile', 'app': 'models', 'pk_attr': 'id', 'table_description': "An enterprise's public profile (企业百科), from the platform's business data."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OnBehalfAuthorization',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('partner', fields.ForeignKeyField('models.Partner', source_field='partner_id', db_index=True, db_constraint=True, to_field='id', related_name='on_behalf_authorizations', on_delete=OnDelete.CASCADE)),
                ('customer', fields.ForeignKeyField('models.Customer', source_field='customer_id', db_index=True, db_constraint=True, to_field='id', related_name='authorizations', on_delete=OnDelete.CASCADE)),
                ('scopes', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('status', fields.CharEnumField(default=AuthorizationStatus.REQUESTED, db_index=True, description='REQUESTED: REQUESTED\nAUTHORIZED: AUTHORIZED\nREJECTED: REJECTED\nCANCELLED: CANCELLED', enum_type=AuthorizationStatus, max_length=10)),
                ('message', fields.CharField(default='', max_length=500)),
                ('requested_by', fields.ForeignKeyField('models.Account', source_field='requested_by_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='requested_authorizations', on_delete=OnDelete.SET_NULL)),
                ('responded_by', fields.ForeignKeyField('models.Account', source_field='responded_by_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='answered_authorizations', on_delete=OnDelete.SET_NULL)),
                ('requested_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('responded_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('cancelled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('cancel_reason', fields.CharField(default='', max_length=500)),
                ('orders_placed', fields.IntField(default=0)),
                ('orders_at_cancellation', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'on_behalf_authorization', 'app': 'models', 'pk_attr': 'id', 'table_description': 'An on-behalf authorization (代下单授权) a partner asked of a resale customer.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OnBehalfOrder',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('number', fields.CharField(unique=True, max_length=32)),
                ('partner', fields.ForeignKeyField('models.Partner', source_field='partner_id', db_index=True, db_constraint=True, to_field='id', related_name='on_behalf_orders', on_delete=OnDelete.CASCADE)),
                ('customer', fields.ForeignKeyField('models.Customer', source_field='customer_id', db_index=True, db_constraint=True, to_field='id', related_name='on_behalf_orders', on_delete=OnDelete.CASCADE)),
                ('authorization', fields.ForeignKeyField('models.OnBehalfAuthorization', source_field='authorization_id', db_index=True, db_constraint=True, to_field='id', related_name='orders', on_delete=OnDelete.CASCADE)),
                ('product_code', fields.CharField(db_index=True, max_length=64)),
                ('product_name', fields.CharField(max_length=200)),
                ('billing_mode', fields.CharEnumField(db_index=True, description='YEARLY_MONTHLY: YEARLY_MONTHLY\nON_DEMAND: ON_DEMAND', enum_type=BillingMode, max_length=14)),
                ('period_months', fields.IntField(null=True)),
                ('quantity', fields.IntField(default=1)),
                ('amount', fields.DecimalField(default=Decimal('0.00'), max_digits=18, decimal_places=2)),
                ('placed_by', fields.ForeignKeyField('models.Account', source_field='placed_by_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='placed_on_behalf_orders', on_delete=OnDelete.SET_NULL)),
                ('placed_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'on_behalf_order', 'app': 'models', 'pk_attr': 'id', 'table_description': "An order a partner member placed on a customer's behalf (代下单)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Prospect',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('partner', fields.ForeignKeyField('models.Partner', source_field='partner_id', db_index=True, db_constraint=True, to_field='id', related_name='prospects', on_delete=OnDelete.CASCADE)),
                ('enterprise', fields.ForeignKeyField('models.EnterpriseProfile', source_field='enterprise_id', db_index=True, db_constraint=True, to_field='id', related_name='prospects', on_delete=OnDelete.CASCADE)),
                ('registered_by', fields.ForeignKeyField('models.Account', source_field='registered_by_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='registered_prospects', on_delete=OnDelete.SET_NULL)),
                ('note', fields.CharField(default='', max_length=500)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'prospect', 'app': 'models', 'unique_together': (('partner', 'enterprise'),), 'pk_attr': 'id', 'table_description': 'An enterprise a partner registered as its prospect (报备客户).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ResellerInvitation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('distributor', fields.ForeignKeyField('models.Partner', source_field='distributor_id', db_index=True, db_constraint=True, to_field='id', related_name='sent_reseller_invitations', on_delete=OnDelete.CASCADE)),
                ('invitee', fields.ForeignKeyField('models.Partner', source_field='invitee_id', db_index=True, db_constraint=True, to_field='id', related_name='received_reseller_invitations', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharEnumField(default=ResellerInvitationStatus.PENDING, db_index=True, description='PENDING: PENDING\nACCEPTED: ACCEPTED\nDECLINED: DECLINED\nWITHDRAWN: WITHDRAWN\nENDED: ENDED', enum_type=ResellerInvitationStatus, max_length=9)),
                ('message', fields.CharField(default='', max_length=500)),
                ('invited_by', fields.ForeignKeyField('models.Account', source_field='invited_by_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='sent_reseller_invitations', on_delete=OnDelete.SET_NULL)),
                ('responded_by', fields.ForeignKeyField('models.Account', source_field='responded_by_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='answered_reseller_invitations', on_delete=OnDelete.SET_NULL)),
                ('responded_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('ended_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('end_reason', fields.CharField(default='', max_length=500)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'reseller_invitation', 'app': 'models', 'pk_attr': 'id', 'table_description': "A distributor's invitation to a partner to become its reseller."},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Account',
            name='kind',
            field=fields.CharEnumField(db_index=True, description='MAIN_ACCOUNT: MAIN_ACCOUNT\nORGANISATION_MEMBER: ORGANISATION_MEMBER\nBOUND_MEMBER: BOUND_MEMBER\nPERSONAL: PERSONAL\nSTAFF: STAFF\nCUSTOMER: CUSTOMER', enum_type=AccountKind, max_length=19),
        ),
        ops.AlterField(
            model_name='CouponOperation',
            name='type',
            field=fields.CharEnumField(db_index=True, description='ISSUE: ISSUE\nMANUAL_RECLAIM: MANUAL_RECLAIM\nEXPIRY_RECLAIM: EXPIRY_RECLAIM\nDISASSOCIATION_RECLAIM: DISASSOCIATION_RECLAIM\nSWITCH_RECLAIM: SWITCH_RECLAIM\nQUOTA_ALLOCATE: QUOTA_ALLOCATE\nQUOTA_RECLAIM: QUOTA_RECLAIM', enum_type=CouponOperationType, max_length=22),
        ),
        ops.AddField(
            model_name='Customer',
            name='customer_account',
            field=fields.ForeignKeyField('models.Account', source_field='customer_account_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='customer_associations', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='Customer',
            name='disassociated_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Customer',
            name='enterprise',
            field=fields.ForeignKeyField('models.EnterpriseProfile', source_field='enterprise_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='customers', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='Customer',
            name='kind',
            field=fields.CharEnumField(default=CustomerKind.ENTERPRISE, description='ENTERPRISE: ENTERPRISE\nINDIVIDUAL: INDIVIDUAL', enum_type=CustomerKind, max_length=10),
        ),
        ops.AddField(
            model_name='Customer',
            name='status',
            field=fields.CharEnumField(default=CustomerStatus.ASSOCIATED, db_index=True, description='ASSOCIATED: ASSOCIATED\nDISASSOCIATED: DISASSOCIATED', enum_type=CustomerStatus, max_length=13),
        ),
        ops.AlterField(
            model_name='VerificationCode',
            name='purpose',
            field=fields.CharEnumField(description='WITHDRAWAL: WITHDRAWAL\nFUND_ALLOCATION: FUND_ALLOCATION\nCOUPON_ISSUE: COUPON_ISSUE\nCOUPON_RECLAIM: COUPON_RECLAIM\nQUOTA_ALLOCATION: QUOTA_ALLOCATION\nQUOTA_RECLAIM: QUOTA_RECLAIM\nCUSTOMER_DISASSOCIATION: CUSTOMER_DISASSOCIATION\nCUSTOMER_ASSOCIATION: CUSTOMER_ASSOCIATION\nCUSTOMER_AUTHORIZATION: CUSTOMER_AUTHORIZATION\nRESELLER_RELEASE: RESELLER_RELEASE\nINCENTIVE_PAYOUT: INCENTIVE_PAYOUT\nYANXUAN_PRICE_ADJUST: YANXUAN_PRICE_ADJUST', enum_type=VerificationPurpose, max_length=23),
        ),
    ]
