"""Customers: on-behalf authorization (asked by the partner, answered by the customer), orders on a
customer's behalf, association management, disassociation, prospects."""

from __future__ import annotations

import strawberry

from resolvers.customers import association_services, authorization_services, insight_services, order_services
from resolvers.permissions.catalog import Permission
from schema.customers.inputs import (
    AccountManagerSupervisorSetInput,
    CustomerAccountManagerSetInput,
    CustomerAssociationTypeSwitchInput,
    CustomerAuthorizationAnswerInput,
    CustomerAuthorizationCancelInput,
    CustomerAuthorizationRequestInput,
    CustomerDisassociateInput,
    CustomerDisassociationRequestHandleInput,
    CustomerDisassociationRequestInput,
    CustomerOrderPlaceInput,
    ProspectRegisterInput,
)
from schema.customers.types import Customer, DisassociationRequest, OnBehalfAuthorization, OnBehalfOrder, Prospect
from schema.members.types import Account
from schema.mutations import Payload, PayloadField, mutation

AUTHORIZATION = Payload(
    "The result of a change to an on-behalf authorization.",
    returns=PayloadField("authorization", OnBehalfAuthorization, "The authorization as it is now; null if refused."),
    name="OnBehalfAuthorizationPayload",
)
CUSTOMER = Payload(
    "The result of a change to a customer's association.",
    returns=PayloadField("customer", Customer, "The customer as it is now; null if refused."),
    name="CustomerPayload",
)
REQUEST = Payload(
    "The result of a change to a disassociation request.",
    returns=PayloadField("request", DisassociationRequest, "The request as it is now; null if refused."),
    name="DisassociationRequestPayload",
)


async def _audit_advice(info: strawberry.Info, authorization: object) -> str:
    return authorization_services.CLOUD_AUDIT_ADVICE


@strawberry.type(description="Customers (子客户): authorizations, orders on their behalf, associations, prospects.")
class CustomerMutations:
    customer_authorization_request = mutation(
        requires=Permission.CUSTOMER_AUTHORIZATION_REQUEST,
        input=CustomerAuthorizationRequestInput,
        service=authorization_services.request,
        argument="The customer, scopes and note.",
        description="Ask one of your resale customers for an on-behalf authorization (代下单授权): it answers from its own "
                    "account. One open request or grant per customer at a time.",
        payload=AUTHORIZATION,
    )
    customer_authorization_grant = mutation(
        requires=Permission.CUSTOMER_AUTHORIZATION_RESPOND,
        input=CustomerAuthorizationAnswerInput,
        service=authorization_services.grant,
        argument="The authorization and code.",
        description="Grant a partner's REQUESTED authorization (customers), with a verification code.",
        payload=Payload(
            "The result of granting an authorization.",
            returns=PayloadField("authorization", OnBehalfAuthorization, "The authorization, now AUTHORIZED; null if refused."),
            also=[PayloadField("advice", str, "The platform's advice: turn on cloud audit (云审计) to follow the partner's "
                                              "operations; null if refused.", resolve=_audit_advice)],
        ),
    )
    customer_authorization_reject = mutation(
        requires=Permission.CUSTOMER_AUTHORIZATION_RESPOND,
        input=CustomerAuthorizationAnswerInput,
        service=authorization_services.reject,
        argument="The authorization and code.",
        description="Reject a partner's REQUESTED authorization (customers), with a verification code.",
        payload=AUTHORIZATION,
    )
    customer_authorization_cancel = mutation(
        requires=Permission.CUSTOMER_AUTHORIZATION_RESPOND,
        input=CustomerAuthorizationCancelInput,
        service=authorization_services.cancel,
        argument="The authorization, reason and code.",
        description="Cancel an authorization you granted (customers), with a reason and a verification code: from the "
                    "moment it commits, the partner cannot place another order under it.",
        payload=AUTHORIZATION,
    )
    customer_order_place = mutation(
        requires=Permission.CUSTOMER_ORDER_ON_BEHALF,
        input=CustomerOrderPlaceInput,
        service=order_services.place,
        argument="The customer, product, billing and amount.",
        description="Place an order on a customer's behalf (代下单) under its AUTHORIZED authorization with PLACE_ORDERS. "
                    "Store (KooGallery) goods are refused. Takes an idempotency key.",
        payload=Payload(
            "The result of placing an order on a customer's behalf.",
            returns=PayloadField("order", OnBehalfOrder, "The order; null if refused."),
        ),
    )
    customer_account_manager_set = mutation(
        requires=Permission.CUSTOMER_ASSOCIATION_MANAGE,
        input=CustomerAccountManagerSetInput,
        service=association_services.set_account_manager,
        argument="The customer and account manager.",
        description="Assign, change or remove a customer's account manager (admins); recorded as an association record. "
                    "Takes a verification code when your partner has them on.",
        payload=CUSTOMER,
    )
    account_manager_supervisor_set = mutation(
        requires=Permission.CUSTOMER_ASSOCIATION_MANAGE,
        input=AccountManagerSupervisorSetInput,
        service=association_services.set_supervisor,
        argument="The account manager and supervisor.",
        description="Put an account manager under an account-manager supervisor, or under none (admins): the supervisor "
                    "then sees the account manager's customers. Takes a verification code when your partner has them on.",
        payload=Payload(
            "The result of setting a supervisor.",
            returns=PayloadField("account_manager", Account, "The account manager; null if refused."),
        ),
    )
    customer_association_type_switch = mutation(
        requires=Permission.CUSTOMER_ASSOCIATION_MANAGE,
        input=CustomerAssociationTypeSwitchInput,
        service=association_services.switch_type,
        argument="The customer and new type.",
        description="Switch a customer between RESALE and REFERRAL (admins); refused within three months of the "
                    "customer's own disassociation request (the cooling rule). Switching to REFERRAL reclaims its "
                    "AVAILABLE coupons (SWITCH_RECLAIM). Takes a verification code when your partner has them on.",
        payload=CUSTOMER,
    )
    customer_disassociate = mutation(
        requires=Permission.CUSTOMER_DISASSOCIATE,
        input=CustomerDisassociateInput,
        service=association_services.disassociate,
        argument="The customer and reason.",
        description="End the association with a customer (admins); refused within three months of the customer's own "
                    "disassociation request (the cooling rule). Its AVAILABLE coupons return to their quotas "
                    "(DISASSOCIATION_RECLAIM) in the same transaction. Takes a verification code when your partner has "
                    "them on.",
        payload=CUSTOMER,
    )
    customer_disassociation_request = mutation(
        requires=Permission.CUSTOMER_DISASSOCIATION_REQUEST,
        input=CustomerDisassociationRequestInput,
        service=association_services.request_disassociation,
        argument="The association and reason.",
        description="Ask a partner to end its association with you (customers); its admins handle the request.",
        payload=REQUEST,
    )
    customer_disassociation_request_handle = mutation(
        requires=Permission.CUSTOMER_DISASSOCIATE,
        input=CustomerDisassociationRequestHandleInput,
        service=association_services.handle_request,
        argument="The request and answer.",
        description="Approve (the customer is disassociated, its coupons reclaimed) or decline with a reason a customer's "
                    "disassociation request (admins). Approving takes a verification code when your partner has them on.",
        payload=REQUEST,
    )
    prospect_register = mutation(
        requires=Permission.CUSTOMER_INSIGHT_VIEW,
        input=ProspectRegisterInput,
        service=insight_services.register_prospect,
        argument="The enterprise and note.",
        description="Register an enterprise found by `enterprises` as your prospect (报备客户), once per partner.",
        payload=Payload(
            "The result of registering a prospect.",
            returns=PayloadField("prospect", Prospect, "The prospect; null if refused."),
        ),
    )
