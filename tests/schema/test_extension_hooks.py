"""The gateway enters extension hooks as strawberry's own runner does (schema/extension_hooks.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest
import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from schema.build import schema as gateway_schema
from schema.extension_hooks import ExtensionHooks, HookKind, hook_of


def _toy(log: list[str], fast: bool, *, fail: bool) -> strawberry.Schema:
    @strawberry.type
    class Query:
        @strawberry.field
        def hello(self) -> str:
            log.append("resolve")
            if fail:
                raise ValueError("resolver failed")
            return "world"

    class Generator(SchemaExtension):
        def on_operation(self) -> Iterator[None]:
            log.append("gen operation in")
            try:
                yield
            finally:
                log.append("gen operation out")

        def on_execute(self) -> Iterator[None]:
            log.append("gen execute in")
            yield
            log.append("gen execute out")

    class AsyncGenerator(SchemaExtension):
        async def on_parse(self) -> AsyncIterator[None]:
            log.append("agen parse in")
            yield
            log.append("agen parse out")

        async def on_execute(self) -> AsyncIterator[None]:
            log.append("agen execute in")
            yield
            log.append(f"agen execute out {self.execution_context.result is not None}")

    class Coroutine(SchemaExtension):
        async def on_validate(self) -> None:  # type: ignore[override]
            await asyncio.sleep(0)
            log.append("coroutine validate")

    class Plain(SchemaExtension):
        def on_execute(self) -> None:  # type: ignore[override]
            log.append("plain execute")

    class Toy(strawberry.Schema):
        def create_extensions_runner(self, execution_context: ExecutionContext, extensions: list[SchemaExtension]):
            if fast:
                return ExtensionHooks(execution_context=execution_context, extensions=extensions)
            return super().create_extensions_runner(execution_context, extensions)

    return Toy(query=Query, extensions=[Generator, AsyncGenerator, Coroutine, Plain])


@pytest.mark.parametrize("fail", [False, True])
async def test_same_hooks_in_the_same_order_as_strawberry(fail: bool) -> None:
    logs, answers = {}, {}
    for fast in (False, True):
        log: list[str] = []
        result = await _toy(log, fast, fail=fail).execute("{ hello }")
        logs[fast] = log
        answers[fast] = (result.data, [e.message for e in result.errors or []])
    assert logs[True] == logs[False]
    assert answers[True] == answers[False]
    # The order itself: entered as listed, left in reverse, each stage around its work.
    assert logs[True][:4] == ["gen operation in", "agen parse in", "agen parse out", "coroutine validate"]
    assert logs[True][-1] == "gen operation out"


async def test_an_error_inside_a_stage_reaches_generator_hooks_as_strawberry_lets_it() -> None:
    seen: dict[bool, list[str]] = {}
    for fast in (False, True):
        log: list[str] = []

        class Guard(SchemaExtension):
            def on_operation(self, log: list[str] = log) -> Iterator[None]:
                try:
                    yield
                except RuntimeError as error:
                    log.append(f"caught {error}")
                    raise

        class Breaks(SchemaExtension):
            async def on_validate(self) -> AsyncIterator[None]:
                yield
                raise RuntimeError("late")

        @strawberry.type
        class Query:
            hello: str = "world"

        class Toy(strawberry.Schema):
            def create_extensions_runner(self, execution_context, extensions, fast=fast):
                if fast:
                    return ExtensionHooks(execution_context=execution_context, extensions=extensions)
                return super().create_extensions_runner(execution_context, extensions)

        result = await Toy(query=Query, extensions=[Guard, Breaks]).execute("{ hello }")
        seen[fast] = [*log, *(e.message for e in result.errors or [])]
    assert seen[True] == seen[False]
    assert seen[True][0] == "caught late"


def test_the_gateway_schema_uses_them_and_knows_each_extension_kind() -> None:
    from strawberry.types.execution import ExecutionContext as Context

    runner = gateway_schema.create_extensions_runner(
        Context(query="{ __typename }", schema=gateway_schema, allowed_operations=frozenset()),
        gateway_schema.get_extensions())
    assert isinstance(runner, ExtensionHooks)
    kinds = {hook_of(type(extension), stage)[1]  # type: ignore[index]
             for extension in runner.extensions
             for stage in ("on_operation", "on_parse", "on_validate", "on_execute")
             if hook_of(type(extension), stage) is not None}
    assert HookKind.GENERATOR in kinds and HookKind.ASYNC_GENERATOR in kinds
