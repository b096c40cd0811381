"""Invoicing lists (开票清单): as data, and as a PDF for the application's owner only."""

from __future__ import annotations

import base64
import io
from decimal import Decimal
from urllib.parse import quote, unquote

import httpx
from pypdf import PdfReader

from models.audit import AuditOutcome
from resolvers.incentives.invoicing import split
from tests.audit_log import audit_count
from tests.factories import create_incentive_bill
from tests.graphql import GraphQLClient, gid
from tests.incentives.documents import INVOICING_LIST
from tests.incentives.support import apply

LATTICE = "Lattice Solutions"


def test_a_gross_amount_splits_into_amount_and_tax_that_add_up():
    for gross in ("0.01", "1.00", "106.00", "1200.00", "99999.99", "333.33"):
        before, tax = split(Decimal(gross))
        assert before + tax == Decimal(gross) and before.as_tuple().exponent == -2
    assert split(Decimal("106.00")) == (Decimal("100.00"), Decimal("6.00"))


async def invoiced(caller) -> tuple[dict, dict]:
    """An application over two bills (all of one, part of the other) and its invoicing list."""
    first = await create_incentive_bill(LATTICE, amount="1060.00")
    second = await create_incentive_bill(LATTICE, amount="530.00")
    application = (await apply(caller, first, (second, "212.00")))["application"]
    data = (await caller.query(INVOICING_LIST, {"id": application["id"]})).ok()["node"]["invoicingList"]
    return application, data


async def test_the_list_shows_each_bill_with_its_tax(as_provider_admin):
    application, data = await invoiced(as_provider_admin)
    assert data["number"] == application["number"] and data["entity"]["name"]
    assert [(line["amount"]["amount"], line["tax"]["amount"], line["total"]["amount"], line["taxRate"]) for line in data["lines"]] == [
        ("1000.00", "60.00", "1060.00", "0.06"), ("200.00", "12.00", "212.00", "0.06")]
    assert (data["amount"]["amount"], data["tax"]["amount"], data["total"]["amount"]) == ("1200.00", "72.00", "1272.00")


async def test_the_pdf_downloads_for_its_owner_only(gql: GraphQLClient, as_provider_admin):
    application, data = await invoiced(as_provider_admin)
    number = application["number"]
    http: httpx.AsyncClient = gql.http

    def get(path: str, account: str | None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {gql.token(account)}"} if account else {}
        return http.get(path, headers=headers)

    owner = await get(data["pdfPath"], "provider.admin")
    assert owner.status_code == 200 and owner.headers["content-type"] == "application/pdf"
    assert number in owner.headers["content-disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(owner.content)).pages)
    assert number in text and "1,272.00" in text and data["entity"]["taxId"] in text
    # The partner's finance specialist may invoice too.
    assert (await get(data["pdfPath"], "provider.am")).status_code == 200

    foreign = await get(data["pdfPath"], "distributor.admin")
    missing = await get(f"/invoicing-lists/{gid('PayoutApplication', 2_000_000_000)}.pdf", "provider.admin")
    wrong_type = await get(f"/invoicing-lists/{gid('IncentiveBill', 1)}.pdf", "provider.admin")
    garbage = await get("/invoicing-lists/not-an-id.pdf", "provider.admin")
    pk = data["pdfPath"]  # the same row spelled another way is no ID: digits only
    own_pk = base64.b64decode(unquote(pk.removeprefix("/invoicing-lists/").removesuffix(".pdf"))).decode().split(":")[1]
    spelled = [await get(f"/invoicing-lists/{quote(base64.b64encode(f'PayoutApplication:{alias}'.encode()).decode(), safe='')}.pdf",
                         "provider.admin") for alias in (f" {own_pk}", f"+{own_pk}", f"{own_pk}\n")]
    for refused in (foreign, missing, wrong_type, garbage, *spelled):
        assert refused.status_code == 404 and refused.json() == foreign.json()
    assert foreign.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    unauthorised = await get(data["pdfPath"], "provider.sa")  # a member without incentive.invoice
    assert unauthorised.status_code == 403 and unauthorised.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await audit_count("invoicingListPdf", AuditOutcome.DENIED, "provider.sa") >= 1
    for headers in ({}, {"Accept": "text/html"}):  # a browser gets no page here, unlike /graphql
        anonymous = await http.get(data["pdfPath"], headers=headers)
        assert anonymous.status_code == 401 and anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_finance_staff_read_and_print_the_list_they_review(gql: GraphQLClient, as_provider_admin, as_staff_finance):
    application, data = await invoiced(as_provider_admin)
    number = application["number"]
    seen = (await as_staff_finance.query(INVOICING_LIST, {"id": application["id"]})).ok()["node"]["invoicingList"]
    assert seen == data
    printed = await gql.http.get(data["pdfPath"], headers={"Authorization": f"Bearer {gql.token('staff.finance')}"})
    assert printed.status_code == 200 and number in "".join(p.extract_text() for p in PdfReader(io.BytesIO(printed.content)).pages)
    # Operations staff read incentives but review no invoices.
    refused = await gql.http.get(data["pdfPath"], headers={"Authorization": f"Bearer {gql.token('staff.operations')}"})
    assert refused.status_code == 403
