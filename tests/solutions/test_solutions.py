"""Solutions (方案): create as DRAFT, edit, publish, archive; every refusal a userError with nothing changed."""

from __future__ import annotations

import asyncio

import pytest

from models.audit import AuditOutcome
from models.solutions import Solution
from models.solutions import SolutionStatus as St
from tests.factories import partner_named, unique
from tests.solutions.factories import NORTHWIND, SUMMIT, audit_count, create_solution, global_id

FIELDS = "solution { id name summary industries status pdmContact } userErrors { field message code }"


def _doc(name: str, input_type: str) -> str:
    return f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {FIELDS} }} }}"


CREATE = _doc("solutionCreate", "SolutionCreateInput")
UPDATE = _doc("solutionUpdate", "SolutionUpdateInput")
PUBLISH = _doc("solutionPublish", "SolutionPublishInput")
ARCHIVE = _doc("solutionArchive", "SolutionArchiveInput")
ADMIN = "distributor.admin"


async def run(gql, caller: str, document: str, **input) -> dict:
    data = (await gql.as_(caller, document, {"input": input})).ok()
    return next(iter(data.values()))


def sid(solution: Solution) -> str:
    return global_id("Solution", solution.id)


async def snapshot(solution: Solution) -> tuple:
    row = await Solution.get(id=solution.id)
    return row.name, row.summary, row.industries, row.status, row.pdm_contact, row.updated_at


async def test_a_solution_is_drafted_edited_published_and_archived(gql):
    name = unique("Solution")
    created = await run(gql, ADMIN, CREATE, name=f"  {name} ", summary="Shop systems.",
                        industries=["Retail", " Food ", "Retail"], pdmContact="Sun Hao")
    assert created["userErrors"] == []
    assert created["solution"] | {"id": None} == {
        "id": None, "name": name, "summary": "Shop systems.", "industries": ["Retail", "Food"], "status": "DRAFT", "pdmContact": "Sun Hao"}
    row = await Solution.get(name=name)
    assert row.partner_id == (await partner_named(NORTHWIND)).id and row.status is St.DRAFT
    assert await audit_count("solutionCreate", AuditOutcome.SUCCESS, ADMIN, target=f"Solution:{row.id}") == 1

    edited = await run(gql, ADMIN, UPDATE, id=sid(row), summary="Shop and membership systems.", industries=[])
    assert edited["userErrors"] == [] and edited["solution"]["summary"] == "Shop and membership systems."
    assert edited["solution"]["industries"] == [] and edited["solution"]["name"] == name

    published = await run(gql, ADMIN, PUBLISH, id=sid(row))
    assert published["userErrors"] == [] and published["solution"]["status"] == "PUBLISHED"
    assert (await Solution.get(id=row.id)).status is St.PUBLISHED

    renamed = await run(gql, ADMIN, UPDATE, id=sid(row), name=f"{name} v2")
    assert renamed["userErrors"] == [] and renamed["solution"]["status"] == "PUBLISHED"
    assert (await Solution.get(id=row.id)).name == f"{name} v2"

    archived = await run(gql, ADMIN, ARCHIVE, id=sid(row))
    assert archived["userErrors"] == [] and (await Solution.get(id=row.id)).status is St.ARCHIVED
    for action in ("solutionUpdate", "solutionPublish", "solutionArchive"):
        assert await audit_count(action, AuditOutcome.SUCCESS, ADMIN, target=f"Solution:{row.id}") >= 1


async def test_a_draft_may_be_archived_directly(gql):
    draft = await create_solution(St.DRAFT)
    archived = await run(gql, ADMIN, ARCHIVE, id=sid(draft))
    assert archived["userErrors"] == [] and (await Solution.get(id=draft.id)).status is St.ARCHIVED


ILLEGAL = [
    (St.ARCHIVED, UPDATE, "solutionUpdate", {"summary": "Revived."}),
    (St.ARCHIVED, PUBLISH, "solutionPublish", {}),
    (St.PUBLISHED, PUBLISH, "solutionPublish", {}),
    (St.ARCHIVED, ARCHIVE, "solutionArchive", {}),
]


@pytest.mark.parametrize(("status", "document", "action", "extra"), ILLEGAL, ids=[f"{i[2]}-{i[0].value}" for i in ILLEGAL])
async def test_illegal_transitions_are_refused_and_change_nothing(gql, status, document, action, extra):
    solution = await create_solution(status)
    before, audited = await snapshot(solution), await audit_count(action, AuditOutcome.USER_ERROR, ADMIN)
    refused = await run(gql, ADMIN, document, id=sid(solution), **extra)
    assert refused["solution"] is None
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("INVALID_STATE", ["id"])]
    assert await snapshot(solution) == before
    assert await audit_count(action, AuditOutcome.USER_ERROR, ADMIN) == audited + 1


@pytest.mark.parametrize(("input", "errors"), [
    ({"name": " "}, [("REQUIRED", ["name"])]),
    ({"name": "x" * 201}, [("TOO_LONG", ["name"])]),
    ({"summary": "x" * 2001}, [("TOO_LONG", ["summary"])]),
    ({"pdmContact": "x" * 201}, [("TOO_LONG", ["pdmContact"])]),
    ({"industries": [f"I{n}" for n in range(21)]}, [("LIMIT_EXCEEDED", ["industries"])]),
    ({"industries": ["Retail", "x" * 51, ""]}, [("TOO_LONG", ["industries", "1"]), ("REQUIRED", ["industries", "2"])]),
    ({"name": "", "summary": "x" * 2001}, [("REQUIRED", ["name"]), ("TOO_LONG", ["summary"])]),
])
async def test_input_limits(gql, input, errors):
    before = await Solution.all().count()
    refused = await run(gql, ADMIN, CREATE, **({"name": unique("Solution")} | input))
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == errors
    assert await Solution.all().count() == before
    existing = await create_solution(St.DRAFT)
    snap = await snapshot(existing)
    refused = await run(gql, ADMIN, UPDATE, id=sid(existing), **input)
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == errors
    assert await snapshot(existing) == snap


async def test_limits_are_inclusive(gql):
    result = await run(gql, ADMIN, CREATE, name=unique("S") + "x" * 180, summary="s" * 2000, pdmContact="p" * 200,
                       industries=[f"{n:02d}" + "i" * 48 for n in range(20)])
    assert result["userErrors"] == [] and len(result["solution"]["industries"]) == 20


async def test_names_are_unique_per_partner(gql):
    taken = await create_solution(St.ARCHIVED)
    before = await Solution.filter(name=taken.name).count()
    duplicate = await run(gql, ADMIN, CREATE, name=taken.name)
    assert [(e["code"], e["field"]) for e in duplicate["userErrors"]] == [("CONFLICT", ["name"])]
    other = await create_solution(St.DRAFT)
    snap = await snapshot(other)
    rename = await run(gql, ADMIN, UPDATE, id=sid(other), name=taken.name)
    assert [e["code"] for e in rename["userErrors"]] == ["CONFLICT"]
    assert await snapshot(other) == snap
    assert await Solution.filter(name=taken.name).count() == before
    # Keeping its own name is no conflict; another partner may use the name.
    same = await run(gql, ADMIN, UPDATE, id=sid(other), name=other.name)
    assert same["userErrors"] == []
    elsewhere = await run(gql, "service.admin", CREATE, name=taken.name)
    assert elsewhere["userErrors"] == []


async def test_another_partners_solution_is_not_found(gql):
    summit = await create_solution(St.DRAFT, SUMMIT)
    snap = await snapshot(summit)
    for document, extra in [(UPDATE, {"name": "Taken over"}), (PUBLISH, {}), (ARCHIVE, {})]:
        refused = await run(gql, ADMIN, document, id=sid(summit), **extra)
        assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("NOT_FOUND", ["id"])]
    assert await snapshot(summit) == snap
    wrong_type = await run(gql, ADMIN, PUBLISH, id=global_id("CoSaleProduct", summit.id))
    assert [e["code"] for e in wrong_type["userErrors"]] == ["NOT_FOUND"]


DENIED = [
    ("distributor.finance", CREATE, "solutionCreate"),
    ("reseller.admin", CREATE, "solutionCreate"),
    ("staff.pdm", UPDATE, "solutionUpdate"),
    ("distributor.am", PUBLISH, "solutionPublish"),
    ("distributor.finance", ARCHIVE, "solutionArchive"),
]


@pytest.mark.parametrize(("caller", "document", "action"), DENIED, ids=[f"{d[0]}-{d[2]}" for d in DENIED])
async def test_callers_without_solution_manage_are_forbidden(gql, caller, document, action):
    audited = await audit_count(action, AuditOutcome.DENIED, caller)
    solution = await create_solution(St.DRAFT)
    snap, count = await snapshot(solution), await Solution.all().count()
    input = {"name": unique("Solution")} if document == CREATE else {"id": sid(solution)}
    response = await gql.as_(caller, document, {"input": input})
    assert response.data is None
    assert response.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": "solution.manage"}
    assert await snapshot(solution) == snap and await Solution.all().count() == count
    assert await audit_count(action, AuditOutcome.DENIED, caller) == audited + 1


async def test_concurrent_creates_with_one_name_make_one_solution(gql):
    name = unique("Solution")
    results = await asyncio.gather(*[run(gql, ADMIN, CREATE, name=name) for _ in range(4)])
    assert sorted(e["code"] for r in results for e in r["userErrors"]) == ["CONFLICT"] * 3
    assert await Solution.filter(name=name).count() == 1
