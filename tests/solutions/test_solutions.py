"""Solutions (方案): create as DRAFT, edit, publish, archive; every refusal a userError with nothing changed."""

from __future__ import annotations

import asyncio

import pytest

from models.audit import AuditOutcome
from models.solutions import Solution
from models.solutions import SolutionStatus as St
from tests.audit_log import audit_count
from tests.callers import Caller, mutate
from tests.factories import NORTHWIND, SUMMIT, create_solution, partner_named, unique
from tests.graphql import gid
from tests.solutions.documents import SOLUTION_PAYLOAD


async def snapshot(solution: Solution) -> tuple:
    row = await Solution.get(id=solution.id)
    return row.name, row.summary, row.industries, row.status, row.pdm_contact, row.updated_at


async def test_a_solution_is_drafted_edited_published_and_archived(as_distributor_admin):
    admin = as_distributor_admin
    name = unique("Solution")
    created = await mutate(admin, "solutionCreate", {
        "name": f"  {name} ", "summary": "Shop systems.", "industries": ["Retail", " Food ", "Retail"], "pdmContact": "Sun Hao",
    }, select=SOLUTION_PAYLOAD)
    assert created["userErrors"] == []
    assert created["solution"] | {"id": None} == {
        "id": None, "name": name, "summary": "Shop systems.", "industries": ["Retail", "Food"], "status": "DRAFT", "pdmContact": "Sun Hao"}
    row = await Solution.get(name=name)
    assert row.partner_id == (await partner_named(NORTHWIND)).id and row.status is St.DRAFT
    assert await audit_count("solutionCreate", AuditOutcome.SUCCESS, admin, target=f"Solution:{row.id}") == 1

    solution_id = gid("Solution", row.id)
    edited = await mutate(admin, "solutionUpdate", {"id": solution_id, "summary": "Shop and membership systems.", "industries": []},
                          select=SOLUTION_PAYLOAD)
    assert edited["userErrors"] == [] and edited["solution"]["summary"] == "Shop and membership systems."
    assert edited["solution"]["industries"] == [] and edited["solution"]["name"] == name

    published = await mutate(admin, "solutionPublish", {"id": solution_id}, select=SOLUTION_PAYLOAD)
    assert published["userErrors"] == [] and published["solution"]["status"] == "PUBLISHED"
    assert (await Solution.get(id=row.id)).status is St.PUBLISHED

    renamed = await mutate(admin, "solutionUpdate", {"id": solution_id, "name": f"{name} v2"}, select=SOLUTION_PAYLOAD)
    assert renamed["userErrors"] == [] and renamed["solution"]["status"] == "PUBLISHED"
    assert (await Solution.get(id=row.id)).name == f"{name} v2"

    archived = await mutate(admin, "solutionArchive", {"id": solution_id}, select=SOLUTION_PAYLOAD)
    assert archived["userErrors"] == [] and (await Solution.get(id=row.id)).status is St.ARCHIVED
    for action in ("solutionUpdate", "solutionPublish", "solutionArchive"):
        assert await audit_count(action, AuditOutcome.SUCCESS, admin, target=f"Solution:{row.id}") >= 1


async def test_a_draft_may_be_archived_directly(as_distributor_admin):
    draft = await create_solution(St.DRAFT)
    archived = await mutate(as_distributor_admin, "solutionArchive", {"id": gid("Solution", draft.id)}, select=SOLUTION_PAYLOAD)
    assert archived["userErrors"] == [] and (await Solution.get(id=draft.id)).status is St.ARCHIVED


ILLEGAL = [
    (St.ARCHIVED, "solutionUpdate", {"summary": "Revived."}),
    (St.ARCHIVED, "solutionPublish", {}),
    (St.PUBLISHED, "solutionPublish", {}),
    (St.ARCHIVED, "solutionArchive", {}),
]


@pytest.mark.parametrize(("status", "action", "extra"), ILLEGAL, ids=[f"{i[1]}-{i[0].value}" for i in ILLEGAL])
async def test_illegal_transitions_are_refused_and_change_nothing(as_distributor_admin, status, action, extra):
    solution = await create_solution(status)
    before, audited = await snapshot(solution), await audit_count(action, AuditOutcome.USER_ERROR, as_distributor_admin)
    refused = await mutate(as_distributor_admin, action, {"id": gid("Solution", solution.id), **extra}, select=SOLUTION_PAYLOAD)
    assert refused["solution"] is None
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("INVALID_STATE", ["id"])]
    assert await snapshot(solution) == before
    assert await audit_count(action, AuditOutcome.USER_ERROR, as_distributor_admin) == audited + 1


@pytest.mark.parametrize(("input", "errors"), [
    ({"name": " "}, [("REQUIRED", ["name"])]),
    ({"name": "x" * 201}, [("TOO_LONG", ["name"])]),
    ({"summary": "x" * 2001}, [("TOO_LONG", ["summary"])]),
    ({"pdmContact": "x" * 201}, [("TOO_LONG", ["pdmContact"])]),
    ({"industries": [f"I{n}" for n in range(21)]}, [("LIMIT_EXCEEDED", ["industries"])]),
    ({"industries": ["Retail", "x" * 51, ""]}, [("TOO_LONG", ["industries", "1"]), ("REQUIRED", ["industries", "2"])]),
    ({"name": "", "summary": "x" * 2001}, [("REQUIRED", ["name"]), ("TOO_LONG", ["summary"])]),
])
async def test_input_limits(as_distributor_admin, input, errors):
    before = await Solution.all().count()
    refused = await mutate(as_distributor_admin, "solutionCreate", {"name": unique("Solution")} | input, select=SOLUTION_PAYLOAD)
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == errors
    assert await Solution.all().count() == before
    existing = await create_solution(St.DRAFT)
    snap = await snapshot(existing)
    refused = await mutate(as_distributor_admin, "solutionUpdate", {"id": gid("Solution", existing.id), **input}, select=SOLUTION_PAYLOAD)
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == errors
    assert await snapshot(existing) == snap


async def test_limits_are_inclusive(as_distributor_admin):
    result = await mutate(as_distributor_admin, "solutionCreate", {
        "name": unique("S") + "x" * 180, "summary": "s" * 2000, "pdmContact": "p" * 200,
        "industries": [f"{n:02d}" + "i" * 48 for n in range(20)],
    }, select=SOLUTION_PAYLOAD)
    assert result["userErrors"] == [] and len(result["solution"]["industries"]) == 20


async def test_names_are_unique_per_partner(as_distributor_admin, as_service_admin):
    taken = await create_solution(St.ARCHIVED)
    before = await Solution.filter(name=taken.name).count()
    duplicate = await mutate(as_distributor_admin, "solutionCreate", {"name": taken.name}, select=SOLUTION_PAYLOAD)
    assert [(e["code"], e["field"]) for e in duplicate["userErrors"]] == [("CONFLICT", ["name"])]
    other = await create_solution(St.DRAFT)
    other_id = gid("Solution", other.id)
    snap = await snapshot(other)
    rename = await mutate(as_distributor_admin, "solutionUpdate", {"id": other_id, "name": taken.name}, select=SOLUTION_PAYLOAD)
    assert [e["code"] for e in rename["userErrors"]] == ["CONFLICT"]
    assert await snapshot(other) == snap
    assert await Solution.filter(name=taken.name).count() == before
    # Keeping its own name is no conflict; another partner may use the name.
    same = await mutate(as_distributor_admin, "solutionUpdate", {"id": other_id, "name": other.name}, select=SOLUTION_PAYLOAD)
    assert same["userErrors"] == []
    elsewhere = await mutate(as_service_admin, "solutionCreate", {"name": taken.name}, select=SOLUTION_PAYLOAD)
    assert elsewhere["userErrors"] == []


async def test_another_partners_solution_is_not_found(as_distributor_admin):
    summit = await create_solution(St.DRAFT, SUMMIT)
    snap = await snapshot(summit)
    for action, extra in [("solutionUpdate", {"name": "Taken over"}), ("solutionPublish", {}), ("solutionArchive", {})]:
        refused = await mutate(as_distributor_admin, action, {"id": gid("Solution", summit.id), **extra}, select=SOLUTION_PAYLOAD)
        assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("NOT_FOUND", ["id"])]
    assert await snapshot(summit) == snap
    wrong_type = await mutate(as_distributor_admin, "solutionPublish", {"id": gid("CoSaleProduct", summit.id)}, select=SOLUTION_PAYLOAD)
    assert [e["code"] for e in wrong_type["userErrors"]] == ["NOT_FOUND"]


DENIED = [
    ("distributor.finance", "solutionCreate"),
    ("reseller.admin", "solutionCreate"),
    ("staff.pdm", "solutionUpdate"),
    ("distributor.am", "solutionPublish"),
    ("distributor.finance", "solutionArchive"),
]


@pytest.mark.parametrize(("caller", "action"), DENIED, ids=[f"{d[0]}-{d[1]}" for d in DENIED])
async def test_callers_without_solution_manage_are_forbidden(gql, caller, action):
    audited = await audit_count(action, AuditOutcome.DENIED, caller)
    solution = await create_solution(St.DRAFT)
    snap, count = await snapshot(solution), await Solution.all().count()
    input = {"name": unique("Solution")} if action == "solutionCreate" else {"id": gid("Solution", solution.id)}
    denied = await mutate(Caller(gql, caller), action, input, select=SOLUTION_PAYLOAD)
    assert denied.response.data is None
    assert denied.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": "solution.manage"}
    assert await snapshot(solution) == snap and await Solution.all().count() == count
    assert await audit_count(action, AuditOutcome.DENIED, caller) == audited + 1


async def test_concurrent_creates_with_one_name_make_one_solution(as_distributor_admin):
    name = unique("Solution")
    results = await asyncio.gather(*[
        mutate(as_distributor_admin, "solutionCreate", {"name": name}, select=SOLUTION_PAYLOAD) for _ in range(4)])
    assert sorted(e["code"] for r in results for e in r["userErrors"]) == ["CONFLICT"] * 3
    assert await Solution.filter(name=name).count() == 1
