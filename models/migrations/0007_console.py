from decimal import Decimal

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from models.certificates import CertificateKind
from models.cloudlab import CloudLabStatus
from models.news import NewsCategory, NewsStatus, ensure_search_index
from models.partners import RealNameStatus
from models.realname import RealNameType
from models.safeguards import VerificationPurpose


async def search_index(apps, schema_editor) -> None:
    await ensure_search_index(schema_editor.client)


class Migration(migrations.Migration):
    dependencies = [('models', '0006_customers_and_channel')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Certificate',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('number', fields.CharField(unique=True, max_length=32)),
                ('partner', fields.ForeignKeyField('models.Partner', source_field='partner_id', db_index=True, db_constraint=True, to_field='id', related_name='certificates', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='PROGRAM: PROGRAM\nDEVELOPMENT_PATH: DEVELOPMENT_PATH', enum_type=CertificateKind, max_length=16)),
                ('subject', fields.CharField(max_length=50)),
                ('holder', fields.ForeignKeyField('models.Account', source_field='holder_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='certificates', on_delete=OnDelete.SET_NULL)),
                ('valid_from', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('valid_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'certificate', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A certificate issued to a partner for a program it joined or a development path it holds.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CloudLabApplication',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('partner', fields.ForeignKeyField('models.Partner', source_field='partner_id', db_index=True, db_constraint=True, to_field='id', related_name='cloud_lab_applications', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharEnumField(default=CloudLabStatus.SUBMITTED, db_index=True, description='SUBMITTED: SUBMITTED\nAPPROVED: APPROVED\nBENEFIT_ISSUED: BENEFIT_ISSUED\nREJECTED: REJECTED', enum_type=CloudLabStatus, max_length=14)),
                ('purpose', fields.CharField(max_length=500)),
                ('points_per_member', fields.IntField()),
                ('applied_by', fields.ForeignKeyField('models.Account', source_field='applied_by_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='cloud_lab_applications', on_delete=OnDelete.SET_NULL)),
                ('reviewed_by', fields.ForeignKeyField('models.Account', source_field='reviewed_by_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='reviewed_cloud_lab_applications', on_delete=OnDelete.SET_NULL)),
                ('rejection_reason', fields.CharField(default='', max_length=500)),
                ('reviewed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('issued_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'cloud_lab_application', 'app': 'models', 'pk_attr': 'id', 'table_description': "A partner's application for cloud-lab benefits (云实验) for its bound members."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CloudLabBeneficiary',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('application', fields.ForeignKeyField('models.CloudLabApplication', source_field='application_id', db_index=True, db_constraint=True, to_field='id', related_name='beneficiaries', on_delete=OnDelete.CASCADE)),
                ('account', fields.ForeignKeyField('models.Account', source_field='account_id', db_index=True, db_constraint=True, to_field='id', related_name='cloud_lab_benefits', on_delete=OnDelete.CASCADE)),
                ('points_credited', fields.IntField(default=0)),
            ],
            options={'table': 'cloud_lab_beneficiary', 'app': 'models', 'unique_together': (('application', 'account'),), 'pk_attr': 'id', 'table_description': 'A bound member an application asks lab points for, and the points credited once issued.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ConsumptionRecord',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('partner', fields.ForeignKeyField('models.Partner', source_field='partner_id', db_index=True, db_constraint=True, to_field='id', related_name='consumption', on_delete=OnDelete.CASCADE)),
                ('customer', fields.ForeignKeyField('models.Customer', source_field='customer_id', db_index=True, db_constraint=True, to_field='id', related_name='consumption', on_delete=OnDelete.CASCADE)),
                ('product', fields.CharField(max_length=100)),
                ('month', fields.CharField(db_index=True, max_length=7)),
                ('amount', fields.DecimalField(default=Decimal('0.00'), max_digits=18, decimal_places=2)),
                ('yanxuan', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'consumption_record', 'app': 'models', 'indexes': [Index(fields=['partner_id', 'month'])], 'pk_attr': 'id', 'table_description': "One customer's consumption of one product in one month, as billing reports it."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='NewsArticle',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('title', fields.CharField(max_length=200)),
                ('summary', fields.CharField(default='', max_length=500)),
                ('body', fields.TextField(unique=False)),
                ('category', fields.CharEnumField(db_index=True, description='ANNOUNCEMENT: ANNOUNCEMENT\nPROGRAM: PROGRAM\nPRODUCT: PRODUCT\nEVENT: EVENT', enum_type=NewsCategory, max_length=12)),
                ('status', fields.CharEnumField(default=NewsStatus.DRAFT, db_index=True, description='DRAFT: DRAFT\nPUBLISHED: PUBLISHED\nWITHDRAWN: WITHDRAWN', enum_type=NewsStatus, max_length=9)),
                ('published_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('author', fields.ForeignKeyField('models.Account', source_field='author_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='news_articles', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'news_article', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A news article (新闻动态) written by platform staff.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='NewsRead',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('article', fields.ForeignKeyField('models.NewsArticle', source_field='article_id', db_index=True, db_constraint=True, to_field='id', related_name='reads', on_delete=OnDelete.CASCADE)),
                ('account', fields.ForeignKeyField('models.Account', source_field='account_id', db_index=True, db_constraint=True, to_field='id', related_name='news_reads', on_delete=OnDelete.CASCADE)),
                ('read_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'news_read', 'app': 'models', 'unique_together': (('article', 'account'),), 'pk_attr': 'id', 'table_description': "That an account has read an article (for the home page's unread count)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RealNameVerification',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('partner', fields.ForeignKeyField('models.Partner', source_field='partner_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='real_name_verifications', on_delete=OnDelete.CASCADE)),
                ('account', fields.ForeignKeyField('models.Account', source_field='account_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='real_name_verifications', on_delete=OnDelete.CASCADE)),
                ('type', fields.CharEnumField(description='ENTERPRISE: ENTERPRISE\nINDIVIDUAL: INDIVIDUAL', enum_type=RealNameType, max_length=10)),
                ('verified_name', fields.CharField(max_length=200)),
                ('certificate_number', fields.CharField(max_length=32)),
                ('status', fields.CharEnumField(default=RealNameStatus.VERIFIED, description='UNVERIFIED: UNVERIFIED\nPENDING: PENDING\nVERIFIED: VERIFIED\nREJECTED: REJECTED', enum_type=RealNameStatus, max_length=10)),
                ('verified_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'real_name_verification', 'app': 'models', 'pk_attr': 'id', 'table_description': 'The real-name verification (实名认证) of a partner company or of one account.'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='VerificationCode',
            name='purpose',
            field=fields.CharEnumField(description='WITHDRAWAL: WITHDRAWAL\nFUND_ALLOCATION: FUND_ALLOCATION\nCOUPON_ISSUE: COUPON_ISSUE\nCOUPON_RECLAIM: COUPON_RECLAIM\nQUOTA_ALLOCATION: QUOTA_ALLOCATION\nQUOTA_RECLAIM: QUOTA_RECLAIM\nCUSTOMER_DISASSOCIATION: CUSTOMER_DISASSOCIATION\nCUSTOMER_ASSOCIATION: CUSTOMER_ASSOCIATION\nCUSTOMER_AUTHORIZATION: CUSTOMER_AUTHORIZATION\nCONTACT_CHANGE: CONTACT_CHANGE\nRESELLER_RELEASE: RESELLER_RELEASE\nINCENTIVE_PAYOUT: INCENTIVE_PAYOUT\nYANXUAN_PRICE_ADJUST: YANXUAN_PRICE_ADJUST', enum_type=VerificationPurpose, max_length=23),
        ),
        ops.RunPython(search_index, reverse_code=ops.RunPython.noop),
    ]
