"""The one check a service makes itself: the object at hand needs a permission of its own.

A field admits several permissions when the right one depends on the object (a coupon's kind, a
task's kind); the service, having read the object, asks for that one here. Everything else is
checked before execution from the field declarations (schema/permissions/enforcement.py).
"""

from __future__ import annotations

from resolvers.errors import Forbidden
from resolvers.permissions.catalog import Permission
from resolvers.principal import Principal


def require(principal: Principal, permission: Permission, *, to: str) -> None:
    """Forbidden (naming the permission) unless the caller holds it; `to` says what it is needed for."""
    if not principal.has(permission):
        raise Forbidden(f"You need the permission `{permission}` to {to}.", permission=permission.value)
