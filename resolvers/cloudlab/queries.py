"""Cloud-lab applications (云实验) a caller may read, and their data overview."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.functions import Count, Sum

from models.cloudlab import CloudLabApplication, CloudLabBeneficiary, CloudLabStatus
from resolvers.permissions.catalog import Permission
from resolvers.principal import Principal
from resolvers.scoping import scoped

readable_cloud_lab_applications = scoped(CloudLabApplication, staff=Permission.CLOUDLAB_VIEW)
readable_cloud_lab_beneficiaries = scoped(CloudLabBeneficiary, tenant="application__partner_id", staff=Permission.CLOUDLAB_VIEW)


@dataclass(frozen=True, slots=True)
class Overview:
    by_status: dict[CloudLabStatus, int]
    points_issued: int
    members_benefited: int


async def overview(principal: Principal, partner_id: int) -> Overview:
    """Applications by status and the points issued, two aggregates in the database."""
    counted = await readable_cloud_lab_applications(principal).filter(partner_id=partner_id) \
        .annotate(n=Count("id")).group_by("status").values("status", "n")
    issued = await readable_cloud_lab_beneficiaries(principal).filter(
        application__partner_id=partner_id, application__status=CloudLabStatus.BENEFIT_ISSUED) \
        .annotate(points=Sum("points_credited"), members=Count("account_id", distinct=True)) \
        .group_by("application__partner_id").values("points", "members")
    by_status = {CloudLabStatus(row["status"]): row["n"] for row in counted}
    row = issued[0] if issued else {}
    return Overview({status: by_status.get(status, 0) for status in CloudLabStatus}, int(row.get("points") or 0),
                    int(row.get("members") or 0))


async def lab_points(account_id: int) -> int:
    found = await CloudLabBeneficiary.filter(account_id=account_id).annotate(points=Sum("points_credited")) \
        .group_by("account_id").values("points")
    return int(found[0]["points"] or 0) if found else 0
