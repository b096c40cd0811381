"""Handling marketing tasks: each action moves the status and appends a handling record."""

from __future__ import annotations

from models.tasks import Task, TaskAction, TaskHandlingRecord, TaskKind, TaskStatus
from resolvers.errors import Refusal
from resolvers.errors import UserErrorCode as Code
from resolvers.permissions.catalog import Permission
from resolvers.permissions.checks import require
from resolvers.principal import Principal
from resolvers.tasks.queries import readable_tasks
from resolvers.validation import Checks

MAX_NOTE_LENGTH = 2000

KIND_HANDLE_PERMISSION = {
    TaskKind.SALES_EXPANSION: Permission.TASK_SALES_HANDLE,
    TaskKind.LARGE_ORDER_RENEWAL: Permission.TASK_RENEWAL_HANDLE,
}

# action -> (the statuses it may start from, the status it leads to)
TRANSITIONS: dict[TaskAction, tuple[frozenset[TaskStatus], TaskStatus]] = {
    TaskAction.START: (frozenset({TaskStatus.PENDING}), TaskStatus.IN_PROGRESS),
    TaskAction.NOTE: (frozenset({TaskStatus.IN_PROGRESS}), TaskStatus.IN_PROGRESS),
    TaskAction.COMPLETE: (frozenset({TaskStatus.IN_PROGRESS}), TaskStatus.COMPLETED),
    TaskAction.CLOSE: (frozenset({TaskStatus.PENDING, TaskStatus.IN_PROGRESS}), TaskStatus.CLOSED),
}


async def handle_task(principal: Principal, *, id: int, action: TaskAction, note: str | None) -> Task:
    checks = Checks()
    note = checks.text(note, "note", max_length=MAX_NOTE_LENGTH, required=action is TaskAction.NOTE) or ""
    checks.done()
    task = await readable_tasks.one(principal, id, "task")
    require(principal, KIND_HANDLE_PERMISSION[task.kind], to=f"handle a {task.kind.value} task")
    sources, target = TRANSITIONS[action]
    if task.status not in sources:
        raise Refusal(Code.INVALID_STATE, f"A {task.status.value} task cannot be handled with {action.value}.", ["action"])
    # Conditional on the status we checked: of two concurrent handlers only one moves the task.
    moved = await Task.filter(id=task.id, status=task.status).update(status=target)
    if not moved:
        raise Refusal(Code.INVALID_STATE, "The task was handled by someone else meanwhile; reload it.", ["id"])
    await TaskHandlingRecord.create(
        task_id=task.id, actor_id=principal.account_id, action=action.value, note=note,
        from_status=task.status, to_status=target,
    )
    return await Task.get(id=task.id)
