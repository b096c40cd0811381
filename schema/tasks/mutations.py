"""Marketing tasks."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.tasks import services
from schema.mutations import UserError, mutation_pk, run_mutation
from schema.permissions.directive import PUBLIC, permission_field
from schema.tasks.inputs import TaskHandleInput
from schema.tasks.types import Task
from resolvers.permissions.catalog import Permission


@strawberry.type(description="The result of handling a task.", directives=[PUBLIC])
class TaskHandlePayload:
    task: Task | None = strawberry.field(description="The task with its new status and handling record; null if refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the handling was refused; empty on success.")


@strawberry.type(description="Marketing tasks.")
class TaskMutations:
    @permission_field(requires=(Permission.TASK_SALES_HANDLE, Permission.TASK_RENEWAL_HANDLE), description=(
        "Handle a marketing task: START (PENDING -> IN_PROGRESS), NOTE (a progress note while IN_PROGRESS), "
        "COMPLETE (IN_PROGRESS -> COMPLETED) or CLOSE (PENDING or IN_PROGRESS -> CLOSED); each appends a handling record. "
        "Needs the handle permission of the task's kind; account managers handle only their customers' tasks."))
    async def task_handle(
        self, info: strawberry.Info,
        input: Annotated[TaskHandleInput, strawberry.argument(description="The task, the action and a note.")],
    ) -> TaskHandlePayload | None:
        task, errors = await run_mutation(info, "taskHandle", input, lambda: services.handle_task(
            info.context.principal, mutation_pk(input.id, "Task", "id"), input.action, input.note),
                                          target=lambda t: f"Task:{t.id}")
        return TaskHandlePayload(task=task, user_errors=errors)
