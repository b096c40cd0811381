"""Principals kept between requests, keyed by the credential, checked against the principal epoch.

Building a principal means parsing its aggregated roles and deriving its permission set; a client
sends the same credential request after request. An entry is used only while the database's
principal epoch (models/principal_epoch.py) is the one it was read at: resolvers/caller_facts.py
checks that in the statement that would otherwise read the caller, or, over HTTP, the request's
first statement does (resolvers/principal_confirmation.py), so a cached principal costs at most one
statement, and any change to accounts, roles, identities or keys, in any process, shows on the next
request. The time limit bounds memory, not staleness.

Keys are digests of the credential: no token or API key is kept in memory longer than its request.
A token whose exact bytes were verified before is not verified again while it has not expired (its
signature cannot have changed); its expiry is still checked on every request.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass

from resolvers.principal import Principal


@dataclass(frozen=True, slots=True)
class CachedPrincipal:
    principal: Principal
    epoch: int
    expires: float  # monotonic: when the entry leaves the cache
    # POSIX time the credential itself expires (a token's `exp`); None: it does not (an API key).
    credential_expires: float | None = None

    def credential_valid(self) -> bool:
        return self.credential_expires is None or time.time() < self.credential_expires


# How often an API key's `last_used_at` is written while its principal comes from the cache.
KEY_USE_INTERVAL_SECONDS = 60.0


class PrincipalCache:
    def __init__(self, seconds: float, size: int) -> None:
        self.seconds = seconds
        self.size = size
        self._entries: OrderedDict[bytes, CachedPrincipal] = OrderedDict()
        self._key_use_written: dict[int, float] = {}

    @property
    def enabled(self) -> bool:
        return self.seconds > 0 and self.size > 0

    @staticmethod
    def key(credential: str) -> bytes:
        return hashlib.blake2b(credential.encode(), digest_size=20).digest()

    def get(self, key: bytes) -> CachedPrincipal | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expires <= time.monotonic():
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry

    def put(self, key: bytes, epoch: int | None, principal: Principal, credential_expires: float | None = None) -> None:
        if not self.enabled or epoch is None:
            return
        self._entries[key] = CachedPrincipal(principal, epoch, time.monotonic() + self.seconds, credential_expires)
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def key_use_due(self, api_key_id: int) -> bool:
        """Whether this process should write the key's last use now: at most once a minute, so a
        key's hundredth request a second is not a hundred writes to one row."""
        now = time.monotonic()
        last = self._key_use_written.get(api_key_id)
        if last is not None and now - last < KEY_USE_INTERVAL_SECONDS:
            return False
        if len(self._key_use_written) >= self.size:
            self._key_use_written.clear()
        self._key_use_written[api_key_id] = now
        return True

    def discard(self, key: bytes) -> None:
        self._entries.pop(key, None)

    def __len__(self) -> int:
        return len(self._entries)
