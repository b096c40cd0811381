"""Marketing tasks a caller may read: by kind permission, and account managers only their customers'."""

from __future__ import annotations

from typing import Any

from tortoise.queryset import QuerySet

from models.tasks import Task, TaskDetail, TaskHandlingRecord, TaskKind
from resolvers.principal import Principal
from resolvers.scoping import managed_customer_rows, own_partner_rows
from resolvers.permissions.catalog import Permission

KIND_VIEW_PERMISSION = {
    TaskKind.SALES_EXPANSION: Permission.TASK_SALES_VIEW,
    TaskKind.LARGE_ORDER_RENEWAL: Permission.TASK_RENEWAL_VIEW,
}


def _task_scoped(principal: Principal, queryset: QuerySet[Any], task: str = "") -> QuerySet[Any]:
    """Apply the task rules to `queryset`, whose task is reached through the `task` relation prefix."""
    kinds = [kind for kind, permission in KIND_VIEW_PERMISSION.items() if principal.has(permission)]
    rows = own_partner_rows(principal, queryset.filter(**{f"{task}kind__in": kinds}), partner_field=f"{task}partner_id")
    return managed_customer_rows(principal, rows, f"{task}customer__account_manager_id")


def readable_tasks(principal: Principal) -> QuerySet[Task]:
    return _task_scoped(principal, Task.all())


def readable_task_details(principal: Principal) -> QuerySet[TaskDetail]:
    return _task_scoped(principal, TaskDetail.all(), "task__")


def readable_handling_records(principal: Principal) -> QuerySet[TaskHandlingRecord]:
    return _task_scoped(principal, TaskHandlingRecord.all(), "task__")
