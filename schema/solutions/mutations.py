"""Solutions and co-sale listings."""

from __future__ import annotations

import strawberry


@strawberry.type(description="Solutions and co-sale listings.")
class SolutionMutations:
    pass
