"""Marketing tasks, their detail lines and handling records."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from models import tasks as m
from resolvers.customers.queries import readable_customers
from resolvers.members.queries import readable_accounts
from resolvers.permissions.catalog import Permission
from resolvers.tasks.queries import readable_handling_records, readable_task_details, readable_tasks
from schema.customers.types import Customer
from schema.enums import TaskKind, TaskStatus, TaskStrategy
from schema.members.types import Account
from schema.permissions.directive import PUBLIC
from schema.relay import ModelNode, children, connection_field, related_field
from schema.scalars import money_field
from schema.selection import reads
from schema.sql_values import sql_value


@strawberry.type(description="A detail line (明细) of a task: a product, an amount, an expiry.", directives=[PUBLIC])
class TaskDetail(ModelNode):
    model = m.TaskDetail
    readable = readable_task_details

    product: str = strawberry.field(description="The product concerned.")
    expires_at: datetime | None = strawberry.field(description="When the customer's resource expires, for renewals.")

    amount = money_field("amount", description="The amount concerned.")


@strawberry.type(description="A record of someone handling a task: what they did and how the status moved.", directives=[PUBLIC])
class TaskHandlingRecord(ModelNode):
    model = m.TaskHandlingRecord
    readable = readable_handling_records

    action: str = strawberry.field(description="What was done.")
    note: str = strawberry.field(description="The handler's note.")
    from_status: TaskStatus = strawberry.field(description="The status before.")
    to_status: TaskStatus = strawberry.field(description="The status after.")
    created_at: datetime = strawberry.field(description="When it was handled.")

    actor = related_field(Account, readable_accounts, "actor_id", description="Who handled it.")


@strawberry.type(description="A marketing task (营销任务) for one customer.", directives=[PUBLIC])
class Task(ModelNode):
    model = m.Task
    readable = readable_tasks

    kind: TaskKind = strawberry.field(description="Sales expansion or large-order renewal.")
    name: str = strawberry.field(description="The task's name.")
    strategy: TaskStrategy = strawberry.field(description="The strategy it follows.")
    status: TaskStatus = strawberry.field(description="Where it stands.")
    deadline: datetime = strawberry.field(description="When it is due.")
    related_order: str = strawberry.field(description="Renewals: the order being renewed.")
    created_at: datetime = strawberry.field(description="When it was created.")

    @strawberry.field(description="Whether it is still open past its deadline.",
                      metadata={**reads("status", "deadline"), **sql_value(lambda row: (
                          f"({row.column('status')} IN ('{m.TaskStatus.PENDING.value}', '{m.TaskStatus.IN_PROGRESS.value}') "
                          f"AND {row.column('deadline')} < {row.bind(row.now)})"))})
    def overdue(self, root: strawberry.Parent[m.Task]) -> bool:
        # The same rule in SQL, for compiled reads: the metadata above.
        open_ = root.status in (m.TaskStatus.PENDING, m.TaskStatus.IN_PROGRESS)
        return open_ and root.deadline < datetime.now(UTC)

    customer_spend_12m = money_field("customer_spend_12m", description="The customer's spend over the last 12 months.")

    customer = related_field(Customer, readable_customers, "customer_id", description="The customer the task is about.", requires=Permission.CUSTOMER_VIEW)

    account_manager = related_field(Account, readable_accounts, "account_manager_id", description="The account manager responsible.")

    details = connection_field(
        TaskDetail,
        description="The task's detail lines.",
        rows=children(readable_task_details, "task_id"),
        requires=Permission.TASK_DETAIL_VIEW,
    )
    handling_records = connection_field(
        TaskHandlingRecord,
        description="Who handled the task and how, oldest first.",
        rows=children(readable_handling_records, "task_id"),
        default_order=("created_at",),
    )
