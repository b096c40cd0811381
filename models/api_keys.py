"""API keys that partner-built tools use to act as an account, narrowed to scopes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.base import created_at_field

if TYPE_CHECKING:
    from models.members import Account



class ApiKey(Model):
    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField("models.Account", related_name="api_keys", on_delete=fields.CASCADE, db_index=True)
    account_id: int
    name = fields.CharField(max_length=100)
    # The visible prefix identifies the key; only a hash of the whole secret is stored.
    prefix = fields.CharField(max_length=16, unique=True)
    secret_hash = fields.CharField(max_length=64)
    scopes: fields.JSONField[list[str]] = fields.JSONField(default=list)
    created_at = created_at_field()
    last_used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_key"
        ordering = ["id"]
