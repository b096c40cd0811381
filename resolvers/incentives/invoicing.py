"""The invoicing list (开票清单) of a payout application: what the partner invoices the platform for.

One line per bill the application draws on: the gross amount it takes splits into the amount before
tax and the VAT at the incentive's rate (service VAT, 6%); the partner's invoice is made out to the
platform's invoicing entity. The API shows the list as data; the gateway prints it as a PDF
(gateway/invoicing_pdf.py), both through the same scoped read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from models.incentives import IncentiveBill, IncentiveType, PayoutApplicationLine, PayoutMethod
from models.partners import Partner
from resolvers.incentives.queries import readable_payout_applications
from resolvers.permissions.catalog import Permission
from resolvers.principal import Principal

CENT = Decimal("0.01")
# Who reads an invoicing list (field and PDF alike): the partner who invoices, finance who reviews the invoice.
READERS = (Permission.INCENTIVE_INVOICE, Permission.INCENTIVE_PAYOUT_REVIEW)
TAX_RATE = Decimal("0.06")


@dataclass(frozen=True)
class InvoicingEntity:
    """Whom the partner's invoice is made out to."""

    name: str
    tax_id: str
    address: str
    bank: str
    account: str


PLATFORM_ENTITY = InvoicingEntity(
    name="Cloud Platform Services Co., Ltd.",
    tax_id="91440300MA5FKQ0X2L",
    address="Building 1, Cloud Park, Nanshan District, Shenzhen",
    bank="Bank of Cloud Commerce, Shenzhen Branch",
    account="4000 0230 0920 0012 345",
)


@dataclass(frozen=True)
class InvoicingLine:
    bill_id: int
    type: IncentiveType
    period: str
    amount: Decimal  # before tax
    tax_rate: Decimal
    tax: Decimal
    total: Decimal  # what the application takes from the bill


@dataclass(frozen=True)
class InvoicingList:
    application_id: int
    number: str
    method: PayoutMethod
    partner_name: str
    created_at: datetime
    entity: InvoicingEntity
    lines: tuple[InvoicingLine, ...]

    @property
    def amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def tax(self) -> Decimal:
        return sum((line.tax for line in self.lines), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal("0.00"))


def split(total: Decimal, rate: Decimal = TAX_RATE) -> tuple[Decimal, Decimal]:
    """A gross amount as (before tax, tax), in cents, adding up to it exactly."""
    before = (total / (1 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)
    return before, total - before


async def invoicing_list(principal: Principal, application_id: int) -> InvoicingList | None:
    """The list of an application the caller may read; None otherwise (another partner's is missing)."""
    return (await invoicing_lists(principal, [application_id]))[0]


async def invoicing_lists(principal: Principal, application_ids: Sequence[int]) -> list[InvoicingList | None]:
    """The lists of these applications, in their order (None where the caller may not read one):
    four statements however many (a page of applications asks for them together)."""
    applications = {a.id: a for a in await readable_payout_applications(principal).filter(id__in=list(application_ids))}
    lines = await PayoutApplicationLine.filter(application_id__in=list(applications)).order_by("id")
    bills = {b.id: b for b in await IncentiveBill.filter(id__in={line.bill_id for line in lines})}
    names = dict(await Partner.filter(id__in={a.partner_id for a in applications.values()}).values_list("id", "name"))
    printed: dict[int, list[InvoicingLine]] = {pk: [] for pk in applications}
    for line in lines:
        bill = bills[line.bill_id]
        before, tax = split(line.amount)
        printed[line.application_id].append(InvoicingLine(bill.id, bill.type, bill.period, before, TAX_RATE, tax, line.amount))
    return [
        InvoicingList(a.id, a.number, a.method, str(names[a.partner_id]), a.created_at, PLATFORM_ENTITY, tuple(printed[a.id]))
        if (a := applications.get(pk)) is not None else None
        for pk in application_ids
    ]
