"""Solutions and co-sale listings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry

from models import solutions as m
from resolvers.solutions import services
from schema.mutations import UserError, mutation_pk, run_mutation
from schema.permissions.directive import PUBLIC, permission_field
from schema.solutions.inputs import (
    CoSaleDelistInput, CoSaleListInput, CoSaleRejectInput, CoSaleRequestInput, SolutionArchiveInput,
    SolutionCreateInput, SolutionPublishInput, SolutionUpdateInput,
)
from schema.solutions.types import CoSaleProduct, Solution
from resolvers.permissions.catalog import Permission


@strawberry.type(description="The result of a solution mutation.", directives=[PUBLIC])
class SolutionPayload:
    solution: Solution | None = strawberry.field(description="The solution as it is now; null if refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the change was refused; empty on success.")


@strawberry.type(description="The result of a co-sale mutation.", directives=[PUBLIC])
class CoSaleProductPayload:
    co_sale_product: CoSaleProduct | None = strawberry.field(description="The co-sale product as it is now; null if refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the change was refused; empty on success.")


async def _solution(info: strawberry.Info, action: str, input: Any,
                    change: Callable[[], Awaitable[m.Solution]]) -> SolutionPayload:
    solution, errors = await run_mutation(info, action, input, change, target=lambda s: f"Solution:{s.id}")
    return SolutionPayload(solution=solution, user_errors=errors)


async def _co_sale(info: strawberry.Info, action: str, input: Any,
                   change: Callable[[], Awaitable[m.CoSaleProduct]]) -> CoSaleProductPayload:
    product, errors = await run_mutation(info, action, input, change, target=lambda p: f"CoSaleProduct:{p.id}")
    return CoSaleProductPayload(co_sale_product=product, user_errors=errors)


def _solution_id(input: Any) -> int:
    return mutation_pk(input.id, "Solution", "id")


def _product_id(input: Any) -> int:
    return mutation_pk(input.id, "CoSaleProduct", "id")


def _arg(description: str) -> Any:
    return strawberry.argument(description=description)


@strawberry.type(description="Solutions and co-sale listings.")
class SolutionMutations:
    @permission_field(requires=Permission.SOLUTION_MANAGE, description="Create a solution (方案) for your partner, as a DRAFT.")
    async def solution_create(self, info: strawberry.Info, input: Annotated[SolutionCreateInput, _arg("The new solution.")]) -> SolutionPayload | None:
        return await _solution(info, "solutionCreate", input, lambda: services.create_solution(
            info.context.principal, name=input.name, summary=input.summary, industries=input.industries,
            pdm_contact=input.pdm_contact))

    @permission_field(requires=Permission.SOLUTION_MANAGE, description="Change a DRAFT or PUBLISHED solution.")
    async def solution_update(self, info: strawberry.Info, input: Annotated[SolutionUpdateInput, _arg("The changes.")]) -> SolutionPayload | None:
        return await _solution(info, "solutionUpdate", input, lambda: services.update_solution(
            info.context.principal, _solution_id(input), name=input.name, summary=input.summary,
            industries=input.industries, pdm_contact=input.pdm_contact))

    @permission_field(requires=Permission.SOLUTION_MANAGE, description="Publish a DRAFT solution (DRAFT → PUBLISHED).")
    async def solution_publish(self, info: strawberry.Info, input: Annotated[SolutionPublishInput, _arg("The solution.")]) -> SolutionPayload | None:
        return await _solution(info, "solutionPublish", input, lambda: services.publish_solution(
            info.context.principal, _solution_id(input)))

    @permission_field(requires=Permission.SOLUTION_MANAGE, description="Archive a DRAFT or PUBLISHED solution (→ ARCHIVED); it can no longer change.")
    async def solution_archive(self, info: strawberry.Info, input: Annotated[SolutionArchiveInput, _arg("The solution.")]) -> SolutionPayload | None:
        return await _solution(info, "solutionArchive", input, lambda: services.archive_solution(
            info.context.principal, _solution_id(input)))

    @permission_field(requires=Permission.COSALE_REQUEST, description="Ask for a product of a PUBLISHED solution to be listed for co-sale (联合销售商品); it starts as REQUESTED.")
    async def co_sale_request(self, info: strawberry.Info, input: Annotated[CoSaleRequestInput, _arg("The solution and the product.")]) -> CoSaleProductPayload | None:
        return await _co_sale(info, "coSaleRequest", input, lambda: services.request_co_sale(
            info.context.principal, mutation_pk(input.solution_id, "Solution", "solutionId"), input.name))

    @permission_field(requires=Permission.COSALE_REVIEW, description="List a requested co-sale product (REQUESTED → LISTED); PDM.")
    async def co_sale_list(self, info: strawberry.Info, input: Annotated[CoSaleListInput, _arg("The co-sale product.")]) -> CoSaleProductPayload | None:
        return await _co_sale(info, "coSaleList", input, lambda: services.list_co_sale(
            info.context.principal, _product_id(input)))

    @permission_field(requires=Permission.COSALE_REVIEW, description="Reject a requested co-sale product with a reason (REQUESTED → REJECTED); PDM.")
    async def co_sale_reject(self, info: strawberry.Info, input: Annotated[CoSaleRejectInput, _arg("The co-sale product and the reason.")]) -> CoSaleProductPayload | None:
        return await _co_sale(info, "coSaleReject", input, lambda: services.reject_co_sale(
            info.context.principal, _product_id(input), input.reason))

    @permission_field(requires=Permission.COSALE_REVIEW, description="Delist a listed co-sale product (LISTED → DELISTED); PDM.")
    async def co_sale_delist(self, info: strawberry.Info, input: Annotated[CoSaleDelistInput, _arg("The co-sale product.")]) -> CoSaleProductPayload | None:
        return await _co_sale(info, "coSaleDelist", input, lambda: services.delist_co_sale(
            info.context.principal, _product_id(input)))
