"""Who reads which rows: one rule per model, declared with `scoped(...)`, applied the same way everywhere.

Every read starts from a model's scoped read (`readable_<things>(principal)`), and every scoped read
is declared here in the same terms:

- **tenant**: the path from the row to the partner that owns it; a partner member reads its own
  partner's rows;
- **staff**: platform staff read every row when their role holds this permission, else none (no
  permission named: every staff member reads every row);
- **distributor**: what a distributor reads of its managed resellers' rows besides its own;
- **account_manager**: the path to the customer's account manager; an account manager (or its
  supervisor) reads only rows of the customers in its book (resolvers/principal.py computes it);
- **also**: rows the caller reads whoever it is (its own account, invitations addressed to it, the
  preset roles);
- **only**: a condition every row must meet for this caller (the task kinds it may view);
- **owner**: personal rows, read only by the account they belong to (API keys);
- **customer**: the path from the row to the customer account it concerns; a customer caller
  (AccountKind.CUSTOMER) reads only such rows of its own, and nothing of a model without one.

A caller without a partner (a personal account) reads only what `also` and `owner` give it.
`SCOPES` lists every model's rule; a test checks that every node type reads through one.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from typing import Any, Generic, TypeVar

from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from resolvers.errors import Refusal
from resolvers.errors import UserErrorCode as Code
from resolvers.permissions.catalog import Permission
from resolvers.principal import Principal

M = TypeVar("M", bound=Model)
Condition = Callable[[Principal], Q]


def no_rows(queryset: QuerySet[M]) -> QuerySet[M]:
    """The same query matching nothing (Tortoise turns an empty `IN` into `1=0`), so callers can
    still filter, order and page it; QuerySet has no `none()`."""
    return queryset.filter(pk__in=[])


@dataclass(frozen=True)
class Scope(Generic[M]):
    model: type[M]
    tenant: str | None = "partner_id"
    staff: Permission | None = None
    distributor: Condition | None = None
    account_manager: str | None = None
    also: Condition | None = None
    only: Condition | None = None
    owner: str | None = None
    customer: str | Condition | None = None

    def __call__(self, principal: Principal) -> QuerySet[M]:
        rows = self.model.all()
        if self.only is not None:
            rows = rows.filter(self.only(principal))
        if self.owner is not None:
            return rows.filter(**{self.owner: principal.account_id})
        if principal.is_customer:
            mine = [self._customer_condition(principal)] if self.customer is not None else []
            if self.also is not None:
                mine.append(self.also(principal))
            return rows.filter(reduce(operator.or_, mine)) if mine else no_rows(rows)
        if principal.is_staff:
            if self.staff is None or principal.has(self.staff):
                return rows
            return rows.filter(self.also(principal)) if self.also is not None else no_rows(rows)
        reach = [condition for condition in self._reach(principal) if condition is not None]
        if not reach:
            return no_rows(rows)
        rows = rows.filter(reduce(operator.or_, reach))
        if self.account_manager is not None and principal.customer_manager_ids is not None:
            rows = rows.filter(lookup(f"{self.account_manager}__in", list(principal.customer_manager_ids)))
        return rows

    async def one(self, principal: Principal, pk: int, what: str, *, field: str = "id", **filters: Any) -> M:
        """Row `pk` as the caller may read it (and matching `filters`), for a mutation to act on;
        NOT_FOUND at input `field` otherwise: another partner's row is refused like a missing one."""
        row = await self(principal).filter(**filters).get_or_none(id=pk)
        if row is None:
            raise Refusal(Code.NOT_FOUND, f"No such {what}.", [field])
        return row

    def _customer_condition(self, principal: Principal) -> Q:
        if isinstance(self.customer, str):
            return lookup(self.customer, principal.account_id)
        return self.customer(principal)  # type: ignore[misc]

    def _reach(self, principal: Principal) -> list[Q | None]:
        partner = principal.partner_id
        return [
            lookup(self.tenant, partner) if self.tenant is not None and partner is not None else None,
            self.distributor(principal) if self.distributor is not None and principal.managed_partner_ids else None,
            self.also(principal) if self.also is not None else None,
        ]


def lookup(path: str, value: Any) -> Q:
    """`Q(<path>=value)` for a path built at run time."""
    lookups: dict[str, Any] = {path: value}
    return Q(**lookups)


SCOPES: dict[type[Model], Scope[Any]] = {}


def scoped(model: type[M], **rule: Any) -> Scope[M]:
    """Declare the scoped read of `model` (see the module docstring for the rule's parts)."""
    if model in SCOPES:
        raise ValueError(f"{model.__name__} already has a scoped read")
    scope = Scope(model, **rule)
    SCOPES[model] = scope
    return scope
