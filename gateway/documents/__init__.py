"""Persisted and trusted documents: which GraphQL text a request runs, decided before anything parses it.

- `GATEWAY_DOCUMENTS=any` (the default): a request sends its query as text, or only its SHA-256 in
  `extensions.persistedQuery` (automatic persisted queries, Apollo's protocol: protocol.py). An
  unknown hash is answered `PERSISTED_QUERY_NOT_FOUND`; the client then sends text and hash
  together, the gateway checks the one is the SHA-256 of the other, keeps the text (store.py) and
  runs it; afterwards the hash alone is enough.
- `GATEWAY_DOCUMENTS=trusted`: only the documents of the manifest (GATEWAY_DOCUMENTS_MANIFEST,
  manifest.py) run, named by their hash or sent as their exact text; anything else is refused
  `PERSISTED_QUERY_NOT_IN_LIST` before it is parsed, and nothing is registered.

Manifest documents are prepared at start-up (schema/documents.py) and run without being parsed or
validated again, in either mode.
"""

from __future__ import annotations

import dataclasses
from typing import Literal

import strawberry
from strawberry.http import GraphQLRequestData

from gateway.config import Settings
from gateway.context import schema_settings
from gateway.documents.manifest import ManifestError, load_manifest
from gateway.documents.protocol import hash_mismatch, not_found, not_in_list, requested_hash, sha256_hex
from gateway.documents.store import LocalDocuments, SharedDocuments
from schema.documents import PreparedDocument

__all__ = ["Documents", "ManifestError"]


class Documents:
    def __init__(self, mode: Literal["any", "trusted"], manifest: dict[str, PreparedDocument],
                 store: LocalDocuments | SharedDocuments) -> None:
        self.mode, self.manifest, self.store = mode, manifest, store

    @classmethod
    def from_settings(cls, settings: Settings, schema: strawberry.Schema) -> Documents:
        """The app's documents; ManifestError when the manifest cannot be served."""
        path = settings.documents_manifest
        manifest = load_manifest(path, schema, schema_settings(settings)) if path is not None else {}
        local = LocalDocuments(settings.apq_cache_size)
        store: LocalDocuments | SharedDocuments = local
        # Trusted mode registers nothing, so it has nothing to share.
        if settings.redis_url is not None and settings.documents == "any":
            store = SharedDocuments.from_url(settings.redis_url, local)
        return cls(settings.documents, manifest, store)

    @property
    def trusted_only(self) -> bool:
        return self.mode == "trusted"

    async def resolve(self, data: GraphQLRequestData) -> tuple[GraphQLRequestData, PreparedDocument | None]:
        """The request with the text it runs, and that text's prepared document when it has one.
        Raises the protocol's refusals (a RequestRefused) for what may not run."""
        sha = requested_hash(data.extensions)
        query = data.query
        if sha is None:
            if query is None or not (self.manifest or self.trusted_only):
                # Plain text with nothing to look it up in; or no text at all, answered as always (400).
                return data, None
            prepared = self.manifest.get(sha256_hex(query))
            if prepared is None and self.trusted_only:
                raise not_in_list()
            return data, prepared
        if query is not None:
            if sha256_hex(query) != sha:
                raise hash_mismatch(sha)
            prepared = self.manifest.get(sha)
            if prepared is None and self.trusted_only:
                raise not_in_list()
            if prepared is None:
                await self.store.put(sha, query)
            return data, prepared
        prepared = self.manifest.get(sha)
        if prepared is not None:
            return dataclasses.replace(data, query=prepared.text), prepared
        text = None if self.trusted_only else await self.store.get(sha)
        if text is None:
            raise not_found()
        return dataclasses.replace(data, query=text), None

    async def close(self) -> None:
        await self.store.close()
