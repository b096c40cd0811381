"""The `@requires` and `@public` schema directives, generated from the catalog.

A guarded field is declared with `permission_field(requires=Permission.X, description=...)`: the directive shows in
the printed schema, the description names the permission, and enforcement reads the same
directive back from the built schema, so there is one declaration per field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import strawberry
from strawberry.schema_directive import Location

from resolvers.permissions.catalog import BY_CODE, Permission

strawberry.enum(Permission, description="A permission: each value is one code of the permission catalog.")
for _value in Permission.__strawberry_definition__.values:  # type: ignore[attr-defined]
    _value.description = f"`{Permission[_value.name].value}`: {BY_CODE[Permission[_value.name]].description}"


def permission_values(codes: Iterable[str]) -> list[Permission]:
    """Permission codes (as stored on roles and API keys, or a principal's set) as the enum that
    fields return and inputs take, so a client can send back what it read. Sorted by code, as the
    codes were listed before. A stored code the catalog no longer has is left out: it grants
    nothing (effective permissions are always a subset of the catalog) and has no enum value."""
    return sorted(Permission(code) for code in set(codes) if code in BY_CODE)


# One permission, or several of which any one suffices.
Requirement = Permission | tuple[Permission, ...]


def _alternatives(requirement: Requirement) -> tuple[Permission, ...]:
    return requirement if isinstance(requirement, tuple) else (requirement,)


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


def requires_directive(requirement: Requirement) -> Requires:
    first, *others = _alternatives(requirement)
    return Requires(permission=first, any_of=list(others) or None)


def permission_note(requirement: Requirement) -> str:
    names = " or ".join(f"`{p.value}`" for p in _alternatives(requirement))
    return f" Requires the permission {names}."


def permission_field(*, requires: Requirement, description: str, **kwargs: Any) -> Any:
    """A field guarded by a permission (or one of several); usable as `x: T = permission_field(...)`
    or as a resolver decorator. The one spelling of "this field needs a permission": the helpers
    that make connections, relations and mutations take the same `requires=`."""
    return strawberry.field(
        description=description + permission_note(requires),
        directives=[requires_directive(requires)],
        **kwargs,
    )


def public_field(*, description: str, **kwargs: Any) -> Any:
    """A field open to any authenticated caller on a type that is not open as a whole."""
    return strawberry.field(description=description, directives=[PUBLIC], **kwargs)
