"""Certificates (证书): what a partner's members see, and what anyone may verify."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay

from models import certificates as m
from resolvers.certificates.queries import CertificateDocument, may_download, readable_certificates
from resolvers.members.queries import readable_accounts
from schema.enums import CertificateKind
from schema.members.types import Account
from schema.permissions.directive import PUBLIC
from schema.relay import ModelNode, related_field
from schema.selection import reads


@strawberry.type(description="A certificate (证书) for a program the partner joined or a development path it holds.",
                 directives=[PUBLIC])
class Certificate(ModelNode):
    model = m.Certificate
    readable = readable_certificates

    number: str = strawberry.field(description="The certificate number; anyone may verify it (certificateVerification).")
    kind: CertificateKind = strawberry.field(description="A program or a development-path certificate.")
    subject: str = strawberry.field(description="The program (`DISTRIBUTION_PROGRAM`, …) or development path it certifies.")
    valid_from: datetime = strawberry.field(description="When it became valid.")
    valid_until: datetime | None = strawberry.field(description="When it stops being valid; null if it does not.")

    holder = related_field(Account, readable_accounts, "holder_id",
                           description="The account that joined the program: the only one that downloads it.")

    @strawberry.field(description="Whether you may download it: you hold `certificate.download` and joined the program.",
                      metadata=reads("holder_id"))
    def downloadable(self, root: strawberry.Parent[m.Certificate], info: strawberry.Info) -> bool:
        return may_download(info.context.principal, root.holder_id)

    @strawberry.field(description="Where its PDF downloads (GET, with your credentials), for the holder.",
                      metadata=reads("id"))
    def download_path(self, root: strawberry.Parent[m.Certificate]) -> str:
        return f"/certificates/{relay.GlobalID('Certificate', str(root.id))}.pdf"


@strawberry.type(description="What a certificate number certifies.", directives=[PUBLIC])
class CertificateVerification:
    number: str = strawberry.field(description="The certificate number.")
    partner_name: str = strawberry.field(description="The partner it was issued to.")
    kind: CertificateKind = strawberry.field(description="A program or a development-path certificate.")
    subject: str = strawberry.field(description="What it certifies.")
    valid_from: datetime = strawberry.field(description="When it became valid.")
    valid_until: datetime | None = strawberry.field(description="When it stops being valid; null if it does not.")
    valid: bool = strawberry.field(description="Whether it is valid now.")

    @classmethod
    def of(cls, document: CertificateDocument) -> CertificateVerification:
        return cls(number=document.number, partner_name=document.partner_name, kind=document.kind, subject=document.subject,
                   valid_from=document.valid_from, valid_until=document.valid_until, valid=document.valid)
