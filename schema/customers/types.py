"""Customers (子客户) and what hangs off them: on-behalf authorizations and orders, disassociation
requests, association records, and the enterprise profiles of customer insight (企业百科)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from models import customers as m
from resolvers.customers.pickup_coupons import HeldCoupon
from resolvers.customers.queries import (
    readable_association_records,
    readable_authorizations,
    readable_customers,
    readable_disassociation_requests,
    readable_enterprises,
    readable_on_behalf_orders,
    readable_prospects,
)
from resolvers.members.queries import readable_accounts
from resolvers.partners.queries import readable_partners
from resolvers.permissions.catalog import Permission
from schema.customers.inputs import (
    AssociationRecordFilter,
    AssociationRecordOrder,
    AuthorizationFilter,
    AuthorizationOrder,
    OnBehalfOrderFilter,
    OnBehalfOrderOrder,
)
from schema.enums import (
    AssociationOperation,
    AssociationType,
    AuthorizationScope,
    AuthorizationStatus,
    BillingMode,
    CouponStatus,
    CustomerKind,
    CustomerStatus,
    DisassociationRequestStatus,
    RealNameStatus,
)
from schema.members.types import Account
from schema.permissions.directive import PUBLIC
from schema.relay import ModelNode, children, connection_field, related_field
from schema.scalars import Money, money_field
from schema.selection import reads
from schema.sql_values import as_stored

if TYPE_CHECKING:
    from schema.partners.types import Partner

PartnerRef = Annotated["Partner", strawberry.lazy("schema.partners.types")]
AuthorizationRef = Annotated["OnBehalfAuthorization", strawberry.lazy("schema.customers.types")]
EnterpriseRef = Annotated["EnterpriseProfile", strawberry.lazy("schema.customers.types")]
OrderRef = Annotated["OnBehalfOrder", strawberry.lazy("schema.customers.types")]
RequestRef = Annotated["DisassociationRequest", strawberry.lazy("schema.customers.types")]
RecordRef = Annotated["AssociationRecord", strawberry.lazy("schema.customers.types")]


@strawberry.type(description="A customer associated with a partner (子客户). A customer account reads its own "
                             "associations, one per partner.", directives=[PUBLIC])
class Customer(ModelNode):
    model = m.Customer
    readable = readable_customers

    name: str = strawberry.field(description="The customer's name.")
    kind: CustomerKind = strawberry.field(description="A company or a person.")
    association_type: AssociationType = strawberry.field(description="Resale or referral.")
    status: CustomerStatus = strawberry.field(description="Whether it is still associated.")
    real_name_status: RealNameStatus = strawberry.field(description="The customer's real-name verification status.")
    whitelisted: bool = strawberry.field(description="Whether government partners may issue coupons to it.")
    associated_at: datetime = strawberry.field(description="When it was associated with the partner.")
    disassociated_at: datetime | None = strawberry.field(description="When the association ended; null while it lasts.")

    account_manager = related_field(Account, readable_accounts, "account_manager_id", description="The account manager responsible for it.")
    partner = related_field(PartnerRef, readable_partners, "partner_id", description="The partner it is associated with.")
    insight = related_field(
        EnterpriseRef, readable_enterprises, "enterprise_id",
        description="Its enterprise profile (企业百科), for an associated, real-name-verified enterprise customer.",
        requires=(Permission.CUSTOMER_VIEW, Permission.CUSTOMER_INSIGHT_VIEW),
    )

    authorizations = connection_field(
        AuthorizationRef, description="The on-behalf authorizations between the partner and the customer, newest first.",
        rows=children(readable_authorizations, "customer_id"), filter_type=AuthorizationFilter,
        order_type=AuthorizationOrder, default_order=("-requested_at", "-id"),
        requires=(Permission.CUSTOMER_AUTHORIZATION_REQUEST, Permission.CUSTOMER_SELF_VIEW),
    )
    on_behalf_orders = connection_field(
        OrderRef, description="The orders the partner placed on the customer's behalf, newest first.",
        rows=children(readable_on_behalf_orders, "customer_id"), filter_type=OnBehalfOrderFilter,
        order_type=OnBehalfOrderOrder, default_order=("-placed_at", "-id"),
        requires=(Permission.CUSTOMER_ORDER_ON_BEHALF, Permission.CUSTOMER_SELF_VIEW),
    )
    disassociation_requests = connection_field(
        RequestRef, description="The customer's requests to end the association, newest first.",
        rows=children(readable_disassociation_requests, "customer_id"), default_order=("-requested_at", "-id"),
        requires=(Permission.CUSTOMER_DISASSOCIATE, Permission.CUSTOMER_SELF_VIEW),
    )
    association_records = connection_field(
        RecordRef, description="The association operation records (关联关系操作记录) of this customer, newest first.",
        rows=children(readable_association_records, "customer_id"), filter_type=AssociationRecordFilter,
        order_type=AssociationRecordOrder, default_order=("-created_at", "-id"), requires=Permission.CUSTOMER_VIEW,
        page_size_required=True,
    )


@strawberry.type(description="An on-behalf authorization (代下单授权): what a resale customer lets its partner do "
                             "for it.", directives=[PUBLIC])
class OnBehalfAuthorization(ModelNode):
    model = m.OnBehalfAuthorization
    readable = readable_authorizations

    status: AuthorizationStatus = strawberry.field(description="Where it stands.")
    message: str = strawberry.field(description="The partner's note to the customer with its request.")
    requested_at: datetime = strawberry.field(description="When the partner asked.")
    responded_at: datetime | None = strawberry.field(description="When the customer granted or rejected it.")
    cancelled_at: datetime | None = strawberry.field(description="When the customer cancelled it.")
    cancel_reason: str = strawberry.field(description="Why the customer cancelled it; empty unless cancelled.")
    orders_placed: int = strawberry.field(description="How many orders were placed under it.")
    orders_at_cancellation: int | None = strawberry.field(
        description="How many orders had been placed when it was cancelled; null unless cancelled. Nothing is ordered "
                    "under it afterwards.")

    @strawberry.field(description="What it covers.", metadata={**reads("scopes"), **as_stored("scopes")})
    def scopes(self, root: strawberry.Parent[m.OnBehalfAuthorization]) -> list[AuthorizationScope]:
        return [AuthorizationScope(value) for value in root.scopes]

    customer = related_field(Customer, readable_customers, "customer_id", description="The customer.")
    partner = related_field(PartnerRef, readable_partners, "partner_id", description="The partner it authorizes.")
    requested_by = related_field(Account, readable_accounts, "requested_by_id",
                                 description="The partner member who asked, if you may see that account.")
    orders = connection_field(
        OrderRef, description="The orders placed under it, newest first.",
        rows=children(readable_on_behalf_orders, "authorization_id"), default_order=("-placed_at", "-id"),
        requires=(Permission.CUSTOMER_ORDER_ON_BEHALF, Permission.CUSTOMER_SELF_VIEW),
    )


@strawberry.type(description="An order a partner placed on a customer's behalf (代下单).", directives=[PUBLIC])
class OnBehalfOrder(ModelNode):
    model = m.OnBehalfOrder
    readable = readable_on_behalf_orders

    number: str = strawberry.field(description="The order number.")
    product_code: str = strawberry.field(description="The cloud product's code.")
    product_name: str = strawberry.field(description="The cloud product's name.")
    billing_mode: BillingMode = strawberry.field(description="Yearly/monthly or on demand.")
    period_months: int | None = strawberry.field(description="For yearly/monthly: how many months; null on demand.")
    quantity: int = strawberry.field(description="How many units.")
    placed_at: datetime = strawberry.field(description="When it was placed.")

    amount = money_field("amount", description="The order's amount.")

    customer = related_field(Customer, readable_customers, "customer_id", description="The customer it was placed for.")
    partner = related_field(PartnerRef, readable_partners, "partner_id", description="The partner that placed it.")
    authorization = related_field(OnBehalfAuthorization, readable_authorizations, "authorization_id",
                                  description="The authorization it was placed under.")
    placed_by = related_field(Account, readable_accounts, "placed_by_id",
                              description="The partner member who placed it, if you may see that account.")


@strawberry.type(description="A customer's request to end its association with a partner.", directives=[PUBLIC])
class DisassociationRequest(ModelNode):
    model = m.DisassociationRequest
    readable = readable_disassociation_requests

    reason: str = strawberry.field(description="The customer's reason.")
    status: DisassociationRequestStatus = strawberry.field(description="Where it stands.")
    response: str = strawberry.field(description="The partner admin's answer when declining; empty otherwise.")
    requested_at: datetime = strawberry.field(description="When the customer asked.")
    handled_at: datetime | None = strawberry.field(description="When the partner admin handled it.")

    customer = related_field(Customer, readable_customers, "customer_id", description="The customer.")
    partner = related_field(PartnerRef, readable_partners, "partner_id", description="The partner.")
    handled_by = related_field(Account, readable_accounts, "handled_by_id",
                               description="The admin who handled it, if you may see that account.")


@strawberry.type(description="An association operation record (关联关系操作记录): one change to a customer's "
                             "association.", directives=[PUBLIC])
class AssociationRecord(ModelNode):
    model = m.AssociationRecord
    readable = readable_association_records

    operation: AssociationOperation = strawberry.field(description="What changed.")
    before: str = strawberry.field(description="The value before (account manager's sign-in name, association type); "
                                               "empty where it does not apply.")
    after: str = strawberry.field(description="The value after; empty where it does not apply.")
    detail: str = strawberry.field(description="Reason, answer or outcome, as recorded.")
    created_at: datetime = strawberry.field(description="When it happened.")

    customer = related_field(Customer, readable_customers, "customer_id", description="The customer.")
    operator = related_field(Account, readable_accounts, "operator_id",
                             description="Who made the change, if you may see that account (customers' own accounts are "
                                         "not shown).")


@strawberry.type(description="Basic information (企业基本信息) of an enterprise.", directives=[PUBLIC])
class EnterpriseBasics:
    name: str = strawberry.field(description="The registered name.")
    credit_code: str = strawberry.field(description="The unified social credit code.")
    legal_representative: str = strawberry.field(description="The legal representative.")
    registered_capital: str = strawberry.field(description="The registered capital, as registered.")
    founded_on: date | None = strawberry.field(description="When it was founded.")
    national_industry: str = strawberry.field(description="Its national-standard industry.")
    cloud_industry: str = strawberry.field(description="Its industry in the cloud platform's classification.")
    address: str = strawberry.field(description="Its registered address.")
    website: str = strawberry.field(description="Its website.")


@strawberry.type(description="Cloud adoption (上云信息) of an enterprise.", directives=[PUBLIC])
class CloudAdoption:
    wallet_size_band: str = strawberry.field(description="Its cloud wallet size band (上云钱包厚度), e.g. `1M-5M CNY/year`.")
    activity: str = strawberry.field(description="Its cloud activity (上云活跃度): HIGH, MEDIUM or LOW.")
    current_service_provider: str = strawberry.field(description="Its current cloud service provider; empty if unknown.")


@strawberry.type(description="A financing round.", directives=[PUBLIC])
class FinancingRound:
    round: str = strawberry.field(description="The round, e.g. `Series B`.")
    amount: str = strawberry.field(description="The amount, as published.")
    date: str = strawberry.field(description="When, YYYY-MM-DD.")
    investors: list[str] = strawberry.field(description="The investors.")


@strawberry.type(description="A ranking the enterprise was listed on (上榜榜单).", directives=[PUBLIC])
class Ranking:
    name: str = strawberry.field(description="The list.")
    year: int = strawberry.field(description="The year.")
    position: int | None = strawberry.field(description="Its position, if published.")


@strawberry.type(description="Company development (公司发展) of an enterprise.", directives=[PUBLIC])
class CompanyDevelopment:
    financing: list[FinancingRound] = strawberry.field(description="Investment and financing, oldest first.")
    products: list[str] = strawberry.field(description="Its products.")
    brands: list[str] = strawberry.field(description="Its project brands.")
    rankings: list[Ranking] = strawberry.field(description="The rankings it was listed on.")


@strawberry.type(description="A registered software copyright.", directives=[PUBLIC])
class SoftwareCopyright:
    title: str = strawberry.field(description="The software's title.")
    registration_number: str = strawberry.field(description="The registration number.")
    registered_on: str = strawberry.field(description="When it was registered, YYYY-MM-DD.")


@strawberry.type(description="A patent.", directives=[PUBLIC])
class Patent:
    title: str = strawberry.field(description="The patent's title.")
    number: str = strawberry.field(description="The publication number.")
    kind: str = strawberry.field(description="INVENTION, UTILITY_MODEL or DESIGN.")
    granted_on: str | None = strawberry.field(description="When it was granted, YYYY-MM-DD; null while pending.")


@strawberry.type(description="Intellectual property (知识产权) of an enterprise.", directives=[PUBLIC])
class IntellectualProperty:
    software_copyrights: list[SoftwareCopyright] = strawberry.field(description="Its software copyrights.")
    patents: list[Patent] = strawberry.field(description="Its patents.")


def _records(cls: type, rows: list[dict[str, Any]]) -> list[Any]:
    return [cls(**row) for row in rows]


@strawberry.type(description="An enterprise's profile (企业百科, customer insight), from the platform's business data.",
                 directives=[PUBLIC])
class EnterpriseProfile(ModelNode):
    model = m.EnterpriseProfile
    readable = readable_enterprises

    name: str = strawberry.field(description="The registered name.")

    @strawberry.field(description="Basic information (企业基本信息).",
                      metadata=reads("name", "credit_code", "legal_representative", "registered_capital", "founded_on",
                                     "national_industry", "cloud_industry", "address", "website"))
    def basics(self, root: strawberry.Parent[m.EnterpriseProfile]) -> EnterpriseBasics:
        return EnterpriseBasics(
            name=root.name, credit_code=root.credit_code, legal_representative=root.legal_representative,
            registered_capital=root.registered_capital, founded_on=root.founded_on, national_industry=root.national_industry,
            cloud_industry=root.cloud_industry, address=root.address, website=root.website,
        )

    @strawberry.field(description="Cloud adoption (上云信息).",
                      metadata=reads("wallet_size_band", "cloud_activity", "current_service_provider"))
    def cloud_adoption(self, root: strawberry.Parent[m.EnterpriseProfile]) -> CloudAdoption:
        return CloudAdoption(wallet_size_band=root.wallet_size_band, activity=root.cloud_activity,
                             current_service_provider=root.current_service_provider)

    @strawberry.field(description="Company development (公司发展).", metadata=reads("financing", "products", "brands", "rankings"))
    def company_development(self, root: strawberry.Parent[m.EnterpriseProfile]) -> CompanyDevelopment:
        return CompanyDevelopment(financing=_records(FinancingRound, root.financing), products=list(root.products),
                                  brands=list(root.brands), rankings=_records(Ranking, root.rankings))

    @strawberry.field(description="Intellectual property (知识产权).", metadata=reads("software_copyrights", "patents"))
    def intellectual_property(self, root: strawberry.Parent[m.EnterpriseProfile]) -> IntellectualProperty:
        return IntellectualProperty(software_copyrights=_records(SoftwareCopyright, root.software_copyrights),
                                    patents=_records(Patent, root.patents))


@strawberry.type(description="An enterprise your partner registered as a prospect (报备客户).", directives=[PUBLIC])
class Prospect(ModelNode):
    model = m.Prospect
    readable = readable_prospects

    note: str = strawberry.field(description="Your note.")
    created_at: datetime = strawberry.field(description="When it was registered.")

    enterprise = related_field(EnterpriseProfile, readable_enterprises, "enterprise_id", description="The enterprise.")
    registered_by = related_field(Account, readable_accounts, "registered_by_id",
                                  description="Who registered it, if you may see that account.")


@strawberry.type(description="A pickup coupon (提货券) one of your customers holds from a government-cloud partner "
                             "(view only).", directives=[PUBLIC])
class HeldPickupCoupon:
    face_value: Money = strawberry.field(description="Its face value.")
    balance: Money = strawberry.field(description="What remains on it.")
    status: CouponStatus = strawberry.field(description="Its status now (an AVAILABLE coupon past its expiry is EXPIRED).")
    valid_from: datetime = strawberry.field(description="When it becomes usable.")
    expires_at: datetime = strawberry.field(description="When it expires.")
    issuer_name: str = strawberry.field(description="The government-cloud partner that issued it.")
    customer: Customer = strawberry.field(description="Your customer that holds it.")

    @classmethod
    def of(cls, held: HeldCoupon) -> HeldPickupCoupon:
        coupon = held.coupon
        return cls(face_value=Money.of(coupon.face_value), balance=Money.of(coupon.face_value - coupon.used_amount),
                   status=held.status, valid_from=coupon.valid_from, expires_at=coupon.expires_at,
                   issuer_name=held.issuer_name, customer=held.customer)  # type: ignore[arg-type]
