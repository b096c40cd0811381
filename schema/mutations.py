"""A mutation is a declaration.

    coupon_issue = mutation(
        requires=ISSUE, input=CouponIssueInput, service=issue_services.issue_coupons,
        description="Issue one coupon to each of 1 to 100 resale customers ...",
        payload=Payload("The result of issuing coupons.",
                        returns=PayloadField("coupons", list[Coupon], "The coupons issued; null if refused.")),
    )

From that one declaration the field gets its `@requires` directive, its `input` argument and a
generated payload type `{ coupons, userErrors }` (named after the field, `CouponIssuePayload`, or
`Payload(name=...)` to share one). When it runs:

1. every global ID in the input is decoded against the node type its input field names
   (`node_id("CouponQuota", ...)`, schema/global_ids.py) before anything else; a wrong one is a
   NOT_FOUND user error at its path, recorded like every refusal;
2. the service is called as `service(principal, **input)` with those ids as ints, without the
   idempotency key (the unit of work owns it); a service that names an `outbox` parameter gets the
   request's outbox for secrets to deliver after the commit;
3. resolvers/unit_of_work.py runs it in one transaction with its audit record (action: the field
   name; `noted=` adds what the result says, e.g. a renamed partner's name before) and, when the input has an `idempotency_key`, the claim on that key;
4. the payload is built from what the service returned: its result, or a tuple whose items fill
   `returns` and then each `also` field without a `resolve`; a replayed call reads the first call's
   result back through the result type's scoped read; `also` fields with `resolve` are computed from
   the result afterwards (fresh or replayed). Refusals become `userErrors`.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Awaitable, Callable, Sequence
from enum import Enum
from typing import Annotated, Any, Optional, get_args, get_origin

import strawberry
from strawberry import relay
from strawberry.types.base import has_object_definition
from strawberry.types.unset import UNSET
from strawberry.utils.str_converters import to_camel_case

from resolvers.errors import USER_ERROR_DESCRIPTIONS, Refusal
from resolvers.errors import UserErrorCode as ModelUserErrorCode
from resolvers.outbox import Outbox
from resolvers.unit_of_work import Attempt, Outcome, ResultRef, apply, refuse
from resolvers.validation import NOT_GIVEN
from schema.context import GatewayContext, Info
from schema.global_ids import NODE_TYPE, WrongGlobalId, expect
from schema.permissions.directive import PUBLIC, Requirement, permission_field, public_field
from schema.relay import ModelNode

strawberry.enum(ModelUserErrorCode, description="Why a mutation refused a change.")
for _value in ModelUserErrorCode.__strawberry_definition__.values:  # type: ignore[attr-defined]
    _value.description = USER_ERROR_DESCRIPTIONS[ModelUserErrorCode(_value.value)]
UserErrorCode = ModelUserErrorCode


@strawberry.type(description="A business reason a mutation refused the change; nothing was changed.", directives=[PUBLIC])
class UserError:
    field: list[str] | None = strawberry.field(description="Path to the input field at fault, if one is.")
    message: str = strawberry.field(description="What is wrong, for people.")
    code: UserErrorCode = strawberry.field(description="What is wrong, for programs.")


@dataclasses.dataclass(frozen=True)
class PayloadField:
    """A field of a mutation's payload: null when the mutation was refused."""

    name: str  # the Python name; shown in camelCase
    type: Any  # what it shows when the mutation succeeded
    description: str
    # Computed from the mutation's result after the change (also for a replayed call), e.g. the
    # caller's partner with its balance now. Without it, the field is filled from the service's result.
    resolve: Callable[[Info, Any], Awaitable[Any]] | None = None


REFUSED = "Why the change was refused; empty on success."


@dataclasses.dataclass(frozen=True)
class Payload:
    """A mutation's payload: `{ <returns>, <also>..., userErrors }`. Named after the mutation
    (`CouponIssuePayload`) unless `name` shares one type between several mutations."""

    description: str
    returns: PayloadField  # the mutation's result: its audit target and what a replay reads back
    also: Sequence[PayloadField] = ()
    refused: str = REFUSED  # the description of `userErrors`
    name: str | None = None


_PAYLOADS: dict[str, tuple[type, tuple[PayloadField, ...]]] = {}
# Every declaration by its field name (`couponIssue`): for tests and tools that look one up.
DECLARED: dict[str, mutation] = {}


def _payload_type(name: str, description: str, fields: tuple[PayloadField, ...], refused: str) -> type:
    """The payload class `{ <fields>, userErrors }`; a name declared twice is one shared type."""
    if name in _PAYLOADS:
        existing, declared = _PAYLOADS[name]
        if [(f.name, f.type) for f in declared] != [(f.name, f.type) for f in fields]:
            raise TypeError(f"{name} is declared twice with different fields")
        return existing
    namespace: dict[str, Any] = {"__module__": __name__, "__annotations__": {}}
    for payload_field in fields:
        namespace["__annotations__"][payload_field.name] = Optional[payload_field.type]  # noqa: UP045 - built at runtime
        namespace[payload_field.name] = strawberry.field(description=payload_field.description)
    namespace["__annotations__"]["user_errors"] = list[UserError]
    namespace["user_errors"] = strawberry.field(description=refused)
    payload = strawberry.type(type(name, (), namespace), description=description, directives=[PUBLIC])
    _PAYLOADS[name] = (payload, fields)
    return payload


def _node_type(declared: Any) -> type[ModelNode] | None:
    """The node type a result field shows (`Coupon`, `list[Coupon]`), whose scoped read replays it."""
    inner = get_args(declared)[0] if get_origin(declared) is list else declared
    return inner if isinstance(inner, type) and issubclass(inner, ModelNode) else None


def plain(value: Any) -> Any:
    """Input objects as JSON-friendly data, for the audit record (IDs as the caller sent them)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _decode(value: Any, path: list[str], refusals: list[Refusal]) -> Any:
    """A copy of an input object with every global ID decoded to a row id (wrong ones collected)."""
    definition = value.__strawberry_definition__
    decoded: dict[str, Any] = {}
    for field in definition.fields:
        item = getattr(value, field.python_name)
        where = [*path, field.graphql_name or to_camel_case(field.python_name)]
        node_type = (field.metadata or {}).get(NODE_TYPE)
        if item is UNSET:
            decoded[field.python_name] = NOT_GIVEN
        elif node_type is not None and item is not None:
            decoded[field.python_name] = _ids(item, node_type, where, refusals)
        elif isinstance(item, list) and item and has_object_definition(item[0]):
            decoded[field.python_name] = [_decode(v, [*where, str(i)], refusals) for i, v in enumerate(item)]
        elif has_object_definition(item):
            decoded[field.python_name] = _decode(item, where, refusals)
        else:
            decoded[field.python_name] = item
    return dataclasses.replace(value, **decoded)


def _ids(value: relay.GlobalID | list[relay.GlobalID], node_type: str, where: list[str], refusals: list[Refusal]) -> Any:
    if isinstance(value, list):
        return [_ids(item, node_type, [*where, str(i)], refusals) for i, item in enumerate(value)]
    try:
        return expect(value, node_type)
    except WrongGlobalId as wrong:
        refusals.append(Refusal(ModelUserErrorCode.NOT_FOUND, str(wrong), where))
        return None


class mutation:
    """A mutation field declared in one place; see the module docstring."""

    def __init__(
        self, *, input: type, service: Callable[..., Awaitable[Any]], payload: Payload, description: str,
        requires: Requirement | None = None, public: bool = False, argument: str = "",
        target: Callable[[Any, Any], str] | None = None,
        noted: Callable[[Any], dict[str, Any]] | None = None,
        before: Callable[[GatewayContext, Any], Awaitable[None]] | None = None,
    ) -> None:
        if (requires is None) == (not public):
            raise TypeError("a mutation either requires a permission or is explicitly public")
        self.input, self.service, self.payload = input, service, payload
        self.returns, self.also = payload.returns, tuple(payload.also)
        self.description, self.requires, self.argument = description, requires, argument
        self.target, self.before, self.noted = target, before, noted
        self.idempotent = "idempotency_key" in {f.python_name for f in input.__strawberry_definition__.fields}  # type: ignore[attr-defined]
        self.wants_outbox = "outbox" in inspect.signature(service).parameters
        self.node_type = _node_type(self.returns.type)
        self.many = get_origin(self.returns.type) is list

    def __set_name__(self, owner: type, name: str) -> None:
        # The field's name is known only now: the payload is named after it unless shared.
        payload_name = self.payload.name or f"{to_camel_case(name)[:1].upper()}{to_camel_case(name)[1:]}Payload"
        fields = (self.returns, *self.also)
        self.payload_type = _payload_type(payload_name, self.payload.description, fields, self.payload.refused)
        DECLARED[to_camel_case(name)] = self
        setattr(owner, name, self._field())

    def _field(self) -> Any:
        declaration = self

        async def resolve(self: Any, info: Info, input: Any) -> Any:
            return await declaration.run(info, input)

        resolve.__annotations__ = {
            "info": strawberry.Info,
            "input": Annotated[self.input, strawberry.argument(description=self.argument)],
            "return": Optional[self.payload_type] if self.requires is not None else self.payload_type,  # noqa: UP045
        }
        if self.requires is None:
            return public_field(description=self.description, resolver=resolve)
        return permission_field(requires=self.requires, description=self.description, resolver=resolve)

    async def run(self, info: Info, input: Any) -> Any:
        context = info.context
        principal = context.principal
        attempt = Attempt(principal, info.field_name, context.request_id, plain(input),
                          input.idempotency_key if self.idempotent else None)
        if self.before is not None:
            await self.before(context, input)
        refusals: list[Refusal] = []
        decoded = _decode(input, [], refusals)
        if refusals:
            return await self._payload(info, await refuse(attempt, refusals))
        arguments = {f.name: getattr(decoded, f.name) for f in dataclasses.fields(decoded) if f.name != "idempotency_key"}
        arguments = {name: value for name, value in arguments.items() if value is not NOT_GIVEN}
        outbox = None
        if self.wants_outbox:
            outbox = arguments["outbox"] = Outbox(context.delivery)
        outcome = await apply(attempt, lambda: self.service(principal, **arguments), target=lambda result: self._target(input, result),
                              outbox=outbox, noted=self.noted)
        return await self._payload(info, outcome)

    def _target(self, input: Any, result: Any) -> str:
        if self.target is not None:
            return self.target(input, result)
        primary = result[0] if isinstance(result, tuple) else result
        return str(ResultRef.of(primary))

    async def _payload(self, info: Info, outcome: Outcome[Any]) -> Any:
        values: dict[str, Any] = {f.name: None for f in (self.returns, *self.also)}
        if outcome.refusals:
            errors = [UserError(field=r.field, message=r.message, code=r.code) for r in outcome.refusals]
            return self.payload_type(**values, user_errors=errors)
        if outcome.replayed is not None or outcome.value is None:
            values[self.returns.name] = await self._replay(info, outcome.replayed)
        else:
            produced = outcome.value if isinstance(outcome.value, tuple) else (outcome.value,)
            for payload_field, value in zip((f for f in (self.returns, *self.also) if f.resolve is None), produced, strict=False):
                values[payload_field.name] = value
        primary = values[self.returns.name]
        if self.returns.type is relay.GlobalID and primary is not None and not isinstance(primary, relay.GlobalID):
            values[self.returns.name] = relay.GlobalID(type(primary).__name__, str(primary.pk))
        for payload_field in self.also:
            if payload_field.resolve is not None and primary is not None:
                values[payload_field.name] = await payload_field.resolve(info, primary)
        return self.payload_type(**values, user_errors=[])

    async def _replay(self, info: Info, ref: ResultRef | None) -> Any:
        """The result of an earlier call with the same key, as the caller may read it now."""
        if ref is None or self.node_type is None or ref.model != self.node_type.model.__name__:
            return [] if self.many else None
        rows = {row.pk: row for row in await self.node_type.readable(info.context.principal).filter(id__in=list(ref.ids))}
        found = [rows[pk] for pk in ref.ids if pk in rows]
        return found if self.many else next(iter(found), None)
