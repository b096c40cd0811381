"""Marketing tasks (营销任务): sales expansion and large-order renewal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.base import DescribedEnum, created_at_field, money_field

if TYPE_CHECKING:
    from models.customers import Customer
    from models.members import Account
    from models.partners import Partner



class TaskKind(DescribedEnum):
    SALES_EXPANSION = "SALES_EXPANSION", "Sales expansion (销售拓展)."
    LARGE_ORDER_RENEWAL = "LARGE_ORDER_RENEWAL", "Large-order renewal (大单续订)."


class TaskStrategy(DescribedEnum):
    LEAD_MINING = "LEAD_MINING", "Mine new leads."
    CROSS_SELL = "CROSS_SELL", "Sell related products."
    EXPIRY_RENEWAL = "EXPIRY_RENEWAL", "Renew resources that expire soon."
    SCENARIO_RECOMMENDATION = "SCENARIO_RECOMMENDATION", "Recommend products for a scenario."


class TaskStatus(DescribedEnum):
    PENDING = "PENDING", "Not started."
    IN_PROGRESS = "IN_PROGRESS", "Being handled."
    COMPLETED = "COMPLETED", "Done; cannot be handled any more."
    CLOSED = "CLOSED", "Closed without completion; cannot be handled any more."


class TaskAction(DescribedEnum):
    START = "START", "Start working on a pending task (PENDING -> IN_PROGRESS)."
    NOTE = "NOTE", "Record progress on a task in progress; a note is required (IN_PROGRESS -> IN_PROGRESS)."
    COMPLETE = "COMPLETE", "Mark a task in progress as done (IN_PROGRESS -> COMPLETED)."
    CLOSE = "CLOSE", "Close an open task without completing it (PENDING or IN_PROGRESS -> CLOSED)."


class Task(Model):
    id = fields.IntField(primary_key=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="tasks", on_delete=fields.CASCADE, db_index=True)
    partner_id: int
    kind = fields.CharEnumField(TaskKind, db_index=True)
    name = fields.CharField(max_length=200)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField("models.Customer", related_name="tasks", on_delete=fields.CASCADE, db_index=True)
    customer_id: int
    account_manager: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField("models.Account", related_name="tasks", null=True, on_delete=fields.SET_NULL, db_index=True)
    account_manager_id: int | None
    strategy = fields.CharEnumField(TaskStrategy)
    status = fields.CharEnumField(TaskStatus, default=TaskStatus.PENDING, db_index=True)
    deadline = fields.DatetimeField(db_index=True)
    customer_spend_12m = money_field()
    related_order = fields.CharField(max_length=64, default="")
    created_at = created_at_field()

    class Meta:
        table = "task"
        ordering = ["id"]


class TaskDetail(Model):
    id = fields.IntField(primary_key=True)
    task: fields.ForeignKeyRelation[Task] = fields.ForeignKeyField("models.Task", related_name="details", on_delete=fields.CASCADE, db_index=True)
    task_id: int
    product = fields.CharField(max_length=200)
    amount = money_field()
    expires_at = fields.DatetimeField(null=True)

    class Meta:
        table = "task_detail"
        ordering = ["id"]


class TaskHandlingRecord(Model):
    id = fields.IntField(primary_key=True)
    task: fields.ForeignKeyRelation[Task] = fields.ForeignKeyField("models.Task", related_name="handling_records", on_delete=fields.CASCADE, db_index=True)
    task_id: int
    actor: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField("models.Account", related_name="task_handling_records", null=True, on_delete=fields.SET_NULL, db_index=True)
    actor_id: int | None
    action = fields.CharField(max_length=64)
    note = fields.CharField(max_length=2000, default="")
    from_status = fields.CharEnumField(TaskStatus)
    to_status = fields.CharEnumField(TaskStatus)
    created_at = created_at_field()

    class Meta:
        table = "task_handling_record"
        ordering = ["id"]
