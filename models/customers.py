"""Customers associated with a partner (子客户), on-behalf authorization and orders, disassociation,
association records, and the enterprise profiles of customer insight (企业百科)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.base import DescribedEnum, created_at_field, money_field
from models.incentives import BillingMode
from models.partners import RealNameStatus

if TYPE_CHECKING:
    from models.members import Account
    from models.partners import Partner



class AssociationType(DescribedEnum):
    RESALE = "RESALE", "Resale customer: the partner sells to it and may issue coupons."
    REFERRAL = "REFERRAL", "Referral customer: the partner referred it."


class CustomerKind(DescribedEnum):
    ENTERPRISE = "ENTERPRISE", "A company: it may have an enterprise profile (企业百科)."
    INDIVIDUAL = "INDIVIDUAL", "A person."


class CustomerStatus(DescribedEnum):
    ASSOCIATED = "ASSOCIATED", "Associated with the partner."
    DISASSOCIATED = "DISASSOCIATED", "No longer associated; kept for its history."


class AuthorizationScope(DescribedEnum):
    PLACE_ORDERS = "PLACE_ORDERS", "Order yearly/monthly and on-demand resources on the customer's behalf (代下单)."
    OPERATE_RESOURCES = "OPERATE_RESOURCES", "Operate the customer's resources on its behalf (代运维)."


class AuthorizationStatus(DescribedEnum):
    REQUESTED = "REQUESTED", "Requested by the partner; waiting for the customer."
    AUTHORIZED = "AUTHORIZED", "Granted by the customer."
    REJECTED = "REJECTED", "Rejected by the customer."
    CANCELLED = "CANCELLED", "Cancelled by the customer after granting it; no new orders."


class DisassociationRequestStatus(DescribedEnum):
    PENDING = "PENDING", "Asked by the customer; waiting for the partner admin."
    APPROVED = "APPROVED", "The partner admin disassociated the customer."
    REJECTED = "REJECTED", "The partner admin declined, with a reason."


class AssociationOperation(DescribedEnum):
    ASSOCIATED = "ASSOCIATED", "The customer was associated with the partner."
    ACCOUNT_MANAGER_CHANGED = "ACCOUNT_MANAGER_CHANGED", "The customer's account manager was assigned, changed or removed."
    TYPE_SWITCHED = "TYPE_SWITCHED", "The association type was switched (RESALE ↔ REFERRAL)."
    DISASSOCIATED = "DISASSOCIATED", "The partner disassociated the customer."
    DISASSOCIATION_REQUESTED = "DISASSOCIATION_REQUESTED", "The customer asked to be disassociated."
    DISASSOCIATION_REJECTED = "DISASSOCIATION_REJECTED", "The partner admin declined the customer's request."


class Customer(Model):
    id = fields.IntField(primary_key=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="customers", on_delete=fields.CASCADE, db_index=True)
    partner_id: int
    name = fields.CharField(max_length=200)
    association_type = fields.CharEnumField(AssociationType, db_index=True)
    account_manager: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="managed_customers", null=True, on_delete=fields.SET_NULL, db_index=True
    )
    account_manager_id: int | None
    real_name_status = fields.CharEnumField(RealNameStatus, default=RealNameStatus.UNVERIFIED)
    # Government partners may only issue coupons to whitelisted customers.
    whitelisted = fields.BooleanField(default=False)
    associated_at = fields.DatetimeField()
    kind = fields.CharEnumField(CustomerKind, default=CustomerKind.ENTERPRISE)
    status = fields.CharEnumField(CustomerStatus, default=CustomerStatus.ASSOCIATED, db_index=True)
    disassociated_at = fields.DatetimeField(null=True)
    # The customer's own cloud account, which signs in as a CUSTOMER principal.
    customer_account: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="customer_associations", null=True, on_delete=fields.SET_NULL, db_index=True
    )
    customer_account_id: int | None
    enterprise: fields.ForeignKeyNullableRelation[EnterpriseProfile] = fields.ForeignKeyField(
        "models.EnterpriseProfile", related_name="customers", null=True, on_delete=fields.SET_NULL, db_index=True
    )
    enterprise_id: int | None
    created_at = created_at_field()

    class Meta:
        table = "customer"
        ordering = ["id"]


class OnBehalfAuthorization(Model):
    """An on-behalf authorization (代下单授权) a partner asked of a resale customer."""

    id = fields.IntField(primary_key=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="on_behalf_authorizations", on_delete=fields.CASCADE, db_index=True)
    partner_id: int
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField("models.Customer", related_name="authorizations", on_delete=fields.CASCADE, db_index=True)
    customer_id: int
    scopes: fields.JSONField[list[str]] = fields.JSONField(default=list)
    status = fields.CharEnumField(AuthorizationStatus, default=AuthorizationStatus.REQUESTED, db_index=True)
    message = fields.CharField(max_length=500, default="")
    requested_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField("models.Account", related_name="requested_authorizations", null=True, on_delete=fields.SET_NULL, db_index=True)
    requested_by_id: int | None
    responded_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField("models.Account", related_name="answered_authorizations", null=True, on_delete=fields.SET_NULL, db_index=True)
    responded_by_id: int | None
    requested_at = fields.DatetimeField()
    responded_at = fields.DatetimeField(null=True)
    cancelled_at = fields.DatetimeField(null=True)
    cancel_reason = fields.CharField(max_length=500, default="")
    # Every order takes the authorization's row by counting itself here, so a cancellation that
    # committed first stops it; the count frozen at cancellation is what the history shows.
    orders_placed = fields.IntField(default=0)
    orders_at_cancellation = fields.IntField(null=True)
    created_at = created_at_field()

    class Meta:
        table = "on_behalf_authorization"
        ordering = ["id"]


class OnBehalfOrder(Model):
    """An order a partner member placed on a customer's behalf (代下单)."""

    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, unique=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="on_behalf_orders", on_delete=fields.CASCADE, db_index=True)
    partner_id: int
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField("models.Customer", related_name="on_behalf_orders", on_delete=fields.CASCADE, db_index=True)
    customer_id: int
    authorization: fields.ForeignKeyRelation[OnBehalfAuthorization] = fields.ForeignKeyField("models.OnBehalfAuthorization", related_name="orders", on_delete=fields.CASCADE, db_index=True)
    authorization_id: int
    product_code = fields.CharField(max_length=64, db_index=True)
    product_name = fields.CharField(max_length=200)
    billing_mode = fields.CharEnumField(BillingMode, db_index=True)
    period_months = fields.IntField(null=True)
    quantity = fields.IntField(default=1)
    amount = money_field()
    placed_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField("models.Account", related_name="placed_on_behalf_orders", null=True, on_delete=fields.SET_NULL, db_index=True)
    placed_by_id: int | None
    placed_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "on_behalf_order"
        ordering = ["id"]


class DisassociationRequest(Model):
    """A customer's request to end its association with a partner."""

    id = fields.IntField(primary_key=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="disassociation_requests", on_delete=fields.CASCADE, db_index=True)
    partner_id: int
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField("models.Customer", related_name="disassociation_requests", on_delete=fields.CASCADE, db_index=True)
    customer_id: int
    reason = fields.CharField(max_length=500)
    status = fields.CharEnumField(DisassociationRequestStatus, default=DisassociationRequestStatus.PENDING, db_index=True)
    response = fields.CharField(max_length=500, default="")
    requested_at = fields.DatetimeField(db_index=True)
    handled_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField("models.Account", related_name="handled_disassociation_requests", null=True, on_delete=fields.SET_NULL, db_index=True)
    handled_by_id: int | None
    handled_at = fields.DatetimeField(null=True)

    class Meta:
        table = "disassociation_request"
        ordering = ["id"]


class AssociationRecord(Model):
    """An association operation record (关联关系操作记录): append-only."""

    id = fields.IntField(primary_key=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="association_records", on_delete=fields.CASCADE, db_index=True)
    partner_id: int
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField("models.Customer", related_name="association_records", on_delete=fields.CASCADE, db_index=True)
    customer_id: int
    operation = fields.CharEnumField(AssociationOperation, db_index=True)
    operator: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField("models.Account", related_name="association_records", null=True, on_delete=fields.SET_NULL, db_index=True)
    operator_id: int | None
    before = fields.CharField(max_length=200, default="")
    after = fields.CharField(max_length=200, default="")
    detail = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "association_record"
        ordering = ["id"]


class EnterpriseProfile(Model):
    """An enterprise's public profile (企业百科), from the platform's business data."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200, unique=True)
    credit_code = fields.CharField(max_length=18, unique=True)
    legal_representative = fields.CharField(max_length=100, default="")
    registered_capital = fields.CharField(max_length=64, default="")
    founded_on = fields.DateField(null=True)
    national_industry = fields.CharField(max_length=100, default="")
    cloud_industry = fields.CharField(max_length=100, default="")
    address = fields.CharField(max_length=300, default="")
    website = fields.CharField(max_length=200, default="")
    wallet_size_band = fields.CharField(max_length=32, default="")
    cloud_activity = fields.CharField(max_length=32, default="")
    current_service_provider = fields.CharField(max_length=200, default="")
    # Lists of small records: [{"round", "amount", "date", "investors"}], …; read whole, never queried.
    financing: fields.JSONField[list[dict]] = fields.JSONField(default=list)
    products: fields.JSONField[list[str]] = fields.JSONField(default=list)
    brands: fields.JSONField[list[str]] = fields.JSONField(default=list)
    rankings: fields.JSONField[list[dict]] = fields.JSONField(default=list)
    software_copyrights: fields.JSONField[list[dict]] = fields.JSONField(default=list)
    patents: fields.JSONField[list[dict]] = fields.JSONField(default=list)
    created_at = created_at_field()

    class Meta:
        table = "enterprise_profile"
        ordering = ["id"]


class Prospect(Model):
    """An enterprise a partner registered as its prospect (报备客户)."""

    id = fields.IntField(primary_key=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="prospects", on_delete=fields.CASCADE, db_index=True)
    partner_id: int
    enterprise: fields.ForeignKeyRelation[EnterpriseProfile] = fields.ForeignKeyField("models.EnterpriseProfile", related_name="prospects", on_delete=fields.CASCADE, db_index=True)
    enterprise_id: int
    registered_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField("models.Account", related_name="registered_prospects", null=True, on_delete=fields.SET_NULL, db_index=True)
    registered_by_id: int | None
    note = fields.CharField(max_length=500, default="")
    created_at = created_at_field()

    class Meta:
        table = "prospect"
        ordering = ["id"]
        unique_together = (("partner", "enterprise"),)
