"""Marketing tasks."""

from __future__ import annotations

import strawberry


@strawberry.type(description="Marketing tasks.")
class TaskMutations:
    pass
