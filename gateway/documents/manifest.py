"""The trusted-documents manifest (GATEWAY_DOCUMENTS_MANIFEST): read, checked and prepared at start-up.

Two formats, as client tooling writes them:

- a JSON object of SHA-256 → document (graphql-codegen's client preset, `persistedDocuments` with
  `hashAlgorithm: "sha256"`);
- Apollo's `{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [{"id",
  "name", "type", "body"}]}` (`@apollo/generate-persisted-query-manifest` with its default ids).

Every hash must be the SHA-256 of its document's exact text (the hash a client sends), and every
document must parse, fit the operation limits and validate against the schema: a manifest with one
bad entry refuses to start, naming it, rather than serving a client whose operation could never run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import strawberry

from gateway.documents.protocol import is_sha256_hex, sha256_hex
from schema.documents import DocumentRejected, PreparedDocument, prepare
from schema.settings import SchemaSettings

APOLLO_FORMAT = "apollo-persisted-query-manifest"
# Problems listed in the refusal; a manifest generated against another schema can have hundreds.
REPORTED = 5


class ManifestError(ValueError):
    pass


def _apollo_entries(data: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    if data.get("version") != 1:
        raise ManifestError(f"an {APOLLO_FORMAT} of version {data.get('version')!r}; version 1 is supported")
    operations = data.get("operations")
    if not isinstance(operations, list):
        raise ManifestError(f"an {APOLLO_FORMAT} needs an `operations` list")
    entries = []
    for number, operation in enumerate(operations, 1):
        if not isinstance(operation, dict):
            raise ManifestError(f"operation {number} is not an object")
        label = f"operation {number} ({operation.get('name') or 'anonymous'})"
        entries.append((label, operation.get("id"), operation.get("body")))
    return entries


def entries(data: object) -> list[tuple[str, Any, Any]]:
    """(label, hash, document) of every entry, as the file has them."""
    if not isinstance(data, dict):
        raise ManifestError("the manifest must be a JSON object")
    if "format" in data:
        if data["format"] != APOLLO_FORMAT:
            raise ManifestError(f"unknown manifest format {data['format']!r}; expected {APOLLO_FORMAT!r} or an object of hash → document")
        return _apollo_entries(data)
    return [(f"entry {str(key)[:16]}…", key, value) for key, value in data.items()]


def read_manifest(path: Path) -> dict[str, str]:
    """SHA-256 → document, every hash checked against its text."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ManifestError(f"cannot read it: {exc.strerror or exc}") from None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ManifestError(f"not JSON: {exc}") from None
    documents: dict[str, str] = {}
    for label, sha, text in entries(data):
        if not isinstance(text, str) or not text.strip():
            raise ManifestError(f"{label}: the document must be a non-empty string")
        if not is_sha256_hex(sha):
            raise ManifestError(f"{label}: {sha!r} is not a SHA-256 (64 hexadecimal digits); generate the manifest with SHA-256 hashes")
        if sha256_hex(text) != sha.lower():
            raise ManifestError(f"{label}: {sha} is not the SHA-256 of its document (it is {sha256_hex(text)}); "
                                "the hash must be of the exact text the client sends")
        documents[sha.lower()] = text
    if not documents:
        raise ManifestError("it holds no documents")
    return documents


def load_manifest(path: Path, schema: strawberry.Schema, settings: SchemaSettings) -> dict[str, PreparedDocument]:
    """The manifest's documents prepared against `schema`, or ManifestError naming what is wrong."""
    try:
        documents = read_manifest(path)
    except ManifestError as exc:
        raise ManifestError(f"GATEWAY_DOCUMENTS_MANIFEST {path}: {exc}") from None
    prepared: dict[str, PreparedDocument] = {}
    problems: list[str] = []
    for sha, text in documents.items():
        try:
            prepared[sha] = prepare(schema, text, settings)
        except DocumentRejected as exc:
            problems.append(f"{sha[:12]}…: {exc}")
    if problems:
        more = f" (and {len(problems) - REPORTED} more)" if len(problems) > REPORTED else ""
        raise ManifestError(f"GATEWAY_DOCUMENTS_MANIFEST {path}: {len(problems)} of {len(documents)} documents cannot run "
                            f"against this schema{more}: " + "; ".join(problems[:REPORTED]))
    return prepared
