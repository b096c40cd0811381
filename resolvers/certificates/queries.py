"""Certificates (证书) a caller may read, the download's rule, and public verification by number.

Every member with `certificate.view` sees its partner's certificates; only the account that joined
the program (the certificate's holder) downloads one, and only with `certificate.download`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from models.certificates import Certificate, CertificateKind
from models.partners import Partner
from resolvers.permissions.catalog import Permission
from resolvers.principal import Principal
from resolvers.scoping import scoped

readable_certificates = scoped(Certificate, staff=Permission.CERTIFICATE_VIEW)
HOLDER_ONLY = "Only the account that joined the program downloads its certificate."


@dataclass(frozen=True, slots=True)
class CertificateDocument:
    number: str
    partner_name: str
    kind: CertificateKind
    subject: str
    valid_from: datetime
    valid_until: datetime | None
    holder_id: int | None

    @property
    def valid(self) -> bool:
        return self.valid_until is None or self.valid_until > datetime.now(UTC)


def _document(certificate: Certificate, partner_name: str) -> CertificateDocument:
    return CertificateDocument(certificate.number, partner_name, certificate.kind, certificate.subject,
                               certificate.valid_from, certificate.valid_until, certificate.holder_id)


async def certificate_document(principal: Principal, pk: int) -> CertificateDocument | None:
    """A certificate the caller may read, with what its PDF prints; None otherwise."""
    certificate = await readable_certificates(principal).get_or_none(id=pk)
    if certificate is None:
        return None
    partner = await Partner.get(id=certificate.partner_id)
    return _document(certificate, partner.name)


def refuse_download(principal: Principal, document: CertificateDocument) -> str | None:
    return None if document.holder_id == principal.account_id else HOLDER_ONLY


def may_download(principal: Principal, holder_id: int | None) -> bool:
    return principal.has(Permission.CERTIFICATE_DOWNLOAD) and holder_id == principal.account_id


async def verify(number: str) -> CertificateDocument | None:
    """Anyone may check a certificate number: what it certifies, to whom, until when."""
    if not 1 <= len(number) <= 32:
        return None
    certificate = await Certificate.get_or_none(number=number.strip().upper())
    if certificate is None:
        return None
    partner = await Partner.get(id=certificate.partner_id)
    return _document(certificate, partner.name)


def certificate_number(kind: CertificateKind, subject: str, partner_id: int, issued: datetime) -> str:
    """`PC` (program) or `DP` (development path), the issue date, the partner and the subject's initials."""
    prefix = "PC" if kind is CertificateKind.PROGRAM else "DP"
    initials = "".join(word[0] for word in subject.split("_"))[:4]
    return f"{prefix}{issued:%Y%m%d}{partner_id:06d}{initials}"
