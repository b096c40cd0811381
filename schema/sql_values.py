"""How a field's value is spelled in SQL, declared beside the field, for the compiled read path.

Most fields need no declaration: a plain field is its column, a connection or relation declares its
scoped read already (schema/relay.py). A field computed in Python declares its SQL twin here, built
from the same rule as its resolver (a masking rule, an effective status), so both paths answer
alike; the differential tests (tests/compiled/) hold them to it. A field without a twin makes the
operation run on the standard executor (schema/compiled/).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from resolvers.principal import Principal

SQL_VALUE = "sql_value"
MONEY = "money"
STATELESS = "stateless"


class RowSql(Protocol):
    """What a declaration may use: the dialect, the caller, the row's columns and bound values."""

    @property
    def dialect(self) -> str: ...  # "postgres" or "sqlite"

    @property
    def principal(self) -> Principal: ...

    @property
    def now(self) -> Any: ...  # the request's time, to `bind`

    def column(self, name: str) -> str: ...

    def bind(self, value: Any) -> str: ...


@dataclass(frozen=True)
class SqlValue:
    """A scalar computed from its row: `build(row)` is the SQL expression of its value."""

    build: Callable[[RowSql], str]


def sql_value(build: Callable[[RowSql], str]) -> dict[str, SqlValue]:
    """Field metadata: the field's value in SQL."""
    return {SQL_VALUE: SqlValue(build)}


def money(attribute: str) -> dict[str, str]:
    """Field metadata: a Money object of the decimal column `attribute` (CNY)."""
    return {MONEY: attribute}


def money_difference(minuend: str, subtrahend: str) -> dict[str, tuple[str, str]]:
    """Field metadata: a Money object of one decimal column minus another (CNY)."""
    return {MONEY: (minuend, subtrahend)}


def stateless() -> dict[str, bool]:
    """Field metadata: the field's object carries no row of its own (the viewer); its fields do."""
    return {STATELESS: True}
