"""The root mutation: each domain contributes its mutations by inheritance."""

from __future__ import annotations

import strawberry

from schema.members.mutations import MemberMutations


@strawberry.type(description="Every change: one `input`, a payload with the changed object and `userErrors`.")
class Mutation(MemberMutations):
    pass
