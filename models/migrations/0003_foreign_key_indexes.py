from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0002_withdrawals_alerts_safeguards')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='Account',
            name='partner',
            field=fields.ForeignKeyField('models.Partner', source_field='partner_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='accounts', on_delete=OnDelete.RESTRICT),
        ),
        ops.AlterField(
            model_name='Account',
            name='supervisor',
            field=fields.ForeignKeyField('models.Account', source_field='supervisor_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='supervised', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterField(
            model_name='ApiKey',
            name='account',
            field=fields.ForeignKeyField('models.Account', source_field='account_id', db_index=True, db_constraint=True, to_field='id', related_name='api_keys', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='AuditRecord',
            name='actor',
            field=fields.ForeignKeyField('models.Account', source_field='actor_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='audit_records', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterField(
            model_name='AuditRecord',
            name='partner',
            field=fields.ForeignKeyField('models.Partner', source_field='partner_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='audit_records', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterField(
            model_name='BalanceAlert',
            name='wallet',
            field=fields.ForeignKeyField('models.Wallet', source_field='wallet_id', db_index=True, db_constraint=True, to_field='id', related_name='alerts', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='CoSaleProduct',
            name='solution',
            field=fields.ForeignKeyField('models.Solution', source_field='solution_id', db_index=True, db_constraint=True, to_field='id', related_name='co_sale_products', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='Coupon',
            name='customer',
            field=fields.ForeignKeyField('models.Customer', source_field='customer_id', db_index=True, db_constraint=True, to_field='id', related_name='coupons', on_delete=OnDelete.RESTRICT),
        ),
        ops.AlterField(
            model_name='Coupon',
            name='issued_by',
            field=fields.ForeignKeyField('models.Account', source_field='issued_by_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='issued_coupons', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterField(
            model_name='Coupon',
            name='partner',
            field=fields.ForeignKeyField('models.Partner', source_field='partner_id', db_index=True, db_constraint=True, to_field='id', related_name='coupons', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='Coupon',
            name='quota',
            field=fields.ForeignKeyField('models.CouponQuota', source_field='quota_id', db_index=True, db_constraint=True, to_field='id', related_name='coupons', on_delete=OnDelete.RESTRICT),
        ),
        ops.AlterField(
            model_name='CouponOperation',
            name='coupon',
            field=fields.ForeignKeyField('models.Coupon', source_field='coupon_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='operations', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterField(
            model_name='CouponOperation',
            name='customer',
            field=fields.ForeignKeyField('models.Customer', source_field='customer_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='coupon_operations', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterField(
            model_name='CouponOperation',
            name='operator',
            field=fields.ForeignKeyField('models.Account', source_field='operator_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='coupon_operations', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterField(
            model_name='CouponOperation',
            name='partner',
            field=fields.ForeignKeyField('models.Partner', source_field='partner_id', db_index=True, db_constraint=True, to_field='id', related_name='coupon_operations', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='CouponOperation',
            name='quota',
            field=fields.ForeignKeyField('models.CouponQuota', source_field='quota_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='operations', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterField(
            model_name='CouponQuota',
            name='granted_by',
            field=fields.ForeignKeyField('models.Account', source_field='granted_by_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='granted_quotas', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterField(
            model_name='CouponQuota',
            name='parent_quota',
            field=fields.ForeignKeyField('models.CouponQuota', source_field='parent_quota_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='child_quotas', on_delete=OnDelete.RESTRICT),
        ),
        ops.AlterField(
            model_name='CouponQuota',
            name='partner',
            field=fields.ForeignKeyField('models.Partner', source_field='partner_id', db_index=True, db_constraint=True, to_field='id', related_name='coupon_quotas', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='CouponUsage',
            name='coupon',
            field=fields.ForeignKeyField('models.Coupon', source_field='coupon_id', db_index=True, db_constraint=True, to_field='id', related_name='usage_records', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='Customer',
            name='account_manager',
            field=fields.ForeignKeyField('models.Account', source_field='account_manager_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='managed_customers', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterField(
            model_name='Customer',
            name='partner',
            field=fields.ForeignKeyField('models.Partner', source_field='partner_id', db_index=True, db_constraint=True, to_field='id', related_name='customers', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='ExpertApplication',
            name='partner',
            field=fields.ForeignKeyField('models.Partner', source_field='partner_id', db_index=True, db_constraint=True, to_field='id', related_name='expert_applications', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='ExpertApplication',
            name='specialist',
            field=fields.ForeignKeyField('models.Account', source_field='specialist_id', db_index=True, db_constraint=True, to_field='id', related_name='expert_applications', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='ExpertApplication',
            name='submitted_by',
            field=fields.ForeignKeyField('models.Account', source_field='submitted_by_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='submitted_expert_applications', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterField(
            model_name='ExpertStageRecord',
            name='actor',
            field=fields.ForeignKeyField('models.Account', source_field='actor_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='expert_stage_records', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterField(
            model_name='ExpertStageRecord',
            name='application',
            field=fields.ForeignKeyField('models.ExpertApplication', source_field='application_id', db_index=True, db_constraint=True, to_field='id', related_name='stage_records', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='IdempotencyRecord',
            name='account',
            field=fields.ForeignKeyField('models.Account', source_field='account_id', db_index=True, db_constraint=True, to_field='id', related_name='idempotency_records', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='Invitation',
            name='accepted_account',
            field=fields.ForeignKeyField('models.Account', source_field='accepted_account_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='accepted_invitations', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterField(
            model_name='Invitation',
            name='invited_by',
            field=fields.ForeignKeyField('models.Account', source_field='invited_by_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='sent_invitations', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterField(
            model_name='Invitation',
            name='partner',
            field=fields.ForeignKeyField('models.Partner', source_field='partner_id', db_index=True, db_constraint=True, to_field='id', related_name='invitations', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='LedgerEntry',
            name='actor',
            field=fields.ForeignKeyField('models.Account', source_field='actor_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='ledger_entries', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterField(
            model_name='LedgerEntry',
            name='wallet',
            field=fields.ForeignKeyField('models.Wallet', source_field='wallet_id', db_index=True, db_constraint=True, to_field='id', related_name='ledger', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='Partner',
            name='parent_distributor',
            field=fields.ForeignKeyField('models.Partner', source_field='parent_distributor_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='resellers', on_delete=OnDelete.RESTRICT),
        ),
        ops.AlterField(
            model_name='PartnerProgram',
            name='joined_by',
            field=fields.ForeignKeyField('models.Account', source_field='joined_by_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='joined_programs', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterField(
            model_name='PartnerProgram',
            name='partner',
            field=fields.ForeignKeyField('models.Partner', source_field='partner_id', db_index=True, db_constraint=True, to_field='id', related_name='programs', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='Role',
            name='partner',
            field=fields.ForeignKeyField('models.Partner', source_field='partner_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='custom_roles', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='Solution',
            name='partner',
            field=fields.ForeignKeyField('models.Partner', source_field='partner_id', db_index=True, db_constraint=True, to_field='id', related_name='solutions', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='SpecialistApplication',
            name='member',
            field=fields.ForeignKeyField('models.Account', source_field='member_id', db_index=True, db_constraint=True, to_field='id', related_name='specialist_applications', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='SpecialistApplication',
            name='partner',
            field=fields.ForeignKeyField('models.Partner', source_field='partner_id', db_index=True, db_constraint=True, to_field='id', related_name='specialists', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='Task',
            name='account_manager',
            field=fields.ForeignKeyField('models.Account', source_field='account_manager_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='tasks', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterField(
            model_name='Task',
            name='customer',
            field=fields.ForeignKeyField('models.Customer', source_field='customer_id', db_index=True, db_constraint=True, to_field='id', related_name='tasks', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='Task',
            name='partner',
            field=fields.ForeignKeyField('models.Partner', source_field='partner_id', db_index=True, db_constraint=True, to_field='id', related_name='tasks', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='TaskDetail',
            name='task',
            field=fields.ForeignKeyField('models.Task', source_field='task_id', db_index=True, db_constraint=True, to_field='id', related_name='details', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='TaskHandlingRecord',
            name='actor',
            field=fields.ForeignKeyField('models.Account', source_field='actor_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='task_handling_records', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterField(
            model_name='TaskHandlingRecord',
            name='task',
            field=fields.ForeignKeyField('models.Task', source_field='task_id', db_index=True, db_constraint=True, to_field='id', related_name='handling_records', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='VerificationCode',
            name='account',
            field=fields.ForeignKeyField('models.Account', source_field='account_id', db_index=True, db_constraint=True, to_field='id', related_name='verification_codes', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='Withdrawal',
            name='requested_by',
            field=fields.ForeignKeyField('models.Account', source_field='requested_by_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='withdrawals', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterField(
            model_name='Withdrawal',
            name='reviewed_by',
            field=fields.ForeignKeyField('models.Account', source_field='reviewed_by_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='reviewed_withdrawals', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterField(
            model_name='Withdrawal',
            name='wallet',
            field=fields.ForeignKeyField('models.Wallet', source_field='wallet_id', db_index=True, db_constraint=True, to_field='id', related_name='withdrawals', on_delete=OnDelete.CASCADE),
        ),
    ]
