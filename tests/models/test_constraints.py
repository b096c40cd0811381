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


def test_model_docstrings_are_safe_table_comments():
    # Tortoise writes a model's docstring into its migration as a table comment; its SQL runner
    # splits statements on ";" and its SQLite DDL cuts comments at a newline.
    from tortoise.models import Model

    import models as package

    for module_name in package.MODEL_MODULES:
        module = __import__(module_name, fromlist=["_"])
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Model) and value is not Model and value.__doc__:
                assert ";" not in value.__doc__ and "\n" not in value.__doc__.strip(), value.__name__
