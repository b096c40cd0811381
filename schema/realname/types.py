"""Real-name verification information (实名认证)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models.realname import RealNameVerification
from resolvers.realname.queries import mask_certificate_number
from schema.enums import RealNameStatus, RealNameType
from schema.permissions.directive import PUBLIC


@strawberry.type(description="A real-name verification (实名认证): a company's or a person's.", directives=[PUBLIC])
class RealNameInfo:
    type: RealNameType = strawberry.field(description="Enterprise or individual verification.")
    verified_name: str = strawberry.field(description="The name verified.")
    certificate_number: str = strawberry.field(description="The certificate (licence or ID) number, masked: its first and "
                                                           "last two characters.")
    status: RealNameStatus = strawberry.field(description="Where the verification stands.")
    verified_at: datetime | None = strawberry.field(description="When it was verified; null until it is.")

    @classmethod
    def of(cls, row: RealNameVerification | None) -> RealNameInfo | None:
        if row is None:
            return None
        return cls(type=row.type, verified_name=row.verified_name, certificate_number=mask_certificate_number(row.certificate_number),
                   status=row.status, verified_at=row.verified_at)
