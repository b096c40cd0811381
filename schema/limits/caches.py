"""Per-process caches of parsed and validated documents.

Clients send the same few operations again and again, so parsing and validation are cached by
query text, and operation costs by text, operation name and variables. Only texts up to `CACHEABLE_CHARS` are kept: a cache keyed by megabyte bodies would
let a caller fill memory with a few hundred distinct requests.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache
from typing import Any

import orjson
from graphql import DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode, get_operation_ast, parse, validate

from schema.limits.cost import PageSizeError
from schema.limits.document import Limits, check_operation, scan_text

CACHEABLE_CHARS = 16_384
CACHE_SIZE = 512


def cacheable(query: str) -> bool:
    return len(query) <= CACHEABLE_CHARS


def variables_key(variables: dict[str, Any] | None) -> bytes:
    """Variables as part of a cache key: the same values give the same bytes, in any key order."""
    return orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS)


@lru_cache(maxsize=CACHE_SIZE)
def _cached_scan(query: str, limits: Limits) -> GraphQLError | None:
    return scan_text(query, limits)


def scan(query: str, limits: Limits) -> GraphQLError | None:
    return _cached_scan(query, limits) if cacheable(query) else scan_text(query, limits)


@lru_cache(maxsize=CACHE_SIZE)
def _cached_parse(query: str) -> DocumentNode:
    return parse(query)


def parse_document(query: str) -> DocumentNode:
    # Limits are checked by `scan` before, so the parser needs no token limit of its own.
    return _cached_parse(query) if cacheable(query) else parse(query)


@lru_cache(maxsize=CACHE_SIZE)
def _cached_shape(query: str, operation_name: str | None, limits: Limits) -> GraphQLError | None:
    document = _cached_parse(query)
    operation = get_operation_ast(document, operation_name)
    return check_operation(document, operation, limits) if operation is not None else None


def check_shape(query: str, document: DocumentNode, operation: OperationDefinitionNode, operation_name: str | None,
                limits: Limits) -> GraphQLError | None:
    """`check_operation`, measured once per text and operation when the document is the text's cached parse."""
    if cacheable(query) and document is _cached_parse(query):
        return _cached_shape(query, operation_name, limits)
    return check_operation(document, operation, limits)


class _ValidationCache:
    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[tuple[Any, ...], list[GraphQLError]] = OrderedDict()

    def validate(self, schema: GraphQLSchema, query: str, document: DocumentNode, rules: tuple[Any, ...],
                 max_errors: int) -> list[GraphQLError]:
        if not cacheable(query):
            return validate(schema, document, rules, max_errors=max_errors)
        key = (id(schema), query, rules, max_errors)
        errors = self.entries.get(key)
        if errors is None:
            errors = validate(schema, document, rules, max_errors=max_errors)
            self.entries[key] = errors
            if len(self.entries) > self.size:
                self.entries.popitem(last=False)
        else:
            self.entries.move_to_end(key)
        return errors


validation_cache = _ValidationCache(CACHE_SIZE)


class _CostCache:
    """Operation costs by query text, operation name and variables (page sizes can be variables).
    A refusal (PageSizeError) is cached as the cost's exception and raised again."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._costs: OrderedDict[tuple[str, str | None, bytes], int | Exception] = OrderedDict()

    def cost(self, query: str, operation_name: str | None, variables: dict[str, Any] | None, compute: Any) -> int:
        if not query or not cacheable(query):
            return compute()
        key = (query, operation_name, variables_key(variables))
        found = self._costs.get(key)
        if found is None:
            try:
                found = compute()
            except PageSizeError as refusal:
                found = refusal
            self._costs[key] = found
            while len(self._costs) > self.size:
                self._costs.popitem(last=False)
        else:
            self._costs.move_to_end(key)
        if isinstance(found, Exception):
            raise found
        return found


cost_cache = _CostCache(CACHE_SIZE)
