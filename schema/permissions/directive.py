"""The `@requires` and `@public` schema directives, generated from the catalog.

A guarded field is declared with `permission_field(code, description=...)`: the directive shows in
the printed schema, the description names the permission, and enforcement reads the same
directive back from the built schema, so there is one declaration per field.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry
from strawberry.schema_directive import Location

from schema.permissions.catalog import BY_CODE, CATALOG

Permission = Enum("Permission", {spec.enum_name: spec.code for spec in CATALOG})  # type: ignore[misc]
Permission.__doc__ = "A permission code of the catalog."
strawberry.enum(Permission, description="A permission: each value is one code of the permission catalog.")
for _value in Permission.__strawberry_definition__.values:  # type: ignore[attr-defined]
    _spec = BY_CODE[Permission[_value.name].value]
    _value.description = f"`{_spec.code}`: {_spec.description}"


@strawberry.schema_directive(
    locations=[Location.FIELD_DEFINITION],
    description="The caller needs this permission (or one of `anyOf`) to use the field; otherwise the field is null with a FORBIDDEN error.",
)
class Requires:
    permission: Permission = strawberry.field(description="The permission required.")
    any_of: list[Permission] | None = strawberry.field(
        default=None, description="Other permissions that also grant access."
    )


@strawberry.schema_directive(
    locations=[Location.OBJECT, Location.FIELD_DEFINITION],
    description="Open to any authenticated caller; what it returns is still scoped to the caller's partner.",
)
class Public:
    pass


PUBLIC = Public()


def requires(code: str, *alternatives: str) -> Requires:
    for c in (code, *alternatives):
        if c not in BY_CODE:
            raise ValueError(f"unknown permission {c!r}")
    return Requires(permission=Permission(code), any_of=[Permission(c) for c in alternatives] or None)


def permission_note(code: str, *alternatives: str) -> str:
    names = " or ".join(f"`{c}`" for c in (code, *alternatives))
    return f" Requires the permission {names}."


def permission_field(code: str, *alternatives: str, description: str, **kwargs: Any) -> Any:
    """A field guarded by a permission; usable as `x: T = permission_field(...)` or as a resolver decorator."""
    return strawberry.field(
        description=description + permission_note(code, *alternatives),
        directives=[requires(code, *alternatives)],
        **kwargs,
    )


def public_field(*, description: str, **kwargs: Any) -> Any:
    """A field open to any authenticated caller on a type that is not open as a whole."""
    return strawberry.field(description=description, directives=[PUBLIC], **kwargs)
