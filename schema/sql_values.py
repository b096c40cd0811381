"""How a field's value is spelled in SQL, declared beside the field, for the compiled read path.

Most fields need no declaration: a plain field is its column, a connection or relation declares its
scoped read already (schema/relay.py). A field computed in Python declares its SQL twin here, built
from the same rule as its resolver (a masking rule, an effective status), so both paths answer
alike; the differential tests (tests/compiled/) hold them to it. A field without a twin makes the
operation run on the standard executor (schema/compiled/).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from resolvers.principal import Principal

SQL_VALUE = "sql_value"
MONEY = "money"
STATELESS = "stateless"
AS_STORED = "as_stored"
FROM_CALLER = "from_caller"
RELATED_MONEY = "related_money"


class RowSql(Protocol):
    """What a declaration may use: the dialect, the caller, the row's columns and bound values."""

    @property
    def dialect(self) -> str: ...  # "postgres" or "sqlite"

    @property
    def principal(self) -> Principal: ...

    @property
    def now(self) -> Any: ...  # the request's time, to `bind`

    def column(self, name: str) -> str: ...

    def number(self, name: str) -> str: ...  # a decimal column as a number to compute with

    def two_places(self, expression: str) -> str: ...  # a number as the API writes an amount

    def bind(self, value: Any) -> str: ...


@dataclass(frozen=True)
class SqlValue:
    """A scalar computed from its row: `build(row)` is the SQL expression of its value."""

    build: Callable[[RowSql], str]


def as_stored(column: str) -> dict[str, str]:
    """Field metadata: the resolver answers the column as it is stored (say, a JSON list of enum
    values it reads back as the enum), so a compiled read writes the column, spelled by its type."""
    return {AS_STORED: column}


@dataclass(frozen=True)
class RelatedMoney:
    """A Money object read from a related row: the `readable` row whose `key_field` is the parent's
    id, its `amount` column in its `currency` column; null when there is no such row or amount."""

    readable: Callable[[Principal], Any]
    key_field: str
    amount: str
    currency: str


def related_money(readable: Callable[[Principal], Any], key_field: str, amount: str, currency: str) -> dict[str, RelatedMoney]:
    """Field metadata: see RelatedMoney (a resolver that loads the row and answers `Money.of(amount, currency)`)."""
    return {RELATED_MONEY: RelatedMoney(readable, key_field, amount, currency)}


def from_caller() -> dict[str, bool]:
    """Field metadata: the resolver answers from the caller alone (it reads `info.context.principal`
    and nothing else, synchronously), so a compiled read binds what the resolver answers, as JSON."""
    return {FROM_CALLER: True}


def sql_value(build: Callable[[RowSql], str]) -> dict[str, SqlValue]:
    """Field metadata: the field's value in SQL."""
    return {SQL_VALUE: SqlValue(build)}


def money(attribute: str) -> dict[str, str]:
    """Field metadata: a Money object of the decimal column `attribute` (CNY)."""
    return {MONEY: attribute}


def money_sql(build: Callable[[RowSql], str]) -> dict[str, SqlValue]:
    """Field metadata: a Money object of an amount computed in SQL (`build` gives it as text, two places)."""
    return {MONEY: SqlValue(build)}


def lookup(column: str, values: Mapping[Any, str]) -> dict[str, SqlValue]:
    """Field metadata: a text looked up by the row's `column` (an enum) in `values`, the resolver's own table."""

    def build(row: RowSql) -> str:
        cases = " ".join(f"WHEN {row.bind(getattr(key, 'value', key))} THEN {row.bind(text)}" for key, text in values.items())
        return f"(CASE {row.column(column)} {cases} END)"

    return {SQL_VALUE: SqlValue(build)}


def money_difference(minuend: str, *subtrahends: str) -> dict[str, tuple[str, ...]]:
    """Field metadata: a Money object of one decimal column minus others (CNY)."""
    return {MONEY: (minuend, *subtrahends)}


def stateless() -> dict[str, bool]:
    """Field metadata: the field's object carries no row of its own (the viewer); its fields do."""
    return {STATELESS: True}
