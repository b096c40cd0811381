"""Demo customers and marketing tasks."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from gateway.seed.common import money
from gateway.seed.demo_context import DemoContext
from models.customers import AssociationType, Customer
from models.partners import RealNameStatus
from models.tasks import Task, TaskDetail, TaskHandlingRecord, TaskKind, TaskStatus, TaskStrategy

RESALE, REFERRAL = AssociationType.RESALE, AssociationType.REFERRAL
SALES, RENEWAL = TaskKind.SALES_EXPANSION, TaskKind.LARGE_ORDER_RENEWAL
PENDING, IN_PROGRESS, COMPLETED, CLOSED = TaskStatus.PENDING, TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED, TaskStatus.CLOSED

CITIES = ["Hangzhou", "Chengdu", "Wuhan", "Suzhou", "Xiamen", "Qingdao", "Dalian", "Kunming", "Hefei",
          "Nanjing", "Tianjin", "Changsha", "Ningbo", "Foshan", "Jinan", "Shenyang", "Xi'an", "Zhengzhou"]
TRADES = ["Fresh Foods", "Logistics", "Precision Machinery", "Health Technology", "Education Group", "Textiles",
          "Auto Parts", "Media", "Pharmaceutical", "Retail Chain", "New Energy", "Fintech", "Smart Home",
          "Tea Trading", "Biotech", "Culture & Tourism"]

# handle -> [(association type, account manager, whitelisted)]
# Association, account manager (by name), whitelisted for government coupons.
CustomerSpec = tuple[AssociationType, str | None, bool]
_NO_MANAGER: str | None = None
_GOV: list[CustomerSpec] = [(RESALE, _NO_MANAGER, True)] * 4 + [(REFERRAL, _NO_MANAGER, True), (RESALE, _NO_MANAGER, False)]
_PLAIN: list[CustomerSpec] = [(RESALE, _NO_MANAGER, False)] * 4 + [(REFERRAL, _NO_MANAGER, False)] * 2
CUSTOMERS: dict[str, list[CustomerSpec]] = {
    "distributor": [
        (RESALE, "distributor.am", False),
        (RESALE, "distributor.am", False),
        (RESALE, "distributor.am2", False),
        (RESALE, "distributor.am2", False),
        (RESALE, None, False),
        (REFERRAL, "distributor.am", False),
        (REFERRAL, None, False),
    ],
    "reseller1": _PLAIN,
    "reseller2": _PLAIN,
    "reseller3": _PLAIN,
    "provider": [(RESALE, "provider.am", False)] * 2 + [(RESALE, _NO_MANAGER, False)] * 2
    + [(REFERRAL, "provider.am", False), (REFERRAL, _NO_MANAGER, False)],
    "provider2": _PLAIN,
    "govsubsidy": _GOV,
    "govcloud": _GOV,
}

# handle -> [(customer index, kind, status, strategy, deadline in days)]; resellers only view tasks.
TASKS: dict[str, list[tuple[int, TaskKind, TaskStatus, TaskStrategy, int]]] = {
    "distributor": [
        (0, SALES, PENDING, TaskStrategy.LEAD_MINING, 25),
        (1, SALES, IN_PROGRESS, TaskStrategy.CROSS_SELL, -3),
        (2, SALES, COMPLETED, TaskStrategy.SCENARIO_RECOMMENDATION, -10),
        (3, SALES, CLOSED, TaskStrategy.CROSS_SELL, -40),
        (4, SALES, PENDING, TaskStrategy.LEAD_MINING, -5),
        (2, RENEWAL, PENDING, TaskStrategy.EXPIRY_RENEWAL, 30),
        (5, RENEWAL, IN_PROGRESS, TaskStrategy.EXPIRY_RENEWAL, 12),
        (0, RENEWAL, COMPLETED, TaskStrategy.EXPIRY_RENEWAL, -15),
        (3, RENEWAL, CLOSED, TaskStrategy.EXPIRY_RENEWAL, -20),
        (1, RENEWAL, IN_PROGRESS, TaskStrategy.EXPIRY_RENEWAL, -2),
    ],
    "reseller1": [
        (0, SALES, PENDING, TaskStrategy.CROSS_SELL, 18),
        (1, RENEWAL, PENDING, TaskStrategy.EXPIRY_RENEWAL, 9),
    ],
    "reseller2": [(2, SALES, PENDING, TaskStrategy.SCENARIO_RECOMMENDATION, -4)],
    "provider": [
        (0, SALES, PENDING, TaskStrategy.SCENARIO_RECOMMENDATION, 21),
        (1, RENEWAL, COMPLETED, TaskStrategy.EXPIRY_RENEWAL, -8),
        (2, SALES, CLOSED, TaskStrategy.LEAD_MINING, -30),
        (4, RENEWAL, IN_PROGRESS, TaskStrategy.EXPIRY_RENEWAL, 6),
    ],
}

PRODUCTS = [
    "ECS general computing s7 (8 vCPU, 32 GiB)",
    "RDS for MySQL primary/standby (16 vCPU, 64 GiB)",
    "OBS standard storage (50 TB)",
    "CDN traffic package (100 TB)",
    "DCS for Redis cluster (16 GB)",
    "ELB dedicated load balancer",
    "CCE cluster (50 nodes)",
    "GaussDB enterprise edition",
    "WAF professional edition",
]

TASK_TITLES = {
    TaskStrategy.LEAD_MINING: "Explore new workloads at {}",
    TaskStrategy.CROSS_SELL: "Cross-sell database and security services to {}",
    TaskStrategy.SCENARIO_RECOMMENDATION: "Recommend the data-analytics scenario to {}",
    TaskStrategy.EXPIRY_RENEWAL: "Renew expiring annual subscriptions of {}",
}


async def seed_customers(ctx: DemoContext) -> None:
    names = iter(ctx.rng.sample([f"{c} {t} Co., Ltd." for c in CITIES for t in TRADES], len(CITIES) * len(TRADES)))
    serial = 0
    for handle, specs in CUSTOMERS.items():
        customers = []
        for association, manager, whitelisted in specs:
            serial += 1
            real_name = RealNameStatus.VERIFIED
            if serial % 5 == 0:
                real_name = RealNameStatus.PENDING
            elif serial % 7 == 0:
                real_name = RealNameStatus.UNVERIFIED
            customers.append(await Customer.create(
                partner=ctx.partners[handle],
                name=next(names),
                association_type=association,
                account_manager=ctx.account(manager) if manager else None,
                real_name_status=real_name,
                whitelisted=whitelisted,
                associated_at=ctx.at(days=-ctx.rng.randint(60, 700)),
            ))
        ctx.customers[handle] = customers


def _history(status: TaskStatus, closed_early: bool) -> list[tuple[str, TaskStatus, TaskStatus, str]]:
    start = ("START", PENDING, IN_PROGRESS, "Called the customer's IT lead; meeting booked.")
    follow = ("FOLLOW_UP", IN_PROGRESS, IN_PROGRESS, "Sent a quotation; waiting for the customer's budget review.")
    if status is PENDING:
        return []
    if status is IN_PROGRESS:
        return [start, follow]
    if status is COMPLETED:
        return [start, follow, ("COMPLETE", IN_PROGRESS, COMPLETED, "Order placed by the customer.")]
    if closed_early:
        return [("CLOSE", PENDING, CLOSED, "The customer is moving the workload to another vendor.")]
    return [start, ("CLOSE", IN_PROGRESS, CLOSED, "No budget this fiscal year; revisit next year.")]


async def seed_tasks(ctx: DemoContext) -> None:
    for handle, specs in TASKS.items():
        admin = ctx.account("reseller.admin" if handle == "reseller1" else f"{handle}.admin")
        for i, (index, kind, status, strategy, deadline_days) in enumerate(specs):
            customer = ctx.customers[handle][index]
            deadline = ctx.at(days=deadline_days, hours=16)
            created = min(deadline, ctx.now) - timedelta(days=40)
            renewal = kind is RENEWAL
            task = await Task.create(
                partner=ctx.partners[handle],
                kind=kind,
                name=TASK_TITLES[strategy].format(customer.name),
                customer=customer,
                # The task follows its customer's manager, so scoping by customer and by task agree.
                account_manager_id=customer.account_manager_id,
                strategy=strategy,
                status=status,
                deadline=deadline,
                customer_spend_12m=money(ctx.rng.randrange(20_000, 900_000)),
                related_order=f"CS{(created - timedelta(days=330)):%y%m%d}{ctx.rng.randrange(10**5):05d}" if renewal else "",
                created_at=created,
            )
            for product in ctx.rng.sample(PRODUCTS, ctx.rng.randint(1, 3)):
                await TaskDetail.create(
                    task=task,
                    product=product,
                    amount=money(Decimal(ctx.rng.randrange(3_000, 250_000))),
                    expires_at=deadline + timedelta(days=ctx.rng.randint(3, 20)) if renewal else None,
                )
            actor_id = customer.account_manager_id or admin.id
            for step, (action, before, after, note) in enumerate(_history(status, closed_early=i % 2 == 0)):
                await TaskHandlingRecord.create(
                    task=task, actor_id=actor_id, action=action, note=note, from_status=before, to_status=after,
                    created_at=created + timedelta(days=3 + 7 * step),
                )
