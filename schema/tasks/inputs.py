"""Filters and ordering for marketing tasks."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry
from strawberry import relay
from tortoise.expressions import Q

from models.tasks import TaskAction as ModelTaskAction
from models.tasks import TaskStatus as ModelTaskStatus
from schema.enums import TaskKind, TaskStatus, TaskStrategy, publish
from schema.filters import FilterInput, criteria
from schema.global_ids import node_id
from schema.relay import order_input

OPEN_STATUSES = [ModelTaskStatus.PENDING, ModelTaskStatus.IN_PROGRESS]


@strawberry.input(description="Criteria for task lists; all given criteria must match.")
class TaskFilter(FilterInput):
    kind: TaskKind | None = strawberry.field(default=None, description="Only tasks of this kind.")
    status: TaskStatus | None = strawberry.field(default=None, description="Only tasks in this status.")
    strategy: TaskStrategy | None = strawberry.field(default=None, description="Only tasks following this strategy.")
    customer_id: relay.GlobalID | None = node_id("Customer", default=None, description="Only tasks for this customer.")
    account_manager_id: relay.GlobalID | None = node_id("Account", default=None, description="Only tasks of this account manager.")
    overdue: bool | None = strawberry.field(default=None, description="true: open tasks past their deadline; false: the others.")
    deadline_after: datetime | None = strawberry.field(default=None, description="Only tasks due at or after this time.")
    deadline_before: datetime | None = strawberry.field(default=None, description="Only tasks due before this time.")

    def lookups(self) -> list[Q]:
        found = criteria(
            kind=self.kind, status=self.status, strategy=self.strategy,
            customer_id=self.pk("customer_id"),
            account_manager_id=self.pk("account_manager_id"),
            deadline__gte=self.deadline_after, deadline__lt=self.deadline_before,
        )
        if self.overdue is not None:
            overdue = Q(deadline__lt=datetime.now(UTC), status__in=OPEN_STATUSES)
            found.append(overdue if self.overdue else ~overdue)
        return found


TaskOrder = order_input(
    "TaskOrder", "How to order tasks.",
    {"DEADLINE": ("deadline", "By deadline."), "CREATED_AT": ("created_at", "By creation time."),
     "CUSTOMER_SPEND": ("customer_spend_12m", "By the customer's spend over the last 12 months.")},
    default="DEADLINE",
)


publish(ModelTaskAction, "What a handler does with a marketing task, and how its status moves.")
TaskAction = ModelTaskAction


@strawberry.input(description="Handle a marketing task: one action, with an optional note.")
class TaskHandleInput:
    id: relay.GlobalID = node_id("Task", description="The task to handle; one you may read.")
    action: TaskAction = strawberry.field(description="What to do; completed and closed tasks cannot be handled.")
    note: str | None = strawberry.field(default=None, description="What was done or agreed; required for NOTE; at most 2000 characters.")
