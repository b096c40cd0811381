"""Co-sale listings (联合销售商品): the partner requests, the PDM lists, rejects or delists; illegal moves refused."""

from __future__ import annotations

import asyncio

import pytest

from models.audit import AuditOutcome
from models.solutions import CoSaleProduct, Solution
from models.solutions import CoSaleStatus as C
from models.solutions import SolutionStatus as St
from tests.audit_log import audit_count
from tests.callers import Caller, Mutated, mutate
from tests.factories import SUMMIT, create_co_sale_product, create_solution, unique
from tests.graphql import gid
from tests.solutions.documents import CO_SALE_PAYLOAD, LISTINGS


async def snapshot(product: CoSaleProduct) -> tuple:
    row = await CoSaleProduct.get(id=product.id)
    return row.status, row.rejection_reason, row.listed_at, row.delisted_at


async def request(caller: Caller, solution_id: int, **input) -> Mutated:
    return await mutate(caller, "coSaleRequest", {"solutionId": gid("Solution", solution_id), **input}, select=CO_SALE_PAYLOAD)


async def review(caller: Caller, action: str, product_id: str, **input) -> Mutated:
    return await mutate(caller, action, {"id": product_id, **input}, select=CO_SALE_PAYLOAD)


async def test_a_product_is_requested_listed_and_delisted(as_distributor_admin, as_staff_pdm):
    solution = await create_solution(St.PUBLISHED)
    requested = await request(as_distributor_admin, solution.id, name=" POS Cloud ")
    assert requested["userErrors"] == []
    product = requested["coSaleProduct"]
    assert (product["name"], product["status"], product["listedAt"], product["solution"]["name"]) == (
        "POS Cloud", "REQUESTED", None, solution.name)
    assert product["requestedAt"] is not None
    row = await CoSaleProduct.get(solution_id=solution.id, name="POS Cloud")
    assert row.status is C.REQUESTED
    assert await audit_count("coSaleRequest", AuditOutcome.SUCCESS, as_distributor_admin, target=f"CoSaleProduct:{row.id}") == 1

    listed = await review(as_staff_pdm, "coSaleList", product["id"])
    assert listed["userErrors"] == [] and listed["coSaleProduct"]["status"] == "LISTED"
    assert listed["coSaleProduct"]["listedAt"] is not None
    row = await CoSaleProduct.get(id=row.id)
    assert row.status is C.LISTED and row.listed_at is not None and row.delisted_at is None

    delisted = await review(as_staff_pdm, "coSaleDelist", product["id"])
    assert delisted["userErrors"] == [] and delisted["coSaleProduct"]["delistedAt"] is not None
    row = await CoSaleProduct.get(id=row.id)
    assert row.status is C.DELISTED and row.delisted_at is not None
    for action in ("coSaleList", "coSaleDelist"):
        assert await audit_count(action, AuditOutcome.SUCCESS, as_staff_pdm, target=f"CoSaleProduct:{row.id}") == 1

    # The partner sees the listing status on its solution.
    seen = (await as_distributor_admin.query(LISTINGS, {"id": gid("Solution", solution.id)})).ok()["node"]
    assert seen["coSaleProducts"]["nodes"] == [{"name": "POS Cloud", "status": "DELISTED", "rejectionReason": ""}]


async def test_the_pdm_rejects_with_a_reason_and_the_partner_may_ask_again(as_distributor_admin, as_staff_pdm):
    product = await create_co_sale_product(C.REQUESTED)
    rejected = await review(as_staff_pdm, "coSaleReject", gid("CoSaleProduct", product.id), reason="Hardware cannot be co-sold.")
    assert rejected["userErrors"] == [] and rejected["coSaleProduct"]["status"] == "REJECTED"
    row = await CoSaleProduct.get(id=product.id)
    assert (row.status, row.rejection_reason) == (C.REJECTED, "Hardware cannot be co-sold.")
    assert await audit_count("coSaleReject", AuditOutcome.SUCCESS, as_staff_pdm, target=f"CoSaleProduct:{row.id}") == 1
    again = await request(as_distributor_admin, product.solution_id, name=product.name)
    assert again["userErrors"] == [] and again["coSaleProduct"]["status"] == "REQUESTED"


ILLEGAL = [
    (C.LISTED, "coSaleList", {}),
    (C.REJECTED, "coSaleList", {}),
    (C.DELISTED, "coSaleList", {}),
    (C.LISTED, "coSaleReject", {"reason": "No."}),
    (C.DELISTED, "coSaleReject", {"reason": "No."}),
    (C.REQUESTED, "coSaleDelist", {}),
    (C.REJECTED, "coSaleDelist", {}),
    (C.DELISTED, "coSaleDelist", {}),
]


@pytest.mark.parametrize(("status", "action", "extra"), ILLEGAL, ids=[f"{i[1]}-{i[0].value}" for i in ILLEGAL])
async def test_illegal_transitions_are_refused_and_change_nothing(as_staff_pdm, status, action, extra):
    product = await create_co_sale_product(status, rejection_reason="Earlier." if status is C.REJECTED else "")
    before, audited = await snapshot(product), await audit_count(action, AuditOutcome.USER_ERROR, as_staff_pdm)
    refused = await review(as_staff_pdm, action, gid("CoSaleProduct", product.id), **extra)
    assert refused["coSaleProduct"] is None
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("INVALID_STATE", ["id"])]
    assert await snapshot(product) == before
    assert await audit_count(action, AuditOutcome.USER_ERROR, as_staff_pdm) == audited + 1


async def test_only_published_solutions_are_offered_and_listed(as_distributor_admin, as_staff_pdm):
    for status in (St.DRAFT, St.ARCHIVED):
        solution = await create_solution(status)
        refused = await request(as_distributor_admin, solution.id, name="Anything")
        assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("INVALID_STATE", ["solutionId"])]
        assert not await CoSaleProduct.filter(solution_id=solution.id).exists()
    # A request whose solution was archived meanwhile is not listed.
    product = await create_co_sale_product(C.REQUESTED)
    await Solution.filter(id=product.solution_id).update(status=St.ARCHIVED)
    before = await snapshot(product)
    refused = await review(as_staff_pdm, "coSaleList", gid("CoSaleProduct", product.id))
    assert [e["code"] for e in refused["userErrors"]] == ["INVALID_STATE"]
    assert await snapshot(product) == before


@pytest.mark.parametrize("status", [C.REQUESTED, C.LISTED])
async def test_one_open_listing_per_product_name(as_distributor_admin, status):
    product = await create_co_sale_product(status)
    refused = await request(as_distributor_admin, product.solution_id, name=product.name)
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("CONFLICT", ["name"])]
    assert await CoSaleProduct.filter(solution_id=product.solution_id).count() == 1
    other = await request(as_distributor_admin, product.solution_id, name=unique("Product"))
    assert other["userErrors"] == []


@pytest.mark.parametrize(("action", "input", "field", "code"), [
    ("coSaleRequest", {"name": ""}, "name", "REQUIRED"),
    ("coSaleRequest", {"name": "x" * 201}, "name", "TOO_LONG"),
    ("coSaleReject", {"reason": "  "}, "reason", "REQUIRED"),
    ("coSaleReject", {"reason": "x" * 501}, "reason", "TOO_LONG"),
])
async def test_input_limits(as_distributor_admin, as_staff_pdm, action, input, field, code):
    product = await create_co_sale_product(C.REQUESTED)
    before, count = await snapshot(product), await CoSaleProduct.all().count()
    if action == "coSaleRequest":
        refused = await request(as_distributor_admin, product.solution_id, **input)
    else:
        refused = await review(as_staff_pdm, "coSaleReject", gid("CoSaleProduct", product.id), **input)
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [(code, [field])]
    assert await snapshot(product) == before and await CoSaleProduct.all().count() == count


async def test_another_partners_solution_is_not_found_and_the_pdm_reaches_every_partner(as_distributor_admin, as_staff_pdm):
    summit = await create_solution(St.PUBLISHED, SUMMIT)
    refused = await request(as_distributor_admin, summit.id, name="Borrowed")
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("NOT_FOUND", ["solutionId"])]
    assert not await CoSaleProduct.filter(solution_id=summit.id).exists()
    summit_product = await create_co_sale_product(C.REQUESTED, summit)
    listed = await review(as_staff_pdm, "coSaleList", gid("CoSaleProduct", summit_product.id))
    assert listed["userErrors"] == [] and (await CoSaleProduct.get(id=summit_product.id)).status is C.LISTED
    missing = await review(as_staff_pdm, "coSaleList", gid("CoSaleProduct", 10**9))
    assert [(e["code"], e["field"]) for e in missing["userErrors"]] == [("NOT_FOUND", ["id"])]


DENIED = [
    ("distributor.finance", "coSaleRequest", "cosale.request"),
    ("staff.pdm", "coSaleRequest", "cosale.request"),
    ("distributor.admin", "coSaleList", "cosale.review"),
    ("staff.ecosystem", "coSaleList", "cosale.review"),
    ("service.admin", "coSaleReject", "cosale.review"),
    ("distributor.admin", "coSaleDelist", "cosale.review"),
]


@pytest.mark.parametrize(("caller", "action", "permission"), DENIED, ids=[f"{d[0]}-{d[1]}" for d in DENIED])
async def test_callers_without_the_permission_are_forbidden(gql, caller, action, permission):
    audited = await audit_count(action, AuditOutcome.DENIED, caller)
    product = await create_co_sale_product(C.LISTED if action == "coSaleDelist" else C.REQUESTED)
    before, count = await snapshot(product), await CoSaleProduct.all().count()
    input = {
        "coSaleRequest": {"solutionId": gid("Solution", product.solution_id), "name": unique("Product")},
        "coSaleReject": {"id": gid("CoSaleProduct", product.id), "reason": "No."},
    }.get(action, {"id": gid("CoSaleProduct", product.id)})
    denied = await mutate(Caller(gql, caller), action, input, select=CO_SALE_PAYLOAD)
    assert denied.response.data is None
    assert denied.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": permission}
    assert await snapshot(product) == before and await CoSaleProduct.all().count() == count
    assert await audit_count(action, AuditOutcome.DENIED, caller) == audited + 1


async def test_concurrent_requests_for_one_name_make_one_listing(as_distributor_admin):
    solution = await create_solution(St.PUBLISHED)
    results = await asyncio.gather(*[request(as_distributor_admin, solution.id, name="Same product") for _ in range(4)])
    assert sorted(e["code"] for r in results for e in r["userErrors"]) == ["CONFLICT"] * 3
    assert await CoSaleProduct.filter(solution_id=solution.id).count() == 1
