"""Money changes as single conditional UPDATE statements, safe under any concurrency.

`adjust` adds `delta` to a column only while a guard holds (never above another column, never
below a floor); the database applies check and change atomically, so concurrent callers can
never spend the same money twice and nothing is read-modify-written in Python.

SQLite keeps decimals as text, so its arithmetic runs on REAL values rounded to cents, which
is exact for two-decimal amounts of the sizes we allow; PostgreSQL uses NUMERIC directly.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tortoise.models import Model

MAX_AMOUNT = Decimal("100000000.00")  # inputs above this are refused before any SQL


def _dialect(model: type[Model]) -> str:
    return model._meta.db.capabilities.dialect


async def adjust(
    model: type[Model], pk: int, column: str, delta: Decimal, *,
    at_most: str | None = None, at_least: Decimal | None = None, where: dict[str, Any] | None = None,
) -> bool:
    """`column += delta` on row `pk` if afterwards `column <= at_most` (another column) and
    `column >= at_least`, and every `where` column equals its value. True if the row changed."""
    table = model._meta.db_table
    sqlite = _dialect(model) == "sqlite"
    params: list[Any] = []

    def param(value: Any) -> str:
        params.append(float(value) if sqlite and isinstance(value, Decimal) else value)
        return "?" if sqlite else f"${len(params)}"

    def num(sql_column: str) -> str:
        return f'ROUND(CAST("{sql_column}" AS REAL), 2)' if sqlite else f'"{sql_column}"'

    def after(placeholder: str) -> str:
        return f"ROUND({num(column)} + {placeholder}, 2)" if sqlite else f'"{column}" + {placeholder}'

    new_value = after(param(delta))
    conditions = [f'"id" = {param(pk)}']
    if at_most is not None:
        conditions.append(f"{after(param(delta))} <= {num(at_most)}")
    if at_least is not None:
        conditions.append(f"{after(param(delta))} >= {param(at_least)}")
    for name, value in (where or {}).items():
        conditions.append(f'"{name}" = {param(getattr(value, "value", value))}')
    sql = f'UPDATE "{table}" SET "{column}" = {new_value} WHERE {" AND ".join(conditions)}'
    changed, _ = await model._meta.db.execute_query(sql, params)
    return changed == 1
