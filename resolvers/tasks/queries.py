"""Marketing tasks a caller may read: by kind permission, and account managers only their customers'."""

from __future__ import annotations

from tortoise.expressions import Q

from models.tasks import Task, TaskDetail, TaskHandlingRecord, TaskKind
from resolvers.permissions.catalog import Permission
from resolvers.principal import Principal
from resolvers.scoping import lookup, scoped

KIND_VIEW_PERMISSION = {
    TaskKind.SALES_EXPANSION: Permission.TASK_SALES_VIEW,
    TaskKind.LARGE_ORDER_RENEWAL: Permission.TASK_RENEWAL_VIEW,
}


def _viewable_kinds(principal: Principal, task: str = "") -> Q:
    return lookup(f"{task}kind__in", [kind for kind, permission in KIND_VIEW_PERMISSION.items() if principal.has(permission)])


readable_tasks = scoped(Task, only=_viewable_kinds, account_manager="customer__account_manager_id")
readable_task_details = scoped(TaskDetail, tenant="task__partner_id", only=lambda p: _viewable_kinds(p, "task__"),
                               account_manager="task__customer__account_manager_id")
readable_handling_records = scoped(TaskHandlingRecord, tenant="task__partner_id", only=lambda p: _viewable_kinds(p, "task__"),
                                   account_manager="task__customer__account_manager_id")
