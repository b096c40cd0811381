"""`create_<model>(**overrides)` factories for rows a test owns, one module per domain.

Every factory gives unique names and sensible defaults, so a test names only what it is about;
the demo data the read-only tests share stays untouched. Import them from here:
`from tests.factories import create_partner, create_main_account`.
"""

from tests.factories.account import create_funded_partner, create_wallet
from tests.factories.coupons import Distribution, Issuer, create_coupon, create_distribution, create_issuer, create_quota
from tests.factories.customers import create_customer, create_customers
from tests.factories.experts import create_expert_application, create_specialist
from tests.factories.incentives import create_incentive_bill, create_settlement_bill, create_yanxuan_order, unique_period
from tests.factories.invitations import create_invitation
from tests.factories.members import (
    create_account,
    create_bound_member,
    create_main_account,
    create_member,
    create_member_with_grants,
    create_person,
    create_role,
)
from tests.factories.partners import NORTHWIND, SUMMIT, create_partner, partner_named, partner_row
from tests.factories.safeguards import create_verification_code
from tests.factories.solutions import create_co_sale_product, create_solution
from tests.factories.tasks import create_task
from tests.factories.values import days, unique

__all__ = [
    "NORTHWIND", "SUMMIT", "Distribution", "Issuer", "create_account", "create_bound_member", "create_co_sale_product",
    "create_coupon", "create_customer", "create_customers", "create_distribution", "create_expert_application",
    "create_funded_partner", "create_incentive_bill", "create_invitation", "create_issuer", "create_main_account", "create_member",
    "create_member_with_grants", "create_partner", "create_person", "create_quota", "create_role", "create_settlement_bill", "create_solution",
    "create_specialist", "create_task", "create_verification_code", "create_wallet", "create_yanxuan_order", "days", "partner_named",
    "partner_row", "unique", "unique_period",
]
