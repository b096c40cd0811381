"""API-key secrets: generated once, shown once, stored as a hash."""

from __future__ import annotations

import hashlib
import secrets

API_KEY_PREFIX = "pgk_"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_api_key() -> tuple[str, str]:
    """(prefix, full key). The prefix finds the row; the full key is only ever compared by hash."""
    prefix = secrets.token_hex(4)
    return prefix, f"{API_KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
