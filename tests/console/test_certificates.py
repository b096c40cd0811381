"""Certificates on SQLite and PostgreSQL: members with certificate.view see them; only the account
that joined the program downloads the PDF (another admin of the same partner is refused, nothing
served); a certificate number is verifiable by anyone."""

from __future__ import annotations

import io

import httpx
from pypdf import PdfReader

from models.audit import AuditOutcome, AuditRecord
from models.certificates import Certificate, CertificateKind
from models.members import PresetRole
from models.partners import PartnerProgram
from tests.callers import Caller
from tests.factories import create_member, partner_named
from tests.graphql import GraphQLClient, gid

CERTIFICATES = """{ viewer { partner { certificates(first: 20) { nodes { id number kind subject validFrom validUntil
  holder { name } downloadable downloadPath } } } } }"""
VERIFY = "query($n: String!) { certificateVerification(number: $n) { number partnerName kind subject valid validUntil } }"


def _get(gql: GraphQLClient, path: str, account: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {gql.token(account)}"} if account else {}
    return gql.http.get(path, headers=headers)


async def test_members_see_the_certificates(as_distributor_admin: Caller, as_distributor_sa: Caller,
                                            as_distributor_finance: Caller) -> None:
    northwind = await partner_named("Northwind Distribution")
    shown = (await as_distributor_sa.query(CERTIFICATES)).ok()["viewer"]["partner"]["certificates"]["nodes"]
    programs = await PartnerProgram.filter(partner_id=northwind.id)
    assert {c["subject"] for c in shown if c["kind"] == "PROGRAM"} == {p.program.value for p in programs}
    assert all(c["holder"] is None or c["holder"]["name"] for c in shown)
    assert not any(c["downloadable"] for c in shown)  # the SA did not join a program
    admin = (await as_distributor_admin.query(CERTIFICATES)).ok()["viewer"]["partner"]["certificates"]["nodes"]
    assert all(c["downloadable"] for c in admin if c["kind"] == "PROGRAM")
    # The finance specialist holds no certificate.view.
    assert (await as_distributor_finance.query(CERTIFICATES)).codes == ["FORBIDDEN"]


async def test_only_the_joining_account_downloads(gql: GraphQLClient, as_distributor_admin: Caller) -> None:
    northwind = await partner_named("Northwind Distribution")
    certificate = await Certificate.filter(partner_id=northwind.id, kind=CertificateKind.PROGRAM).first()
    assert certificate is not None
    path = f"/certificates/{gid('Certificate', certificate.id)}.pdf"
    holder = await _get(gql, path, "distributor.admin")
    assert holder.status_code == 200 and holder.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(holder.content)).pages)
    assert certificate.number in text and "Northwind Distribution" in text and "Distribution Program" in text

    # Another admin of the same partner holds certificate.download, but did not join: 403, no PDF.
    sysadmin = await _get(gql, path, "distributor.sysadmin")
    assert sysadmin.status_code == 403 and sysadmin.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert b"%PDF" not in sysadmin.content
    assert await AuditRecord.filter(action="certificatePdf", outcome=AuditOutcome.DENIED, target=path).exists()
    # Another partner's certificate is missing to it; so is a wrong ID; no credentials: 401.
    assert (await _get(gql, path, "provider.admin")).status_code == 404
    assert (await _get(gql, f"/certificates/{gid('Certificate', 2_000_000_000)}.pdf", "distributor.admin")).status_code == 404
    assert (await _get(gql, "/certificates/nonsense.pdf", "distributor.admin")).status_code == 404
    assert (await _get(gql, path, None)).status_code == 401
    # A member without certificate.download: 403 before any lookup.
    engineer = await create_member(northwind, PresetRole.FINANCE_SPECIALIST)
    assert (await _get(gql, path, engineer.name)).status_code == 403


async def test_anyone_verifies_a_number(as_person_alice: Caller, as_customer_acme: Caller) -> None:
    certificate = await Certificate.filter(kind=CertificateKind.PROGRAM).order_by("id").first()
    assert certificate is not None
    for caller in (as_person_alice, as_customer_acme):
        found = (await caller.query(VERIFY, {"n": certificate.number.lower()})).ok()["certificateVerification"]
        assert found["number"] == certificate.number and found["kind"] == "PROGRAM"
    for nonsense in ("", "X" * 40, "PC00000000000000ZZ", "'; DROP TABLE certificate; --"):
        assert (await as_person_alice.query(VERIFY, {"n": nonsense})).ok()["certificateVerification"] is None
