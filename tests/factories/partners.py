"""Partners: the demo's by name, and fresh ones a test owns."""

from __future__ import annotations

from models.partners import Partner, PartnerIdentity
from tests.factories.values import unique

# The demo partners most tests act in (gateway/seed/demo_partners.py).
NORTHWIND = "Northwind Distribution"
SUMMIT = "Summit Cloud Services"


async def partner_named(name: str) -> Partner:
    return await Partner.get(name=name)


async def partner_row(partner: Partner | str) -> Partner:
    """`partner` itself, or the demo partner of that name: factories take either."""
    return await partner_named(partner) if isinstance(partner, str) else partner


async def create_partner(*identities: PartnerIdentity | str, **overrides) -> Partner:
    """A partner of the test's own: a SOLUTION_PROVIDER unless `identities` say otherwise;
    `overrides` set any other column (`verification_code_enabled=True`, `parent_distributor=...`)."""
    fields = {
        "name": unique("Test Partner"), "region": "cn-north-4",
        "identities": [PartnerIdentity(i).value for i in identities or (PartnerIdentity.SOLUTION_PROVIDER,)],
        "verification_code_enabled": False,
    }
    fields.update(overrides)
    return await Partner.create(**fields)
