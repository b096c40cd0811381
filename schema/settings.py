"""What the schema needs to know of the configuration, as a plain typed object.

The gateway reads the environment (gateway/config.py) and hands this in through the context; the
schema never reads settings itself, so it runs the same in the app, the tests and the benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from schema.limits.document import Limits


@dataclass(frozen=True, slots=True)
class SchemaSettings:
    limits: Limits = field(default_factory=lambda: Limits(max_depth=10, max_aliases=15, max_tokens=2000,
                                                          max_directives=50, max_root_fields=20))
    # Depth, aliases, tokens, directives, root fields and cost are enforced (production forces it).
    limits_enabled: bool = True
    cost_budget: int = 10_000
    max_validation_errors: int = 5
    # "Did you mean" hints, narrowed to what the caller can see.
    suggestions: bool = True
    # Unexpected exceptions answer INTERNAL_SERVER_ERROR with a generic message.
    mask_errors: bool = True
    # "null": a denied query field answers null with an error; "reject": the operation is refused.
    authz_mode: Literal["null", "reject"] = "null"
    # "filtered": introspection shows a caller only what it may use; "full"; "off".
    introspection: Literal["filtered", "full", "off"] = "filtered"
    # Queries the compiler covers run as one SQL statement (schema/compiled/); off: always the executor.
    compiled_reads: bool = True
