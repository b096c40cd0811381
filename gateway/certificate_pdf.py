"""GET /certificates/<Certificate global ID>.pdf: a partner's certificate, rendered with reportlab;
served as every download is (gateway/downloads.py), to the account that joined the program only."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from gateway.downloads import Download
from gateway.invoicing_pdf import CJK_FONT, paragraph_text
from resolvers.certificates.queries import CertificateDocument, certificate_document, refuse_download
from resolvers.permissions.catalog import Permission


def render(data: CertificateDocument) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=25 * mm, rightMargin=25 * mm,
                                 topMargin=30 * mm, bottomMargin=25 * mm, title=f"Certificate {data.number}",
                                 author="Partner Gateway")
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=13, leading=18, alignment=1)
    title = ParagraphStyle("title", parent=body, fontName="Helvetica-Bold", fontSize=28, leading=34)
    name = ParagraphStyle("name", parent=body, fontName="Helvetica-Bold", fontSize=22, leading=28)
    subject = data.subject.replace("_", " ").title()
    until = f"{data.valid_until:%Y-%m-%d}" if data.valid_until else "no end date"
    document.build([
        Paragraph(f'Certificate <font name="{CJK_FONT}">证书</font>', title),
        Spacer(1, 12 * mm),
        Paragraph("This certifies that", body),
        Spacer(1, 4 * mm),
        Paragraph(paragraph_text(data.partner_name), name),
        Spacer(1, 4 * mm),
        Paragraph(f"is a member of the {escape(subject)} "
                  f"{'program' if data.kind.value == 'PROGRAM' else 'development path'}.", body),
        Spacer(1, 10 * mm),
        Paragraph(f"Valid from {data.valid_from:%Y-%m-%d} until {until}.", body),
        Paragraph(f"Certificate number <b>{escape(data.number)}</b> — verify it with "
                  f"<i>certificateVerification(number: \"{escape(data.number)}\")</i>.", body),
    ])
    return buffer.getvalue()


CERTIFICATE_PDF = Download(
    prefix="/certificates", node_type="Certificate", action="certificatePdf", what="certificates",
    readers=(Permission.CERTIFICATE_DOWNLOAD,), load=certificate_document, render=render,
    filename=lambda data: f"certificate-{data.number}.pdf", refuse=refuse_download,
)
