"""GET /invoicing-lists/<PayoutApplication global ID>.pdf: a payout application's invoicing list
(开票清单), printable, rendered with reportlab; served as every download is (gateway/downloads.py),
under the permission of `PayoutApplication.invoicingList` (`incentive.invoice`)."""

from __future__ import annotations

import io
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from gateway.downloads import Download
from resolvers.incentives.invoicing import READERS, InvoicingList, invoicing_list

# Built into reportlab (Adobe's CID font, not embedded): CJK text such as partner names prints in any viewer.
CJK_FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def paragraph_text(value: str) -> str:
    """Paragraph markup for `value`: non-ASCII runs in the CJK font, the rest in Helvetica."""
    escaped = escape(value)
    return escaped if value.isascii() else f'<font name="{CJK_FONT}">{escaped}</font>'


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def render(data: InvoicingList) -> bytes:
    """The invoicing list as an A4 PDF."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                                 bottomMargin=18 * mm, title=f"Invoicing list {data.number}", author=data.entity.name)
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=9.5, leading=13)
    title = ParagraphStyle("title", parent=body, fontName="Helvetica-Bold", fontSize=16, leading=20)
    heading = ParagraphStyle("heading", parent=body, fontName="Helvetica-Bold", fontSize=11, leading=15)
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11)

    def para(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(text, style)

    entity = data.entity
    story = [
        para(f'Invoicing list <font name="{CJK_FONT}">开票清单</font>', title),
        Spacer(1, 4 * mm),
        para(f"Payout application: <b>{escape(data.number)}</b>"),
        para(f"Partner: {paragraph_text(data.partner_name)}"),
        para(f"Payout method: {data.method.value}"),
        para(f"Applied: {data.created_at:%Y-%m-%d}"),
        Spacer(1, 5 * mm),
        para("Make the invoice out to", heading),
        para(paragraph_text(entity.name)),
        para(f"Taxpayer ID: {escape(entity.tax_id)}"),
        para(f"Address: {paragraph_text(entity.address)}"),
        para(f"Bank: {paragraph_text(entity.bank)}, account {escape(entity.account)}"),
        Spacer(1, 5 * mm),
    ]
    rows: list[list[object]] = [["#", "Incentive type", "Period", "Amount", "Tax rate", "Tax", "Total"]]
    for number, line in enumerate(data.lines, start=1):
        rows.append([str(number), para(line.type.value, cell), line.period, _money(line.amount),
                     f"{line.tax_rate * 100:.0f}%", _money(line.tax), _money(line.total)])
    rows.append(["Total", "", "", _money(data.amount), "", _money(data.tax), _money(data.total)])
    table = Table(rows, colWidths=[16 * mm, 46 * mm, 18 * mm, 26 * mm, 16 * mm, 24 * mm, 28 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), "Helvetica", 8.5),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
        ("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF7")),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
        ("GRID", (0, 0), (-1, -2), 0.25, colors.grey),
        ("ALIGN", (3, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    story += [table, Spacer(1, 5 * mm),
              para(f"Invoice the total of {_money(data.total)} CNY (VAT included) and quote the application number "
                   f"{escape(data.number)} on the invoice.")]
    document.build(story)
    return buffer.getvalue()


INVOICING_LIST_PDF = Download(
    prefix="/invoicing-lists", node_type="PayoutApplication", action="invoicingListPdf", what="invoicing lists",
    readers=READERS, load=invoicing_list, render=render, filename=lambda data: f"invoicing-list-{data.number}.pdf",
)
