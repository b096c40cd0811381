"""Partner companies, their identities and the programs they joined."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.exceptions import ValidationError
from tortoise.models import Model

from models.base import DescribedEnum, created_at_field

if TYPE_CHECKING:
    from models.members import Account



class PartnerIdentity(DescribedEnum):
    DISTRIBUTOR = "DISTRIBUTOR", "Distributor (总经销商): manages resellers and gives them coupon quota."
    RESELLER = "RESELLER", "Cloud reseller (云经销商): invited and managed by one distributor."
    SOLUTION_PROVIDER = "SOLUTION_PROVIDER", "Solution provider (解决方案提供商)."
    SOFTWARE_PARTNER = "SOFTWARE_PARTNER", "Software partner development path."
    SERVICE_PARTNER = "SERVICE_PARTNER", "Service partner development path."
    CONSULTING_SI_PARTNER = "CONSULTING_SI_PARTNER", "Consulting and system-integration partner path."
    LEARNING_PARTNER = "LEARNING_PARTNER", "Learning partner development path."
    GOV_CLOUD_PARTNER = "GOV_CLOUD_PARTNER", "Government-cloud partner (政务云伙伴): issues pickup coupons."
    GOV_SUBSIDY_PARTNER = "GOV_SUBSIDY_PARTNER", "Government-subsidy partner (政府补贴类伙伴): issues cash coupons and vouchers."


class IdentityGroup(DescribedEnum):
    SALES = "SALES", "Distributors, resellers and solution providers."
    PATH = "PATH", "The development paths: software, service, consulting/SI and learning partners."
    GOV = "GOV", "Government-cloud and government-subsidy partners."


IDENTITY_GROUP: dict[PartnerIdentity, IdentityGroup] = {
    PartnerIdentity.DISTRIBUTOR: IdentityGroup.SALES,
    PartnerIdentity.RESELLER: IdentityGroup.SALES,
    PartnerIdentity.SOLUTION_PROVIDER: IdentityGroup.SALES,
    PartnerIdentity.SOFTWARE_PARTNER: IdentityGroup.PATH,
    PartnerIdentity.SERVICE_PARTNER: IdentityGroup.PATH,
    PartnerIdentity.CONSULTING_SI_PARTNER: IdentityGroup.PATH,
    PartnerIdentity.LEARNING_PARTNER: IdentityGroup.PATH,
    PartnerIdentity.GOV_CLOUD_PARTNER: IdentityGroup.GOV,
    PartnerIdentity.GOV_SUBSIDY_PARTNER: IdentityGroup.GOV,
}


class ProgramCode(DescribedEnum):
    SOLUTION_PROVIDER_PROGRAM = "SOLUTION_PROVIDER_PROGRAM", "The solution-provider program."
    DISTRIBUTION_PROGRAM = "DISTRIBUTION_PROGRAM", "The distribution program (distributors and their resellers)."
    YANXUAN_RESALE_PROGRAM = "YANXUAN_RESALE_PROGRAM", "The Yanxuan (严选) resale program."
    SERVICE_PARTNER_PROGRAM = "SERVICE_PARTNER_PROGRAM", "The service-partner development program."
    GOV_CLOUD_PROGRAM = "GOV_CLOUD_PROGRAM", "The government-cloud program."
    GOV_SUBSIDY_PROGRAM = "GOV_SUBSIDY_PROGRAM", "The government-subsidy program."


class RealNameStatus(DescribedEnum):
    UNVERIFIED = "UNVERIFIED", "Real-name verification not started."
    PENDING = "PENDING", "Real-name verification under review."
    VERIFIED = "VERIFIED", "Real-name verification passed."
    REJECTED = "REJECTED", "Real-name verification was rejected."


def validate_identities(value: list[str]) -> None:
    """docs/domain.md §2: at least one known identity; SOLUTION_PROVIDER and RESELLER never together."""
    if not value:
        raise ValidationError("a partner holds at least one identity")
    unknown = set(value) - {i.value for i in PartnerIdentity}
    if unknown:
        raise ValidationError(f"unknown identities {sorted(unknown)}")
    if {PartnerIdentity.SOLUTION_PROVIDER.value, PartnerIdentity.RESELLER.value} <= set(value):
        raise ValidationError("SOLUTION_PROVIDER and RESELLER are never held by the same partner")


class Partner(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200, unique=True)
    region = fields.CharField(max_length=64, db_index=True)
    # A partner holds one or more identities; kept as a JSON list of PartnerIdentity values.
    identities: fields.JSONField[list[str]] = fields.JSONField(default=list, validators=[validate_identities])
    verification_code_enabled = fields.BooleanField(default=False)
    real_name_status = fields.CharEnumField(RealNameStatus, default=RealNameStatus.UNVERIFIED)
    parent_distributor: fields.ForeignKeyNullableRelation[Partner] = fields.ForeignKeyField(
        "models.Partner", related_name="resellers", null=True, on_delete=fields.RESTRICT, db_index=True
    )
    parent_distributor_id: int | None
    pdm_contact = fields.CharField(max_length=200, default="")
    psa_contact = fields.CharField(max_length=200, default="")
    ecosystem_manager_contact = fields.CharField(max_length=200, default="")
    created_at = created_at_field()

    class Meta:
        table = "partner"
        ordering = ["id"]


class PartnerProgram(Model):
    id = fields.IntField(primary_key=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="programs", on_delete=fields.CASCADE, db_index=True)
    partner_id: int
    program = fields.CharEnumField(ProgramCode)
    joined_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(null=True)
    joined_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="joined_programs", null=True, on_delete=fields.SET_NULL, db_index=True
    )
    joined_by_id: int | None

    class Meta:
        table = "partner_program"
        unique_together = (("partner", "program"),)
