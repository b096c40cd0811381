"""Model-level rules of DOMAIN.md that hold whatever writes the row."""

from __future__ import annotations

import pytest
from tortoise.exceptions import IntegrityError, ValidationError

from models.partners import Partner
from tests.factories import unique


@pytest.mark.parametrize("identities", [[], ["SOLUTION_PROVIDER", "RESELLER"], ["NOT_AN_IDENTITY"]])
async def test_partner_identities_are_checked(demo_db, identities):
    name = unique("Partner")
    with pytest.raises(ValidationError):
        await Partner.create(name=name, region="cn-north-4", identities=identities)
    assert not await Partner.filter(name=name).exists()


async def test_partner_names_are_unique(demo_db):
    with pytest.raises(IntegrityError):
        await Partner.create(name="Northwind Distribution", region="cn-north-4", identities=["DISTRIBUTOR"])
