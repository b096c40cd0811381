"""Charge each operation's cost to the caller's and the client IP's buckets before it executes.

Order in the schema's extension list: after the operation-limits extension (it sets
`context.operation_cost`, after validation) and before execution. strawberry enters `on_execute`
hooks in list order once validation has passed; a refusal sets the execution result, so
graphql-core executes nothing (a mutation has no effect). An extension entered later may still
swap in its own pre-execution answer (authorization's refusals or filtered introspection), so
`on_operation`, which every other hook finishes inside, makes the refusal the final answer.

An operation that never reaches execution still costs 1 point, since answering it took work too:
one that fails validation, and one refused by an extension raising its error (a syntax error, an
operation limit), whose error becomes RATE_LIMITED when the bucket cannot pay even that.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, TypeGuard

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult

from gateway.context import HttpContext
from gateway.rate_limits import answers
from gateway.rate_limits.buckets import Verdict
from gateway.rate_limits.limiter import client_ip


class RateLimits(SchemaExtension):
    verdict: Verdict | None = None

    async def _charge(self, context: HttpContext, cost: int) -> Verdict:
        assert context.rate_limiter is not None
        self.verdict = await context.rate_limiter.charge_operation(context.principal, client_ip(context.request), cost)
        return self.verdict

    @staticmethod
    def _limited(context: Any) -> TypeGuard[HttpContext]:
        return isinstance(context, HttpContext) and context.rate_limiter is not None

    async def on_execute(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        context = ctx.context
        if self._limited(context):
            verdict = await self._charge(context, context.operation_cost)
            if not verdict.allowed:
                # strawberry's result type, not graphql-core's: strawberry logs graphql-core results' errors
                # as server errors, and a refusal is routine (the access log has it).
                ctx.result = ExecutionResult(data=None, errors=[answers.refusal_error(verdict)])
        yield

    async def on_operation(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        try:
            yield
        except GraphQLError:
            # Refused before execution by an extension that raised; strawberry answers the error
            # that propagates out of here, so an unpayable refusal is swapped for RATE_LIMITED.
            context = ctx.context
            if not self._limited(context):
                raise
            verdict = self.verdict or await self._charge(context, 1)
            self._describe(context, verdict)
            if verdict.allowed:
                raise
            raise answers.refusal_error(verdict) from None
        context = ctx.context
        if not self._limited(context):
            return
        verdict = self.verdict or await self._charge(context, 1)
        if not verdict.allowed and ctx.result is not None:
            # In place: strawberry answers with this very object.
            ctx.result.data = None
            ctx.result.errors = [answers.refusal_error(verdict)]
        self._describe(context, verdict)

    @staticmethod
    def _describe(context: HttpContext, verdict: Verdict) -> None:
        """Status and headers on the HTTP sub-response strawberry copies onto the answer."""
        response = context.response
        if response is not None:
            response.headers.update(answers.headers(verdict))
            if not verdict.allowed:
                response.status_code = answers.TOO_MANY_REQUESTS
