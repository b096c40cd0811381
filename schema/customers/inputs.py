"""Filters and orderings of customers and what hangs off them; the inputs of their mutations."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry import relay
from tortoise.expressions import Q

from resolvers.errors import BadUserInput
from schema.enums import (
    AssociationOperation,
    AssociationType,
    AuthorizationScope,
    AuthorizationStatus,
    BillingMode,
    CustomerStatus,
    DisassociationRequestStatus,
)
from schema.filters import FilterInput, criteria
from schema.global_ids import node_id
from schema.relay import order_input
from schema.safeguards.fields import CUSTOMER_VERIFICATION_CODE, code_field, key_field


@strawberry.input(description="Criteria for customer lists.")
class CustomerFilter(FilterInput):
    association_type: AssociationType | None = strawberry.field(default=None, description="Only customers associated this way.")
    account_manager_id: relay.GlobalID | None = node_id("Account", default=None, description="Only customers of this account manager.")
    search: str | None = strawberry.field(default=None, description="Name contains this text (case-insensitive).")
    status: CustomerStatus | None = strawberry.field(default=None, description="Only customers in this status.")

    def lookups(self) -> list[Q]:
        return criteria(
            status=self.status,
            association_type=self.association_type,
            account_manager_id=self.pk("account_manager_id"),
            name__icontains=self.search or None,
        )


@strawberry.input(description="Criteria for your associations with partners (customer accounts).")
class CustomerAssociationFilter(FilterInput):
    status: CustomerStatus | None = strawberry.field(default=None, description="Only associations in this status.")
    association_type: AssociationType | None = strawberry.field(default=None, description="Only associations of this type.")

    def lookups(self) -> list[Q]:
        return criteria(status=self.status, association_type=self.association_type)


CustomerOrder = order_input(
    "CustomerOrder", "How to order customers.",
    {"NAME": ("name", "By name."), "ASSOCIATED_AT": ("associated_at", "By association time.")},
    default="NAME",
)


@strawberry.input(description="Criteria for on-behalf authorizations.")
class AuthorizationFilter(FilterInput):
    status: AuthorizationStatus | None = strawberry.field(default=None, description="Only authorizations in this status.")
    customer_id: relay.GlobalID | None = node_id("Customer", default=None, description="Only this customer's.")

    def lookups(self) -> list[Q]:
        return criteria(status=self.status, customer_id=self.pk("customer_id"))


AuthorizationOrder = order_input("OnBehalfAuthorizationOrder", "How to order on-behalf authorizations.", {
    "REQUESTED_AT": ("requested_at", "By when they were requested."),
}, default="REQUESTED_AT")


@strawberry.input(description="Criteria for orders placed on customers' behalf; text criteria match any part, ignoring case.")
class OnBehalfOrderFilter(FilterInput):
    customer_id: relay.GlobalID | None = node_id("Customer", default=None, description="Only this customer's.")
    billing_mode: BillingMode | None = strawberry.field(default=None, description="Only orders billed this way.")
    product: str | None = strawberry.field(default=None, description="Product code or name contains this text.")
    placed_after: datetime | None = strawberry.field(default=None, description="Only orders placed at or after this time.")
    placed_before: datetime | None = strawberry.field(default=None, description="Only orders placed before this time.")

    def lookups(self) -> list[Q]:
        found = criteria(customer_id=self.pk("customer_id"), billing_mode=self.billing_mode,
                         placed_at__gte=self.placed_after, placed_at__lt=self.placed_before)
        if self.product:
            found.append(Q(product_code__icontains=self.product) | Q(product_name__icontains=self.product))
        return found


OnBehalfOrderOrder = order_input("OnBehalfOrderOrder", "How to order orders placed on customers' behalf.", {
    "PLACED_AT": ("placed_at", "By when they were placed."),
    "AMOUNT": ("amount", "By amount."),
}, default="PLACED_AT")


@strawberry.input(description="Criteria for disassociation requests.")
class DisassociationRequestFilter(FilterInput):
    status: DisassociationRequestStatus | None = strawberry.field(default=None, description="Only requests in this status.")

    def lookups(self) -> list[Q]:
        return criteria(status=self.status)


@strawberry.input(description="Criteria for association operation records.")
class AssociationRecordFilter(FilterInput):
    operation: AssociationOperation | None = strawberry.field(default=None, description="Only this kind of change.")
    customer_id: relay.GlobalID | None = node_id("Customer", default=None, description="Only this customer's.")
    since: datetime | None = strawberry.field(default=None, description="Only records at or after this time.")
    until: datetime | None = strawberry.field(default=None, description="Only records before this time.")

    def lookups(self) -> list[Q]:
        return criteria(operation=self.operation, customer_id=self.pk("customer_id"), created_at__gte=self.since,
                        created_at__lt=self.until)


AssociationRecordOrder = order_input("AssociationRecordOrder", "How to order association operation records.", {
    "CREATED_AT": ("created_at", "By when they happened."),
}, default="CREATED_AT")


@strawberry.input(description="Criteria for enterprises; the name search is required.")
class EnterpriseFilter(FilterInput):
    name: str = strawberry.field(description="The enterprise's name contains this text (case-insensitive); 2 to 200 "
                                             "characters.")

    def lookups(self) -> list[Q]:
        if len(self.name.strip()) < 2:
            raise BadUserInput("Search enterprises by at least 2 characters of their name.", argument="filter.name")
        return criteria(name__icontains=self.name.strip())


@strawberry.input(description="Criteria for prospects.")
class ProspectFilter(FilterInput):
    search: str | None = strawberry.field(default=None, description="The enterprise's name contains this text.")

    def lookups(self) -> list[Q]:
        return criteria(enterprise__name__icontains=self.search or None)


@strawberry.input(description="Ask a resale customer for an on-behalf authorization (代下单授权).")
class CustomerAuthorizationRequestInput:
    customer_id: relay.GlobalID = node_id("Customer", description="One of your associated resale customers.")
    scopes: list[AuthorizationScope] = strawberry.field(description="What you ask to do for it; at least one, each once.")
    message: str | None = strawberry.field(default=None, description="A note for the customer; at most 500 characters.")


@strawberry.input(description="A customer's answer to an authorization request.")
class CustomerAuthorizationAnswerInput:
    id: relay.GlobalID = node_id("OnBehalfAuthorization", description="A REQUESTED authorization of yours.")
    verification_code: str | None = code_field(CUSTOMER_VERIFICATION_CODE)


@strawberry.input(description="Cancel an authorization you granted.")
class CustomerAuthorizationCancelInput:
    id: relay.GlobalID = node_id("OnBehalfAuthorization", description="An AUTHORIZED authorization of yours.")
    reason: str = strawberry.field(description="Why; 1 to 500 characters.")
    verification_code: str | None = code_field(CUSTOMER_VERIFICATION_CODE)


@strawberry.input(description="An order on a customer's behalf (代下单).")
class CustomerOrderPlaceInput:
    customer_id: relay.GlobalID = node_id("Customer", description="A customer that authorized your partner to place orders.")
    product_code: str = strawberry.field(description="The cloud product's code; store (KooGallery) goods, codes starting "
                                                     "`OFFI`, cannot be ordered on behalf.")
    product_name: str = strawberry.field(description="The cloud product's name; 1 to 200 characters.")
    billing_mode: BillingMode = strawberry.field(description="Yearly/monthly or on demand.")
    period_months: int | None = strawberry.field(default=None, description="For yearly/monthly: 1 to 36 months; none on demand.")
    quantity: int = strawberry.field(default=1, description="How many units, 1 to 1000.")
    amount: Decimal = strawberry.field(description="The order's amount, more than zero, two decimal places at most.")
    idempotency_key: str | None = key_field()


@strawberry.input(description="A customer's account manager.")
class CustomerAccountManagerSetInput:
    customer_id: relay.GlobalID = node_id("Customer", description="One of your associated customers.")
    account_manager_id: relay.GlobalID | None = node_id(
        "Account", default=None, description="A member holding ACCOUNT_MANAGER; null removes the account manager.")
    verification_code: str | None = code_field()


@strawberry.input(description="An account manager's supervisor.")
class AccountManagerSupervisorSetInput:
    account_manager_id: relay.GlobalID = node_id("Account", description="A member holding ACCOUNT_MANAGER.")
    supervisor_id: relay.GlobalID | None = node_id(
        "Account", default=None, description="A member holding ACCOUNT_MANAGER_SUPERVISOR; null removes the supervisor.")
    verification_code: str | None = code_field()


@strawberry.input(description="Switch a customer's association type.")
class CustomerAssociationTypeSwitchInput:
    customer_id: relay.GlobalID = node_id("Customer", description="One of your associated customers.")
    association_type: AssociationType = strawberry.field(
        description="The new type; switching to REFERRAL reclaims the customer's AVAILABLE coupons.")
    verification_code: str | None = code_field()


@strawberry.input(description="Disassociate a customer.")
class CustomerDisassociateInput:
    customer_id: relay.GlobalID = node_id("Customer", description="One of your associated customers.")
    reason: str = strawberry.field(description="Why; 1 to 500 characters.")
    verification_code: str | None = code_field()


@strawberry.input(description="A customer's request to end an association.")
class CustomerDisassociationRequestInput:
    customer_id: relay.GlobalID = node_id("Customer", description="One of your associations (viewer.customerAssociations).")
    reason: str = strawberry.field(description="Why; 1 to 500 characters.")


@strawberry.input(description="The partner admin's answer to a customer's disassociation request.")
class CustomerDisassociationRequestHandleInput:
    id: relay.GlobalID = node_id("DisassociationRequest", description="A PENDING request of one of your customers.")
    approve: bool = strawberry.field(description="True disassociates the customer (its coupons are reclaimed); false "
                                                 "declines.")
    response: str | None = strawberry.field(default=None, description="Your answer; required to decline, at most 500 "
                                                                      "characters.")
    verification_code: str | None = code_field()


@strawberry.input(description="Register an enterprise as a prospect (报备客户).")
class ProspectRegisterInput:
    enterprise_id: relay.GlobalID = node_id("EnterpriseProfile", description="An enterprise from `enterprises`.")
    note: str | None = strawberry.field(default=None, description="Your note; at most 500 characters.")
