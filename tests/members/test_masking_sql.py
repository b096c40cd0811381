"""The SQL forms of the masking rule (compiled reads) answer what the Python rule answers, on both
databases, for the awkward values too."""

from __future__ import annotations

import pytest

from models.members import Account
from resolvers.members.masking import mask_email, mask_email_sql, mask_mobile, mask_mobile_sql

EMAILS = ["ann@example.com", "@example.com", "ann@", "@", "", "no-at-sign", "a@b@c", "@@", "a@@", "é@ü.de",
          "ñandú@correo.es", "x@y@", "%_@x", "a b@c d", "'@\"", "a\\@b"]
MOBILES = ["13812345678", "138 1234 5678", "1234567", "12345678", "", "  ", "+86 138 0000 1111", "汉字12345678"]


@pytest.mark.parametrize(("rule", "sql", "values"), [(mask_email, mask_email_sql, EMAILS), (mask_mobile, mask_mobile_sql, MOBILES)])
async def test_the_sql_rule_answers_as_the_python_rule(demo_db: dict[str, int], rule, sql, values: list[str]) -> None:
    client = Account._meta.db
    dialect = client.capabilities.dialect
    # The expression names the value several times: one numbered parameter.
    expression = sql(dialect, "CAST($1 AS text)" if dialect == "postgres" else "?1")
    for value in values:
        [[answer]] = (await client.execute_query(f"SELECT {expression}", [value]))[1]
        assert answer == rule(value), (dialect, value)
