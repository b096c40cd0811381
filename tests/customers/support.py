"""A partner with a resale customer that has its own cloud account, owned by one test."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from models.coupons import CouponKind, CouponQuota
from models.customers import AssociationType, Customer, OnBehalfAuthorization
from models.members import Account, AccountKind
from models.partners import Partner
from models.partners import PartnerIdentity as I
from models.safeguards import VerificationPurpose
from tests.callers import Caller, Mutated, mutate
from tests.factories import create_account, create_customer, create_issuer, create_verification_code, unique
from tests.graphql import GraphQLClient, gid, pk_of


async def create_customer_account(name: str | None = None) -> Account:
    return await create_account(None, name=name or unique("customer.test"), kind=AccountKind.CUSTOMER)


@dataclass
class World:
    partner: Partner
    admin: Caller  # the partner's main account
    customer_account: Account
    customer: Caller  # the customer's own account
    resale: Customer  # the customer, as the partner's resale customer
    others: list[Customer]  # more resale customers of the partner, without accounts
    quota: CouponQuota

    @property
    def customer_id(self) -> str:
        return gid("Customer", self.resale.id)

    async def code(self, purpose: VerificationPurpose = VerificationPurpose.CUSTOMER_AUTHORIZATION) -> str:
        return await create_verification_code(self.customer_account, purpose)

    async def request(self, scopes: list[str] | None = None) -> Mutated:
        return await mutate(self.admin, "customerAuthorizationRequest",
                            {"customerId": self.customer_id, "scopes": scopes or ["PLACE_ORDERS"]})

    async def grant(self, authorization_id: str) -> Mutated:
        return await mutate(self.customer, "customerAuthorizationGrant",
                            {"id": authorization_id, "verificationCode": await self.code()})

    async def authorized(self, scopes: list[str] | None = None) -> str:
        """The ID of a granted authorization of the given scopes (PLACE_ORDERS by default)."""
        requested = await self.request(scopes)
        assert requested.codes == [], requested.response.body
        authorization_id = requested["authorization"]["id"]
        granted = await self.grant(authorization_id)
        assert granted.codes == [] and granted["authorization"]["status"] == "AUTHORIZED", granted.response.body
        return authorization_id

    async def cancel(self, authorization_id: str, reason: str = "We run it ourselves now.") -> Mutated:
        return await mutate(self.customer, "customerAuthorizationCancel",
                            {"id": authorization_id, "reason": reason, "verificationCode": await self.code()})

    async def order(self, caller: Caller | None = None, **overrides: Any) -> Mutated:
        values = {"customerId": self.customer_id, "productCode": "hws.ecs.s7", "productName": "ECS s7",
                  "billingMode": "YEARLY_MONTHLY", "periodMonths": 12, "amount": "1200.00"}
        values.update(overrides)
        return await mutate(caller or self.admin, "customerOrderPlace", values)

    async def authorization_row(self, authorization_id: str) -> OnBehalfAuthorization:
        return await OnBehalfAuthorization.get(id=pk_of(authorization_id))


async def create_world(gql: GraphQLClient, *identities: I, codes: bool = False, others: int = 2,
                       total: str = "5000.00") -> World:
    """A fresh partner (a solution provider unless `identities` say otherwise) with its main account,
    a voucher quota, a resale customer with its own account, and `others` more resale customers."""
    issuer = await create_issuer(*(identities or (I.SOLUTION_PROVIDER,)), kind=CouponKind.VOUCHER, total=total,
                                 customers=others, verification_code_enabled=codes)
    account = await create_customer_account()
    resale = await create_customer(issuer.partner, customer_account=account, association_type=AssociationType.RESALE)
    return World(issuer.partner, Caller(gql, issuer.account.name), account, Caller(gql, account.name), resale,
                 issuer.customers, issuer.quota)
