"""Cloud-lab benefit applications (云实验) and their overview."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models import cloudlab as m
from resolvers.cloudlab.queries import Overview, readable_cloud_lab_applications, readable_cloud_lab_beneficiaries
from resolvers.members.queries import readable_accounts
from schema.enums import CloudLabStatus
from schema.members.types import Account
from schema.permissions.directive import PUBLIC
from schema.relay import ModelNode, children, connection_field, related_field


@strawberry.type(description="A bound member a cloud-lab application asks lab points for.", directives=[PUBLIC])
class CloudLabBeneficiary(ModelNode):
    model = m.CloudLabBeneficiary
    readable = readable_cloud_lab_beneficiaries

    points_credited: int = strawberry.field(description="The lab points credited to it; 0 until the benefit is issued.")

    account = related_field(Account, readable_accounts, "account_id", description="The bound member.")


@strawberry.type(description="An application for cloud-lab benefits (云实验) for bound members.", directives=[PUBLIC])
class CloudLabApplication(ModelNode):
    model = m.CloudLabApplication
    readable = readable_cloud_lab_applications

    status: CloudLabStatus = strawberry.field(description="Where it stands.")
    purpose: str = strawberry.field(description="What the labs are for.")
    points_per_member: int = strawberry.field(description="The lab points asked for each beneficiary.")
    rejection_reason: str = strawberry.field(description="Why it was rejected; empty otherwise.")
    created_at: datetime = strawberry.field(description="When it was submitted.")
    reviewed_at: datetime | None = strawberry.field(description="When the platform approved or rejected it.")
    issued_at: datetime | None = strawberry.field(description="When the lab points were credited.")

    applied_by = related_field(Account, readable_accounts, "applied_by_id", description="The admin who applied.")
    beneficiaries = connection_field(
        CloudLabBeneficiary, description="The bound members it asks points for.",
        rows=children(readable_cloud_lab_beneficiaries, "application_id"), default_order=("id",),
    )


@strawberry.type(description="How many applications stand in one status.", directives=[PUBLIC])
class CloudLabStatusCount:
    status: CloudLabStatus = strawberry.field(description="The status.")
    count: int = strawberry.field(description="How many applications are in it.")


@strawberry.type(description="The cloud-lab data overview (数据概览).", directives=[PUBLIC])
class CloudLabOverview:
    by_status: list[CloudLabStatusCount] = strawberry.field(description="Applications per status, every status listed.")
    points_issued: int = strawberry.field(description="Lab points credited by issued applications.")
    members_benefited: int = strawberry.field(description="Distinct members credited.")

    @classmethod
    def of(cls, overview: Overview) -> CloudLabOverview:
        return cls(by_status=[CloudLabStatusCount(status=s, count=n) for s, n in overview.by_status.items()],
                   points_issued=overview.points_issued, members_benefited=overview.members_benefited)
