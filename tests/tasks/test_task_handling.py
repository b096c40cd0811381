"""Handling marketing tasks: every transition, the illegal ones, who may handle which task."""

from __future__ import annotations

import asyncio

from models.audit import AuditOutcome, AuditRecord
from models.tasks import Task, TaskHandlingRecord, TaskKind, TaskStatus
from tests.callers import Caller, Mutated, mutate
from tests.factories import create_member_with_grants, create_task
from tests.graphql import gid
from tests.tasks.documents import TASK_PAYLOAD

PENDING, IN_PROGRESS, COMPLETED, CLOSED = TaskStatus.PENDING, TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED, TaskStatus.CLOSED


async def handle(caller: Caller, task: Task, action: str, note: str | None = None) -> Mutated:
    return await mutate(caller, "taskHandle", {"id": gid("Task", task.id), "action": action, "note": note}, select=TASK_PAYLOAD)


async def state(task: Task) -> tuple[TaskStatus, int]:
    return (await Task.get(id=task.id)).status, await TaskHandlingRecord.filter(task_id=task.id).count()


async def test_start_note_complete(as_distributor_admin):
    task = await create_task()
    started = await handle(as_distributor_admin, task, "START", "Called the IT lead.")
    assert started["userErrors"] == [] and started["task"]["status"] == "IN_PROGRESS"
    noted = await handle(as_distributor_admin, task, "NOTE", "  Sent a quotation.  ")
    assert noted["task"]["status"] == "IN_PROGRESS"
    completed = await handle(as_distributor_admin, task, "COMPLETE")
    assert completed["task"]["status"] == "COMPLETED"
    assert completed["task"]["handlingRecords"]["nodes"] == [
        {"action": "START", "note": "Called the IT lead.", "fromStatus": "PENDING", "toStatus": "IN_PROGRESS", "actor": {"name": "distributor.admin"}},
        {"action": "NOTE", "note": "Sent a quotation.", "fromStatus": "IN_PROGRESS", "toStatus": "IN_PROGRESS", "actor": {"name": "distributor.admin"}},
        {"action": "COMPLETE", "note": "", "fromStatus": "IN_PROGRESS", "toStatus": "COMPLETED", "actor": {"name": "distributor.admin"}},
    ]
    actor = await as_distributor_admin.account()
    assert await AuditRecord.filter(action="taskHandle", outcome=AuditOutcome.SUCCESS, target=f"Task:{task.id}", actor_id=actor.id).count() == 3


async def test_close_from_pending_and_from_in_progress(as_distributor_admin):
    for status in (PENDING, IN_PROGRESS):
        task = await create_task(status=status, kind=TaskKind.LARGE_ORDER_RENEWAL)
        closed = await handle(as_distributor_admin, task, "CLOSE", "No budget this year.")
        assert closed["userErrors"] == [] and closed["task"]["status"] == "CLOSED"
        [record] = await TaskHandlingRecord.filter(task_id=task.id)
        assert (record.action, record.from_status, record.to_status) == ("CLOSE", status, CLOSED)


async def test_illegal_transitions_change_nothing(as_distributor_admin):
    cases = [(status, action) for status in (COMPLETED, CLOSED) for action in ("START", "NOTE", "COMPLETE", "CLOSE")]
    cases += [(PENDING, "NOTE"), (PENDING, "COMPLETE"), (IN_PROGRESS, "START")]
    for status, action in cases:
        task = await create_task(status=status)
        refused = await handle(as_distributor_admin, task, action, "A note.")
        assert refused["task"] is None, (status, action)
        assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("INVALID_STATE", ["action"])], (status, action)
        assert await state(task) == (status, 0), (status, action)
    assert await AuditRecord.filter(action="taskHandle", outcome=AuditOutcome.USER_ERROR).exists()


async def test_note_rules(as_distributor_admin):
    task = await create_task(status=IN_PROGRESS)
    for note, code in [(None, "REQUIRED"), ("   ", "REQUIRED"), ("x" * 2001, "TOO_LONG")]:
        refused = await handle(as_distributor_admin, task, "NOTE", note)
        assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [(code, ["note"])], note
    assert (await handle(as_distributor_admin, task, "CLOSE", "x" * 2001))["userErrors"][0]["code"] == "TOO_LONG"
    assert await state(task) == (IN_PROGRESS, 0)
    assert (await handle(as_distributor_admin, task, "NOTE", "x" * 2000))["userErrors"] == []


async def test_account_managers_handle_only_their_customers_tasks(as_account_manager, as_account_manager_supervisor):
    mine = await create_task(manager=as_account_manager.name)
    theirs = await create_task(manager="distributor.am2")
    nobody = await create_task(manager=None)
    assert (await handle(as_account_manager, mine, "START"))["task"]["status"] == "IN_PROGRESS"
    for task in (theirs, nobody):
        refused = await handle(as_account_manager, task, "START")
        assert refused["task"] is None and [(e["code"], e["field"]) for e in refused["userErrors"]] == [("NOT_FOUND", ["id"])]
        assert await state(task) == (PENDING, 0)
    # The supervisor handles the tasks of the account managers it supervises.
    assert (await handle(as_account_manager_supervisor, theirs, "START"))["userErrors"] == []


async def test_other_partners_tasks_are_not_found(as_distributor_admin, as_provider_admin, as_staff_operations):
    task = await create_task()
    for caller in (as_provider_admin, as_staff_operations):
        response = await handle(caller, task, "START")
        if caller is as_staff_operations:  # staff may view tasks but never handle them
            assert response.errors[0]["extensions"]["code"] == "FORBIDDEN"
        else:
            assert [e["code"] for e in response["userErrors"]] == ["NOT_FOUND"]
    wrong_type = await mutate(as_distributor_admin, "taskHandle", {"id": gid("Customer", task.customer_id), "action": "START"},
                              select=TASK_PAYLOAD)
    assert [e["code"] for e in wrong_type["userErrors"]] == ["NOT_FOUND"]
    assert await state(task) == (PENDING, 0)


async def test_resellers_only_view_tasks(as_reseller_admin):
    task = await create_task(partner="Harbor Lane Cloud Services", manager=None)
    denied = await handle(as_reseller_admin, task, "START")
    assert denied.response.data is None
    assert denied.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": "task.sales.handle"}
    assert await state(task) == (PENDING, 0)
    reseller = await as_reseller_admin.account()
    assert await AuditRecord.filter(action="taskHandle", outcome=AuditOutcome.DENIED, actor_id=reseller.id).exists()


async def test_handling_needs_the_permission_of_the_tasks_kind(gql):
    member = await create_member_with_grants(["task.sales.view", "task.renewal.view", "task.sales.handle"])
    renewal = await create_task(kind=TaskKind.LARGE_ORDER_RENEWAL, manager=None)
    sales = await create_task(kind=TaskKind.SALES_EXPANSION, manager=None)
    denied = await handle(Caller(gql, member.name), renewal, "START")
    assert denied.response.data == {"taskHandle": None}
    assert denied.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": "task.renewal.handle"}
    assert await state(renewal) == (PENDING, 0)
    assert await AuditRecord.filter(action="taskHandle", outcome=AuditOutcome.DENIED, actor_id=member.id).exists()
    assert (await handle(Caller(gql, member.name), sales, "START"))["userErrors"] == []


async def test_concurrent_handlers_move_a_task_once(as_distributor_admin):
    task = await create_task()
    results = await asyncio.gather(*(handle(as_distributor_admin, task, "START") for _ in range(5)))
    assert sum(r["task"] is not None for r in results) == 1
    assert sorted(e["code"] for r in results for e in r["userErrors"]) == ["INVALID_STATE"] * 4
    assert await state(task) == (IN_PROGRESS, 1)
