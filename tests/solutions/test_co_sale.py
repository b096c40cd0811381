"""Co-sale listings (联合销售商品): the partner requests, the PDM lists, rejects or delists; illegal moves refused."""

from __future__ import annotations

import asyncio

import pytest

from models.audit import AuditOutcome
from models.solutions import CoSaleProduct, Solution
from models.solutions import CoSaleStatus as C
from models.solutions import SolutionStatus as St
from tests.factories import unique
from tests.solutions.factories import SUMMIT, audit_count, create_co_sale_product, create_solution, global_id

FIELDS = """coSaleProduct { id name status rejectionReason requestedAt listedAt delistedAt solution { name } }
    userErrors { field message code }"""


def _doc(name: str, input_type: str) -> str:
    return f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {FIELDS} }} }}"


REQUEST = _doc("coSaleRequest", "CoSaleRequestInput")
LIST = _doc("coSaleList", "CoSaleListInput")
REJECT = _doc("coSaleReject", "CoSaleRejectInput")
DELIST = _doc("coSaleDelist", "CoSaleDelistInput")
LISTINGS = """query($id: ID!) { node(id: $id) { ... on Solution { coSaleProducts(first: 10) { nodes { name status rejectionReason } } } } }"""
ADMIN, PDM = "distributor.admin", "staff.pdm"


async def run(gql, caller: str, document: str, **input) -> dict:
    data = (await gql.as_(caller, document, {"input": input})).ok()
    return next(iter(data.values()))


def pid(product: CoSaleProduct) -> str:
    return global_id("CoSaleProduct", product.id)


async def snapshot(product: CoSaleProduct) -> tuple:
    row = await CoSaleProduct.get(id=product.id)
    return row.status, row.rejection_reason, row.listed_at, row.delisted_at


async def test_a_product_is_requested_listed_and_delisted(gql):
    solution = await create_solution(St.PUBLISHED)
    requested = await run(gql, ADMIN, REQUEST, solutionId=global_id("Solution", solution.id), name=" POS Cloud ")
    assert requested["userErrors"] == []
    product = requested["coSaleProduct"]
    assert (product["name"], product["status"], product["listedAt"], product["solution"]["name"]) == (
        "POS Cloud", "REQUESTED", None, solution.name)
    assert product["requestedAt"] is not None
    row = await CoSaleProduct.get(solution_id=solution.id, name="POS Cloud")
    assert row.status is C.REQUESTED
    assert await audit_count("coSaleRequest", AuditOutcome.SUCCESS, ADMIN, target=f"CoSaleProduct:{row.id}") == 1

    listed = await run(gql, PDM, LIST, id=product["id"])
    assert listed["userErrors"] == [] and listed["coSaleProduct"]["status"] == "LISTED"
    assert listed["coSaleProduct"]["listedAt"] is not None
    row = await CoSaleProduct.get(id=row.id)
    assert row.status is C.LISTED and row.listed_at is not None and row.delisted_at is None

    delisted = await run(gql, PDM, DELIST, id=product["id"])
    assert delisted["userErrors"] == [] and delisted["coSaleProduct"]["delistedAt"] is not None
    row = await CoSaleProduct.get(id=row.id)
    assert row.status is C.DELISTED and row.delisted_at is not None
    for action in ("coSaleList", "coSaleDelist"):
        assert await audit_count(action, AuditOutcome.SUCCESS, PDM, target=f"CoSaleProduct:{row.id}") == 1

    # The partner sees the listing status on its solution.
    seen = (await gql.as_(ADMIN, LISTINGS, {"id": global_id("Solution", solution.id)})).ok()["node"]
    assert seen["coSaleProducts"]["nodes"] == [{"name": "POS Cloud", "status": "DELISTED", "rejectionReason": ""}]


async def test_the_pdm_rejects_with_a_reason_and_the_partner_may_ask_again(gql):
    product = await create_co_sale_product(C.REQUESTED)
    rejected = await run(gql, PDM, REJECT, id=pid(product), reason="Hardware cannot be co-sold.")
    assert rejected["userErrors"] == [] and rejected["coSaleProduct"]["status"] == "REJECTED"
    row = await CoSaleProduct.get(id=product.id)
    assert (row.status, row.rejection_reason) == (C.REJECTED, "Hardware cannot be co-sold.")
    assert await audit_count("coSaleReject", AuditOutcome.SUCCESS, PDM, target=f"CoSaleProduct:{row.id}") == 1
    again = await run(gql, ADMIN, REQUEST, solutionId=global_id("Solution", product.solution_id), name=product.name)
    assert again["userErrors"] == [] and again["coSaleProduct"]["status"] == "REQUESTED"


ILLEGAL = [
    (C.LISTED, LIST, "coSaleList", {}),
    (C.REJECTED, LIST, "coSaleList", {}),
    (C.DELISTED, LIST, "coSaleList", {}),
    (C.LISTED, REJECT, "coSaleReject", {"reason": "No."}),
    (C.DELISTED, REJECT, "coSaleReject", {"reason": "No."}),
    (C.REQUESTED, DELIST, "coSaleDelist", {}),
    (C.REJECTED, DELIST, "coSaleDelist", {}),
    (C.DELISTED, DELIST, "coSaleDelist", {}),
]


@pytest.mark.parametrize(("status", "document", "action", "extra"), ILLEGAL, ids=[f"{i[2]}-{i[0].value}" for i in ILLEGAL])
async def test_illegal_transitions_are_refused_and_change_nothing(gql, status, document, action, extra):
    product = await create_co_sale_product(status, rejection_reason="Earlier." if status is C.REJECTED else "")
    before, audited = await snapshot(product), await audit_count(action, AuditOutcome.USER_ERROR, PDM)
    refused = await run(gql, PDM, document, id=pid(product), **extra)
    assert refused["coSaleProduct"] is None
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("INVALID_STATE", ["id"])]
    assert await snapshot(product) == before
    assert await audit_count(action, AuditOutcome.USER_ERROR, PDM) == audited + 1


async def test_only_published_solutions_are_offered_and_listed(gql):
    for status in (St.DRAFT, St.ARCHIVED):
        solution = await create_solution(status)
        refused = await run(gql, ADMIN, REQUEST, solutionId=global_id("Solution", solution.id), name="Anything")
        assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("INVALID_STATE", ["solutionId"])]
        assert not await CoSaleProduct.filter(solution_id=solution.id).exists()
    # A request whose solution was archived meanwhile is not listed.
    product = await create_co_sale_product(C.REQUESTED)
    await Solution.filter(id=product.solution_id).update(status=St.ARCHIVED)
    before = await snapshot(product)
    refused = await run(gql, PDM, LIST, id=pid(product))
    assert [e["code"] for e in refused["userErrors"]] == ["INVALID_STATE"]
    assert await snapshot(product) == before


@pytest.mark.parametrize("status", [C.REQUESTED, C.LISTED])
async def test_one_open_listing_per_product_name(gql, status):
    product = await create_co_sale_product(status)
    refused = await run(gql, ADMIN, REQUEST, solutionId=global_id("Solution", product.solution_id), name=product.name)
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("CONFLICT", ["name"])]
    assert await CoSaleProduct.filter(solution_id=product.solution_id).count() == 1
    other = await run(gql, ADMIN, REQUEST, solutionId=global_id("Solution", product.solution_id), name=unique("Product"))
    assert other["userErrors"] == []


@pytest.mark.parametrize(("document", "input", "field", "code"), [
    (REQUEST, {"name": ""}, "name", "REQUIRED"),
    (REQUEST, {"name": "x" * 201}, "name", "TOO_LONG"),
    (REJECT, {"reason": "  "}, "reason", "REQUIRED"),
    (REJECT, {"reason": "x" * 501}, "reason", "TOO_LONG"),
])
async def test_input_limits(gql, document, input, field, code):
    product = await create_co_sale_product(C.REQUESTED)
    before, count = await snapshot(product), await CoSaleProduct.all().count()
    if document == REQUEST:
        refused = await run(gql, ADMIN, REQUEST, solutionId=global_id("Solution", product.solution_id), **input)
    else:
        refused = await run(gql, PDM, REJECT, id=pid(product), **input)
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [(code, [field])]
    assert await snapshot(product) == before and await CoSaleProduct.all().count() == count


async def test_another_partners_solution_is_not_found_and_the_pdm_reaches_every_partner(gql):
    summit = await create_solution(St.PUBLISHED, SUMMIT)
    refused = await run(gql, ADMIN, REQUEST, solutionId=global_id("Solution", summit.id), name="Borrowed")
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("NOT_FOUND", ["solutionId"])]
    assert not await CoSaleProduct.filter(solution_id=summit.id).exists()
    summit_product = await create_co_sale_product(C.REQUESTED, summit)
    listed = await run(gql, PDM, LIST, id=pid(summit_product))
    assert listed["userErrors"] == [] and (await CoSaleProduct.get(id=summit_product.id)).status is C.LISTED
    missing = await run(gql, PDM, LIST, id=global_id("CoSaleProduct", 10**9))
    assert [(e["code"], e["field"]) for e in missing["userErrors"]] == [("NOT_FOUND", ["id"])]


DENIED = [
    ("distributor.finance", REQUEST, "coSaleRequest", "cosale.request"),
    ("staff.pdm", REQUEST, "coSaleRequest", "cosale.request"),
    ("distributor.admin", LIST, "coSaleList", "cosale.review"),
    ("staff.ecosystem", LIST, "coSaleList", "cosale.review"),
    ("service.admin", REJECT, "coSaleReject", "cosale.review"),
    ("distributor.admin", DELIST, "coSaleDelist", "cosale.review"),
]


@pytest.mark.parametrize(("caller", "document", "action", "permission"), DENIED, ids=[f"{d[0]}-{d[2]}" for d in DENIED])
async def test_callers_without_the_permission_are_forbidden(gql, caller, document, action, permission):
    audited = await audit_count(action, AuditOutcome.DENIED, caller)
    product = await create_co_sale_product(C.LISTED if document == DELIST else C.REQUESTED)
    before, count = await snapshot(product), await CoSaleProduct.all().count()
    input = {
        REQUEST: {"solutionId": global_id("Solution", product.solution_id), "name": unique("Product")},
        REJECT: {"id": pid(product), "reason": "No."},
    }.get(document, {"id": pid(product)})
    response = await gql.as_(caller, document, {"input": input})
    assert response.data is None
    assert response.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": permission}
    assert await snapshot(product) == before and await CoSaleProduct.all().count() == count
    assert await audit_count(action, AuditOutcome.DENIED, caller) == audited + 1


async def test_concurrent_requests_for_one_name_make_one_listing(gql):
    solution = await create_solution(St.PUBLISHED)
    results = await asyncio.gather(*[
        run(gql, ADMIN, REQUEST, solutionId=global_id("Solution", solution.id), name="Same product") for _ in range(4)])
    assert sorted(e["code"] for r in results for e in r["userErrors"]) == ["CONFLICT"] * 3
    assert await CoSaleProduct.filter(solution_id=solution.id).count() == 1
