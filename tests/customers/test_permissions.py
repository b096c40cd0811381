"""Every permission of the customer and reseller rows of the catalog guards something, and the
customer account's three are held by customer accounts and nothing else."""

from __future__ import annotations

from models.members import StaffRole
from models.partners import PartnerIdentity
from resolvers.permissions.catalog import CATALOG
from resolvers.permissions.effective import allowed_for, customer_permissions, personal_permissions, staff_permissions
from schema.build import schema
from schema.permissions.policy import policy_for

ROWS = [spec.code for spec in CATALOG if spec.code.startswith(("customer.", "reseller.")) or spec.code == "coupon.pickup.view"]


def _guarded() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for (type_name, field_name), decision in policy_for(schema._schema).fields.items():
        for code in decision.any_of:
            found.setdefault(code, []).append(f"{type_name}.{field_name}")
    return found


def test_no_customer_or_reseller_permission_guards_nothing() -> None:
    assert len(ROWS) >= 14
    guarded = _guarded()
    assert [code for code in ROWS if not guarded.get(code)] == []


def test_customer_permissions_belong_to_customer_accounts_only() -> None:
    own = customer_permissions()
    assert own == {spec.code for spec in CATALOG if spec.customer}
    assert not own & allowed_for(PartnerIdentity)
    assert not own & personal_permissions()
    assert not any(own & staff_permissions(role) for role in StaffRole)
    assert all(not (spec.customer and (spec.assignable_to or spec.default_for or spec.staff_roles or spec.personal))
               for spec in CATALOG)
