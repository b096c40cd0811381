"""Marketing tasks."""

from __future__ import annotations

import strawberry

from resolvers.permissions.catalog import Permission
from resolvers.tasks import services
from schema.mutations import Payload, PayloadField, mutation
from schema.tasks.inputs import TaskHandleInput
from schema.tasks.types import Task


@strawberry.type(description="Marketing tasks.")
class TaskMutations:
    task_handle = mutation(
        requires=(Permission.TASK_SALES_HANDLE, Permission.TASK_RENEWAL_HANDLE),
        input=TaskHandleInput,
        service=services.handle_task,
        argument="The task, the action and a note.",
        description="Handle a marketing task: START (PENDING -> IN_PROGRESS), NOTE (a progress note while IN_PROGRESS), "
                    "COMPLETE (IN_PROGRESS -> COMPLETED) or CLOSE (PENDING or IN_PROGRESS -> CLOSED); each appends a handling "
                    "record. Needs the handle permission of the task's kind; account managers handle only their customers' tasks.",
        payload=Payload(
            "The result of handling a task.",
            returns=PayloadField("task", Task, "The task with its new status and handling record; null if refused."),
            refused="Why the handling was refused; empty on success.",
        ),
    )
