"""The operations dashboard (运营看板): consumption, performance and incentive statistics."""

from __future__ import annotations

from dataclasses import dataclass

import strawberry

from resolvers.dashboard import queries as q
from resolvers.permissions.catalog import Permission
from schema.permissions.directive import PUBLIC, permission_field
from schema.scalars import Money


@strawberry.type(description="An amount under a key: a month (YYYY-MM), a customer, a product or a reseller.",
                 directives=[PUBLIC])
class KeyedAmount:
    key: str = strawberry.field(description="The month, the customer's or reseller's name, or the product.")
    amount: Money = strawberry.field(description="The amount.")
    id: strawberry.ID | None = strawberry.field(description="The customer's or reseller's global ID; null for months "
                                                            "and products.")

    @classmethod
    def of(cls, amount: q.Amount, type_name: str | None = None) -> KeyedAmount:
        node_id = strawberry.relay.GlobalID(type_name, str(amount.id)) if type_name and amount.id is not None else None
        return cls(key=amount.key, amount=Money.of(amount.amount), id=strawberry.ID(str(node_id)) if node_id else None)


@strawberry.type(description="Consumption statistics (消费统计): what the customers consumed.", directives=[PUBLIC])
class ConsumptionStatistics:
    total: Money = strawberry.field(description="Everything consumed in the range.")
    by_month: list[KeyedAmount] = strawberry.field(description="Per month, oldest first; months without consumption left out.")
    by_customer: list[KeyedAmount] = strawberry.field(description=f"The {q.TOP} customers that consumed most, most first.")
    by_product: list[KeyedAmount] = strawberry.field(description=f"The {q.TOP} products consumed most, most first.")


@strawberry.type(description="Performance statistics (业绩统计): consumption that counts as performance — Yanxuan (严选) "
                             "goods never do.", directives=[PUBLIC])
class PerformanceStatistics:
    total: Money = strawberry.field(description="Your performance and, for a distributor, its resellers'.")
    by_month: list[KeyedAmount] = strawberry.field(description="Per month, oldest first.")
    by_reseller: list[KeyedAmount] = strawberry.field(description="For a distributor: each reseller's, most first.")


@strawberry.type(description="Incentive statistics (激励统计): your reconciliation bills of the range.", directives=[PUBLIC])
class IncentiveStatistics:
    estimated: Money = strawberry.field(description="Bills still ESTIMATED.")
    pending_confirmation: Money = strawberry.field(description="Bills closed and awaiting your confirmation, or disputed.")
    confirmed: Money = strawberry.field(description="Bills CONFIRMED.")
    paid: Money = strawberry.field(description="What completed payouts paid from the range's bills.")


@dataclass
class DashboardScope:
    partner_id: int
    reseller_ids: list[int]
    start: str
    end: str


@strawberry.type(description="The operations dashboard (运营看板) for a range of months.", directives=[PUBLIC])
class OperationsDashboard:
    scope: strawberry.Private[DashboardScope]

    @strawberry.field(description="The first month of the range, YYYY-MM.")
    def since(self) -> str:
        return self.scope.start

    @strawberry.field(description="The last month of the range, YYYY-MM.")
    def until(self) -> str:
        return self.scope.end

    @strawberry.field(description="Consumption statistics: the range's consumption of the customers (of the reseller, "
                                  "if one was given); an account manager's cover its own customers.")
    async def consumption(self, info: strawberry.Info) -> ConsumptionStatistics:
        found = await q.consumption(info.context.principal, self.scope.partner_id, self.scope.start, self.scope.end)
        return ConsumptionStatistics(
            total=Money.of(found.total), by_month=[KeyedAmount.of(a) for a in found.by_month],
            by_customer=[KeyedAmount.of(a, "Customer") for a in found.by_customer],
            by_product=[KeyedAmount.of(a) for a in found.by_product],
        )

    @strawberry.field(description="Performance statistics: consumption without Yanxuan goods.")
    async def performance(self, info: strawberry.Info) -> PerformanceStatistics:
        found = await q.performance(info.context.principal, self.scope.partner_id, self.scope.reseller_ids,
                                    self.scope.start, self.scope.end)
        return PerformanceStatistics(total=Money.of(found.total), by_month=[KeyedAmount.of(a) for a in found.by_month],
                                     by_reseller=[KeyedAmount.of(a, "Partner") for a in found.by_reseller])

    @permission_field(requires=Permission.INCENTIVE_VIEW, description="Incentive statistics of your own bills whose "
                                                                      "period is in the range, even when the dashboard "
                                                                      "is narrowed to a reseller (resellers earn none).")
    async def incentives(self, info: strawberry.Info) -> IncentiveStatistics | None:
        found = await q.incentives(info.context.principal, self.scope.start, self.scope.end)
        return IncentiveStatistics(estimated=Money.of(found.estimated), pending_confirmation=Money.of(found.pending_confirmation),
                                   confirmed=Money.of(found.confirmed), paid=Money.of(found.paid))
