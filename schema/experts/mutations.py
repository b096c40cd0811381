"""Project specialists and expert applications."""

from __future__ import annotations

import strawberry


@strawberry.type(description="Project specialists and expert applications.")
class ExpertMutations:
    pass
