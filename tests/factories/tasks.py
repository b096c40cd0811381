"""Tasks a test owns: on fresh customers of demo partners, never the demo tasks themselves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from models.members import Account
from models.tasks import Task, TaskDetail, TaskKind, TaskStatus, TaskStrategy
from tests.factories.customers import create_customer
from tests.factories.partners import NORTHWIND, partner_named
from tests.factories.values import unique


async def create_task(
    *, partner: str = NORTHWIND, manager: str | None = "distributor.am", kind: TaskKind = TaskKind.SALES_EXPANSION,
    status: TaskStatus = TaskStatus.PENDING,
) -> Task:
    """A task (with one detail line, like every demo task) on a fresh customer of `partner` whom
    the account `manager` looks after."""
    owner = await partner_named(partner)
    account_manager = await Account.get(name=manager) if manager else None
    now = datetime.now(UTC)
    customer = await create_customer(owner, name=unique("Test Customer"), account_manager=account_manager,
                                     associated_at=now - timedelta(days=90))
    renewal = kind is TaskKind.LARGE_ORDER_RENEWAL
    task = await Task.create(
        partner=owner, kind=kind, name=unique("Test task"), customer=customer, account_manager=account_manager,
        strategy=TaskStrategy.EXPIRY_RENEWAL if renewal else TaskStrategy.CROSS_SELL, status=status,
        deadline=now + timedelta(days=14), customer_spend_12m=Decimal("12000.00"),
        related_order=unique("ORD") if renewal else "",
    )
    await TaskDetail.create(task=task, product="ECS general computing s7", amount=Decimal("3000.00"),
                            expires_at=now + timedelta(days=30) if renewal else None)
    return task
