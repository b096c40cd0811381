"""One SQL statement in the making: its bound values, the JSON spellings of its dialect, and the
scoped reads (Tortoise's SQL) embedded in it.

Values are never written into the text: `bind` returns a marker naming the value, and `finish`
turns the markers into the dialect's placeholders in text order, so pieces may be built in any
order (a nested page before its parent) and still line up with their parameters.
"""

from __future__ import annotations

import re
from typing import Any

_MARKER = re.compile("\x00([0-9]+)\x00")
_PG_PLACEHOLDER = re.compile(r"\$([0-9]+)")
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")

# Python's datetime.isoformat() of a UTC time: microseconds only when there are any, and the offset.
_PG_TIME = ("(to_char({c} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || "
            "CASE WHEN extract(microseconds FROM {c})::bigint % 1000000 <> 0 "
            "THEN to_char({c} AT TIME ZONE 'UTC', '.US') ELSE '' END || '+00:00')")


class _Now:
    """The time of the request that runs a statement, bound when it runs: a cached statement is
    compiled once and run many times."""

    def __repr__(self) -> str:
        return "NOW"


NOW: Any = _Now()


def _nested_subquery(value: str) -> str | None:
    """The subquery of `json((subquery))` (what `nested` writes on SQLite), or None for anything else."""
    if not (value.startswith("json((") and value.endswith("))")):
        return None
    depth = 0
    for index, char in enumerate(value[4:], start=4):  # from json's own parenthesis
        depth += (char == "(") - (char == ")")
        if depth == 0:
            return value[5:-1] if index == len(value) - 1 else None
    return None


def at(params: list[Any], now: Any) -> list[Any]:
    """The parameters with the request's time in place of NOW."""
    return [now if value is NOW else value for value in params]


def literal(text: str) -> str:
    """A response key or type name as an SQL string literal. Only GraphQL names get here (the
    parser admits nothing else); anything else is refused, never quoted."""
    if not _NAME.fullmatch(text):
        raise ValueError(f"not a GraphQL name: {text!r}")
    return f"'{text}'"


class Statement:
    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self.postgres = dialect == "postgres"
        self._values: list[Any] = []
        self._aliases = 0

    def bind(self, value: Any) -> str:
        self._values.append(value)
        return f"\x00{len(self._values) - 1}\x00"

    def alias(self) -> str:
        self._aliases += 1
        return f"_c{self._aliases}"

    def embed(self, sql: str, params: list[Any]) -> str:
        """Tortoise's SQL for a scoped read, its placeholders turned into this statement's markers."""
        if self.postgres:
            return _PG_PLACEHOLDER.sub(lambda m: self.bind(params[int(m.group(1)) - 1]), sql)
        values = iter(params)
        return re.sub(r"\?", lambda _: self.bind(next(values)), sql)

    def finish(self, text: str) -> tuple[str, list[Any]]:
        """The statement and its parameters: only the values the text uses (PostgreSQL refuses a
        parameter it cannot type, and one the text never names is such a parameter)."""
        ordered: list[Any] = []
        if self.postgres:
            numbers: dict[int, int] = {}

            def numbered(match: re.Match[str]) -> str:
                index = int(match.group(1))
                if index not in numbers:
                    ordered.append(self._values[index])
                    numbers[index] = len(ordered)
                return f"${numbers[index]}"

            return _MARKER.sub(numbered, text), ordered

        def placeholder(match: re.Match[str]) -> str:
            ordered.append(self._values[int(match.group(1))])
            return "?"

        return _MARKER.sub(placeholder, text), ordered

    # --- JSON, as each dialect spells it ------------------------------------------------------

    def obj(self, pairs: list[tuple[str, str]]) -> str:
        inner = ", ".join(f"{literal(key)}, {value}" for key, value in pairs)
        return f"json_build_object({inner})" if self.postgres else f"json_object({inner})"

    def array(self, values: list[str]) -> str:
        """A JSON array of JSON values (at most 100: PostgreSQL's limit on a function's arguments)."""
        return f"json_build_array({', '.join(values)})" if self.postgres else f"json_array({', '.join(values)})"

    def json_value(self, text: str) -> str:
        """A JSON document given as text, bound as a parameter."""
        return f"CAST({self.bind(text)} AS json)" if self.postgres else f"json({self.bind(text)})"

    def nested(self, select: str) -> str:
        """A scalar subquery whose value is JSON (SQLite forgets that at the subquery's edge)."""
        return f"({select})" if self.postgres else f"json(({select}))"

    def data(self, pairs: list[tuple[str, str]]) -> str:
        """The operation's `data` object, as text. On SQLite written around its values' texts: a
        root field's value is a subquery whose text is JSON already, which `json()` would parse again
        whole to put it in a `json_object` (Q1: 58 KB, 9 % of its statement). Keys are GraphQL names
        and aliases ([_A-Za-z][_0-9A-Za-z]*): nothing to escape."""
        if self.postgres:
            return f"{self.obj(pairs)}::text"
        parts = []
        for index, (key, value) in enumerate(pairs):
            subquery = _nested_subquery(value)
            text = f"coalesce({subquery}, 'null')" if subquery is not None else f"json_quote({value})"
            parts.append(f"""'{"," if index else "{"}"{key}":' || {text}""")
        return " || ".join(parts) + " || '}'" if parts else "'{}'"

    def boolean(self, condition: str) -> str:
        if self.postgres:
            return f"({condition})"
        return f"(CASE WHEN {condition} THEN json('true') ELSE json('false') END)"

    def boolean_column(self, column: str) -> str:
        if self.postgres:
            return column
        return f"(CASE WHEN {column} IS NULL THEN NULL WHEN {column} THEN json('true') ELSE json('false') END)"

    def constant(self, value: bool) -> str:
        if self.postgres:
            return "true" if value else "false"
        return "json('true')" if value else "json('false')"

    def datetime(self, column: str) -> str:
        # SQLite keeps Tortoise's 'YYYY-MM-DD HH:MM:SS[.ffffff]+00:00'; the API answers isoformat().
        return _PG_TIME.format(c=column) if self.postgres else f"replace({column}, ' ', 'T')"

    def date(self, column: str) -> str:
        return f"to_char({column}, 'YYYY-MM-DD')" if self.postgres else column

    def decimal(self, column: str, places: int) -> str:
        """A decimal column as text with its `places`, as Tortoise reads it (quantized). SQLite keeps
        what was written, and an amount changed by arithmetic in SQL is stored as '0.0' or '12.5'.
        NULL gives '0.00' on SQLite: callers test the column for NULL first."""
        return f"({column})::text" if self.postgres else f"printf('%.{int(places)}f', {self.number(column)})"

    def json_column(self, column: str) -> str:
        """A JSON column's value as JSON (PostgreSQL keeps jsonb; SQLite, text that must be read as JSON)."""
        return f"({column})::json" if self.postgres else f"json({column})"

    def difference(self, minuend: str, subtrahends: list[str]) -> str:
        """Two-place decimal columns' difference as the API writes it (text, two places)."""
        return self.two_places(" - ".join(self.number(c) for c in (minuend, *subtrahends)))

    def number(self, column: str) -> str:
        """A decimal column to compute with. SQLite keeps decimals as text; doubles hold two-place
        amounts below 10^13 closely enough to round back (`two_places`)."""
        return f"({column})" if self.postgres else f"CAST({column} AS REAL)"

    def two_places(self, expression: str) -> str:
        """A computed amount as the API writes it: text with two places."""
        return f"(({expression})::numeric(20, 2))::text" if self.postgres else f"printf('%.2f', {expression})"

    def global_id(self, type_name: str, column: str) -> str:
        prefix = literal(type_name)[:-1] + ":'"
        if self.postgres:
            return f"encode(convert_to({prefix} || {column}, 'UTF8'), 'base64')"
        return f"gateway_base64({prefix} || {column})"
