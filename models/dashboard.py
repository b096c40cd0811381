"""Customer consumption (消费记录), what the operations dashboard (运营看板) adds up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.base import created_at_field, money_field

if TYPE_CHECKING:
    from models.customers import Customer
    from models.partners import Partner



class ConsumptionRecord(Model):
    """One customer's consumption of one product in one month, as billing reports it."""

    id = fields.IntField(primary_key=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="consumption", on_delete=fields.CASCADE, db_index=True)
    partner_id: int
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField("models.Customer", related_name="consumption", on_delete=fields.CASCADE, db_index=True)
    customer_id: int
    product = fields.CharField(max_length=100)
    month = fields.CharField(max_length=7, db_index=True)
    amount = money_field()
    # Yanxuan (严选) goods: consumption, but never performance (the price difference is all it earns).
    yanxuan = fields.BooleanField(default=False)
    created_at = created_at_field()

    class Meta:
        table = "consumption_record"
        ordering = ["id"]
        indexes = (("partner_id", "month"),)
