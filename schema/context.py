"""What every resolver receives as `info.context`: the caller and its per-request loaders."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import strawberry
from strawberry.dataloader import DataLoader
from tortoise.queryset import QuerySet

from resolvers.loaders import rows_by_id, rows_by_key
from resolvers.outbox import Delivery
from resolvers.principal import Principal
from schema.settings import SchemaSettings

if TYPE_CHECKING:
    from schema.documents import PreparedDocument

Readable = Callable[[Principal], QuerySet[Any]]
_NO_SPAN = nullcontext()


def no_span(name: str) -> AbstractContextManager[Any]:
    """What a phase opens when nobody traces the request: nothing, for the price of a call."""
    return _NO_SPAN


def span_of(context: Any) -> Callable[[str], AbstractContextManager[Any]]:
    """How to open a span around one of the schema's phases (parse, validate, the permission check)."""
    return context.span if isinstance(context, GatewayContext) else no_span


@dataclass
class GatewayContext:
    """The context of every operation. The gateway extends it with what only HTTP has (the
    request, the response headers, its rate limiter); the schema reads only these fields."""

    principal: Principal
    request_id: str
    settings: SchemaSettings = field(default_factory=SchemaSettings)
    # Cost of the operation as computed before execution (schema/limits); rate limits charge it.
    operation_cost: int = 1
    # Whoever sends the answer takes `data` as ready JSON bytes (schema/compiled/raw.py); only the
    # HTTP view does, so other callers of the schema always get plain Python data.
    accepts_raw_json: bool = False
    # Set by the authorization extension: the operation asks for nothing the caller may not read.
    authorized_in_full: bool = False
    # Set by the authorization extension for a query that asks for something denied: the root
    # fields (response keys) under which it does. The others may still be compiled.
    denied_roots: frozenset[str] = frozenset()
    # Set by the compiled-reads extension for a query: "compiled" or "standard", the executor that answered it.
    executor: str | None = None
    # Where one-time secrets go once a change commits (resolvers/outbox.py); None: nowhere.
    delivery: Delivery | None = None
    # The request's document when it was prepared before any request (schema/documents.py): parsed,
    # measured and validated already.
    document: PreparedDocument | None = None
    # Opens a child span of the request's, named for a phase (the gateway's traces, gateway/traces.py);
    # the schema knows no tracing library, and untraced it opens nothing.
    span: Callable[[str], AbstractContextManager[Any]] = no_span
    _loaders: dict[Any, DataLoader[Any, Any]] = field(default_factory=dict)

    def _loader(self, readable: Readable, key_field: str, scope: Any) -> DataLoader[Any, Any]:
        # One loader per (scoped queryset, key, asking field) and request: batching never crosses
        # callers, and each field's loads (all made when its parents' page arrives) form one batch,
        # so the statements per request are the same however the other fields' queries are timed.
        loader = self._loaders.get((readable, key_field, scope))
        if loader is None:
            queryset = readable(self.principal)
            if key_field == "id":
                loader = DataLoader(load_fn=lambda ids: rows_by_id(queryset, ids))
            else:
                loader = DataLoader(load_fn=lambda keys: rows_by_key(queryset, key_field, keys))
            self._loaders[(readable, key_field, scope)] = loader
        return loader

    def batch(self, key: Any, load_fn: Callable[[list[Any]], Any]) -> DataLoader[Any, Any]:
        """The request's loader for `key`, made with `load_fn` on first use."""
        loader = self._loaders.get(key)
        if loader is None:
            loader = self._loaders[key] = DataLoader(load_fn=load_fn)
        return loader

    async def load(self, readable: Readable, key: Any, key_field: str = "id", scope: Any = None) -> Any:
        """The readable row with that key, or None; batched with the other loads of the same field."""
        if key is None:
            return None
        return await self._loader(readable, key_field, scope).load(key)


# What resolvers receive as `info`: `info.context` is a GatewayContext, typed.
Info = strawberry.Info[GatewayContext, None]
