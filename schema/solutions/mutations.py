"""Solutions and co-sale listings."""

from __future__ import annotations

import strawberry

from resolvers.permissions.catalog import Permission
from resolvers.solutions import services
from schema.mutations import Payload, PayloadField, mutation
from schema.solutions.inputs import (
    CoSaleDelistInput,
    CoSaleListInput,
    CoSaleRejectInput,
    CoSaleRequestInput,
    SolutionArchiveInput,
    SolutionCreateInput,
    SolutionPublishInput,
    SolutionUpdateInput,
)
from schema.solutions.types import CoSaleProduct, Solution

SOLUTION = Payload(
    "The result of a solution mutation.",
    returns=PayloadField("solution", Solution, "The solution as it is now; null if refused."),
    name="SolutionPayload",
)
CO_SALE = Payload(
    "The result of a co-sale mutation.",
    returns=PayloadField("co_sale_product", CoSaleProduct, "The co-sale product as it is now; null if refused."),
    name="CoSaleProductPayload",
)


@strawberry.type(description="Solutions and co-sale listings.")
class SolutionMutations:
    solution_create = mutation(
        requires=Permission.SOLUTION_MANAGE,
        input=SolutionCreateInput,
        service=services.create_solution,
        argument="The new solution.",
        description="Create a solution (方案) for your partner, as a DRAFT.",
        payload=SOLUTION,
    )
    solution_update = mutation(
        requires=Permission.SOLUTION_MANAGE,
        input=SolutionUpdateInput,
        service=services.update_solution,
        argument="The changes.",
        description="Change a DRAFT or PUBLISHED solution.",
        payload=SOLUTION,
    )
    solution_publish = mutation(
        requires=Permission.SOLUTION_MANAGE,
        input=SolutionPublishInput,
        service=services.publish_solution,
        argument="The solution.",
        description="Publish a DRAFT solution (DRAFT → PUBLISHED).",
        payload=SOLUTION,
    )
    solution_archive = mutation(
        requires=Permission.SOLUTION_MANAGE,
        input=SolutionArchiveInput,
        service=services.archive_solution,
        argument="The solution.",
        description="Archive a DRAFT or PUBLISHED solution (→ ARCHIVED); it can no longer change.",
        payload=SOLUTION,
    )
    co_sale_request = mutation(
        requires=Permission.COSALE_REQUEST,
        input=CoSaleRequestInput,
        service=services.request_co_sale,
        argument="The solution and the product.",
        payload=CO_SALE,
        description="Ask for a product of a PUBLISHED solution to be listed for co-sale (联合销售商品); it starts as REQUESTED.",
    )
    co_sale_list = mutation(
        requires=Permission.COSALE_REVIEW,
        input=CoSaleListInput,
        service=services.list_co_sale,
        argument="The co-sale product.",
        description="List a requested co-sale product (REQUESTED → LISTED); PDM.",
        payload=CO_SALE,
    )
    co_sale_reject = mutation(
        requires=Permission.COSALE_REVIEW,
        input=CoSaleRejectInput,
        service=services.reject_co_sale,
        argument="The co-sale product and the reason.",
        payload=CO_SALE,
        description="Reject a requested co-sale product with a reason (REQUESTED → REJECTED); PDM.",
    )
    co_sale_delist = mutation(
        requires=Permission.COSALE_REVIEW,
        input=CoSaleDelistInput,
        service=services.delist_co_sale,
        argument="The co-sale product.",
        description="Delist a listed co-sale product (LISTED → DELISTED); PDM.",
        payload=CO_SALE,
    )
