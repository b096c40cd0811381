"""Solutions and their co-sale product listings (联合销售商品)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.base import DescribedEnum, created_at_field

if TYPE_CHECKING:
    from models.partners import Partner



class SolutionStatus(DescribedEnum):
    DRAFT = "DRAFT", "Being written; not visible to customers."
    PUBLISHED = "PUBLISHED", "Published."
    ARCHIVED = "ARCHIVED", "Withdrawn from use."


class CoSaleStatus(DescribedEnum):
    REQUESTED = "REQUESTED", "The partner asked for a co-sale listing."
    LISTED = "LISTED", "The PDM listed the product for co-sale."
    REJECTED = "REJECTED", "The PDM rejected the listing, with a reason."
    DELISTED = "DELISTED", "Listed earlier, now delisted."


class Solution(Model):
    id = fields.IntField(primary_key=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="solutions", on_delete=fields.CASCADE, db_index=True)
    partner_id: int
    name = fields.CharField(max_length=200)
    summary = fields.CharField(max_length=2000, default="")
    industries: fields.JSONField[list[str]] = fields.JSONField(default=list)
    status = fields.CharEnumField(SolutionStatus, default=SolutionStatus.DRAFT, db_index=True)
    pdm_contact = fields.CharField(max_length=200, default="")
    created_at = created_at_field()
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "solution"
        ordering = ["id"]


class CoSaleProduct(Model):
    id = fields.IntField(primary_key=True)
    solution: fields.ForeignKeyRelation[Solution] = fields.ForeignKeyField("models.Solution", related_name="co_sale_products", on_delete=fields.CASCADE, db_index=True)
    solution_id: int
    name = fields.CharField(max_length=200)
    status = fields.CharEnumField(CoSaleStatus, default=CoSaleStatus.REQUESTED, db_index=True)
    rejection_reason = fields.CharField(max_length=500, default="")
    requested_at = fields.DatetimeField()
    listed_at = fields.DatetimeField(null=True)
    delisted_at = fields.DatetimeField(null=True)
    created_at = created_at_field()

    class Meta:
        table = "co_sale_product"
        ordering = ["id"]
