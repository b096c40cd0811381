"""Certificates (证书): a partner's program and development-path certificates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.base import DescribedEnum, created_at_field

if TYPE_CHECKING:
    from models.members import Account
    from models.partners import Partner



class CertificateKind(DescribedEnum):
    PROGRAM = "PROGRAM", "A partner program's certificate (计划证书)."
    DEVELOPMENT_PATH = "DEVELOPMENT_PATH", "A development path's certificate (发展路径证书)."


class Certificate(Model):
    """A certificate issued to a partner for a program it joined or a development path it holds."""

    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, unique=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="certificates", on_delete=fields.CASCADE, db_index=True)
    partner_id: int
    kind = fields.CharEnumField(CertificateKind)
    # The program code or the development-path identity it certifies.
    subject = fields.CharField(max_length=50)
    # Only this account downloads it: the one that joined the program.
    holder: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField("models.Account", related_name="certificates", null=True, on_delete=fields.SET_NULL, db_index=True)
    holder_id: int | None
    valid_from = fields.DatetimeField()
    valid_until = fields.DatetimeField(null=True)
    created_at = created_at_field()

    class Meta:
        table = "certificate"
        ordering = ["id"]
