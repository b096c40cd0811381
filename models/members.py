"""People who call the gateway: partner accounts, personal accounts, staff; and partner roles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.base import DescribedEnum, created_at_field

if TYPE_CHECKING:
    from models.partners import Partner



class AccountKind(DescribedEnum):
    MAIN_ACCOUNT = "MAIN_ACCOUNT", "The partner's main account (伙伴主账号): its super administrator."
    ORGANISATION_MEMBER = "ORGANISATION_MEMBER", "An organisation member (组织成员) created by a partner administrator."
    BOUND_MEMBER = "BOUND_MEMBER", "A personal account bound to the partner by an accepted invitation (伙伴成员)."
    PERSONAL = "PERSONAL", "A personal cloud account not bound to any partner."
    STAFF = "STAFF", "The platform's own staff."
    CUSTOMER = "CUSTOMER", "A customer's cloud account: sees only its own associations with partners."


class AccountStatus(DescribedEnum):
    ACTIVE = "ACTIVE", "The account may sign in."
    DISABLED = "DISABLED", "The account is disabled and refused at sign-in."


class StaffRole(DescribedEnum):
    PDM = "PDM", "Solution owner: lists co-sale products."
    ECOSYSTEM_MANAGER = "ECOSYSTEM_MANAGER", "Ecosystem manager (生态经理): experts, renames, special requests."
    OPERATIONS = "OPERATIONS", "Operations (运营人员): coupon quotas, reviews, countersigning."
    FINANCE = "FINANCE", "Finance (华为财经): pays incentives, audits invoices."


class PresetRole(DescribedEnum):
    SYSTEM_ADMIN = "SYSTEM_ADMIN", "System administrator: every permission the partner's identities allow; never combined."
    ACCOUNT_MANAGER = "ACCOUNT_MANAGER", "Account manager: own customers, their consumption and their tasks."
    ACCOUNT_MANAGER_SUPERVISOR = "ACCOUNT_MANAGER_SUPERVISOR", "Supervises account managers and sees what they see."
    SA_SPECIALIST = "SA_SPECIALIST", "Solution-architect specialist: solutions and co-sale."
    FINANCE_SPECIALIST = "FINANCE_SPECIALIST", "Finance specialist: account, incentives, invoices, coupon views."


class Account(Model):
    id = fields.IntField(primary_key=True)
    # The sign-in name is immutable once created.
    name = fields.CharField(max_length=100, unique=True)
    display_name = fields.CharField(max_length=200)
    email = fields.CharField(max_length=254, default="")
    mobile = fields.CharField(max_length=32, default="")
    # What those who may not see them see; the database keeps them (models/contact_masks.py).
    email_masked = fields.CharField(max_length=258, default="***", db_default="***")
    mobile_masked = fields.CharField(max_length=40, default="***", db_default="***")
    kind = fields.CharEnumField(AccountKind, db_index=True)
    status = fields.CharEnumField(AccountStatus, default=AccountStatus.ACTIVE)
    partner: fields.ForeignKeyNullableRelation[Partner] = fields.ForeignKeyField(
        "models.Partner", related_name="accounts", null=True, on_delete=fields.RESTRICT, db_index=True
    )
    partner_id: int | None
    staff_role = fields.CharEnumField(StaffRole, null=True)
    supervisor: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="supervised", null=True, on_delete=fields.SET_NULL, db_index=True
    )
    supervisor_id: int | None
    roles: fields.ManyToManyRelation[Role] = fields.ManyToManyField("models.Role", related_name="accounts", through="account_role")
    created_at = created_at_field()

    class Meta:
        table = "account"
        ordering = ["id"]


class Role(Model):
    """A preset role (``preset`` set, one row per preset, shared) or a partner's custom role."""

    id = fields.IntField(primary_key=True)
    partner: fields.ForeignKeyNullableRelation[Partner] = fields.ForeignKeyField(
        "models.Partner", related_name="custom_roles", null=True, on_delete=fields.CASCADE, db_index=True
    )
    partner_id: int | None
    preset = fields.CharEnumField(PresetRole, null=True, unique=True)
    name = fields.CharField(max_length=100)
    description = fields.CharField(max_length=500, default="")
    # Permission codes granted by a custom role; presets derive theirs from the catalog.
    permissions: fields.JSONField[list[str]] = fields.JSONField(default=list)
    created_at = created_at_field()

    accounts: fields.ManyToManyRelation[Account]

    class Meta:
        table = "role"
        ordering = ["id"]
        unique_together = (("partner", "name"),)
