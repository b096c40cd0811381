"""Values a factory fills in: names no other row has, and times relative to now."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta


def unique(prefix: str) -> str:
    """`prefix.<random>`: rows a test creates never collide with the demo's or another test's."""
    return f"{prefix}.{uuid.uuid4().hex[:10]}"


def days(n: float) -> datetime:
    """Now plus `n` days (negative: in the past)."""
    return datetime.now(UTC) + timedelta(days=n)
