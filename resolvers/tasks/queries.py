"""Marketing tasks a caller may read: by kind permission, and account managers only their customers'."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from models.tasks import Task, TaskDetail, TaskHandlingRecord, TaskKind
from resolvers.principal import Principal
from resolvers.scoping import managed_customer_rows, own_partner_rows

KIND_VIEW_PERMISSION = {
    TaskKind.SALES_EXPANSION: "task.sales.view",
    TaskKind.LARGE_ORDER_RENEWAL: "task.renewal.view",
}


def readable_tasks(principal: Principal) -> QuerySet[Task]:
    kinds = [kind for kind, permission in KIND_VIEW_PERMISSION.items() if principal.has(permission)]
    rows = own_partner_rows(principal, Task.filter(kind__in=kinds))
    return managed_customer_rows(principal, rows, "customer__account_manager_id")


def readable_task_details(principal: Principal) -> QuerySet[TaskDetail]:
    return TaskDetail.filter(task_id__in=readable_tasks(principal).values_list("id", flat=True))


def readable_handling_records(principal: Principal) -> QuerySet[TaskHandlingRecord]:
    return TaskHandlingRecord.filter(task_id__in=readable_tasks(principal).values_list("id", flat=True))
