"""The schema extensions' hooks, entered the way strawberry enters them, without its per-request cost.

Strawberry's `SchemaExtensionsRunner` builds each lifecycle stage (operation, parse, validate,
execute) anew on every request: for every extension it inspects the hook's kind and wraps it with
`contextlib.contextmanager`, whose `functools.wraps` copies the function's metadata each time. With
the gateway's seven extensions that is 28 inspections and wrappers per request, about a tenth of
the smallest query's CPU time (measured with `python -m bench.profile`). Here a hook's kind is
looked up once per extension class, and each request only makes the generator context managers
that `contextlib` would make, entered in the same order on the same exit stack: the same
semantics (exceptions thrown into generator hooks, suppression, reverse exit order), less work.

This leans on strawberry's runner API (`create_extensions_runner` and the runner's four stage
methods, pinned in pyproject.toml); tests/schema/test_extension_hooks.py checks it still holds.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import AsyncIterator, Callable, Iterator
from enum import Enum
from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.extensions.runner import SchemaExtensionsRunner


class HookKind(Enum):
    GENERATOR = "generator"
    ASYNC_GENERATOR = "async generator"
    COROUTINE = "coroutine"
    CALLABLE = "callable"


_kinds: dict[tuple[type, str], tuple[Callable[..., Any], HookKind] | None] = {}


def hook_of(extension_class: type[SchemaExtension], stage: str) -> tuple[Callable[..., Any], HookKind] | None:
    """The class's hook for a stage and how to enter it; None when it keeps the default (no hook)."""
    key = (extension_class, stage)
    if key in _kinds:
        return _kinds[key]
    function = getattr(extension_class, stage)
    found: tuple[Callable[..., Any], HookKind] | None
    if function is getattr(SchemaExtension, stage):
        found = None
    elif inspect.isgeneratorfunction(function):
        found = (function, HookKind.GENERATOR)
    elif inspect.isasyncgenfunction(function):
        found = (function, HookKind.ASYNC_GENERATOR)
    elif inspect.iscoroutinefunction(function):
        found = (function, HookKind.COROUTINE)
    elif callable(function):
        found = (function, HookKind.CALLABLE)
    else:
        raise ValueError(f"Hook {stage} on {extension_class} must be callable, received {function!r}")
    _kinds[key] = found
    return found


@contextlib.asynccontextmanager
async def _awaited_first(function: Callable[..., Any], extension: SchemaExtension) -> AsyncIterator[None]:
    await function(extension)
    yield


@contextlib.contextmanager
def _called_first(function: Callable[..., Any], extension: SchemaExtension) -> Iterator[None]:
    function(extension)
    yield


class Stage:
    """One lifecycle stage of one request: every extension's hook for it, entered in order."""

    __slots__ = ("extensions", "name", "stack", "sync_stack")
    stack: contextlib.AsyncExitStack
    sync_stack: contextlib.ExitStack

    def __init__(self, extensions: list[SchemaExtension], name: str) -> None:
        self.extensions = extensions
        self.name = name

    async def __aenter__(self) -> None:
        self.stack = stack = contextlib.AsyncExitStack()
        await stack.__aenter__()
        for extension in self.extensions:
            found = hook_of(type(extension), self.name)
            if found is None:
                continue
            function, kind = found
            # contextlib's own managers, made directly: what its decorators make, minus `wraps`.
            if kind is HookKind.GENERATOR:
                stack.enter_context(contextlib._GeneratorContextManager(function, (extension,), {}))
            elif kind is HookKind.ASYNC_GENERATOR:
                await stack.enter_async_context(contextlib._AsyncGeneratorContextManager(function, (extension,), {}))
            elif kind is HookKind.COROUTINE:
                await stack.enter_async_context(_awaited_first(function, extension))
            else:
                stack.enter_context(_called_first(function, extension))

    async def __aexit__(self, *exc_info: Any) -> bool | None:
        return await self.stack.__aexit__(*exc_info)

    def __enter__(self) -> None:
        # `execute_sync`: as strawberry, an asynchronous hook cannot run here.
        self.sync_stack = stack = contextlib.ExitStack()
        stack.__enter__()
        for extension in self.extensions:
            found = hook_of(type(extension), self.name)
            if found is None:
                continue
            function, kind = found
            if kind in (HookKind.ASYNC_GENERATOR, HookKind.COROUTINE):
                raise RuntimeError(f"SchemaExtension hook {extension}.{self.name} failed to complete synchronously.")
            if kind is HookKind.GENERATOR:
                stack.enter_context(contextlib._GeneratorContextManager(function, (extension,), {}))
            else:
                stack.enter_context(_called_first(function, extension))

    def __exit__(self, *exc_info: Any) -> bool | None:
        return self.sync_stack.__exit__(*exc_info)


class ExtensionHooks(SchemaExtensionsRunner):
    def operation(self) -> Stage:  # type: ignore[override]
        return Stage(self.extensions, "on_operation")

    def validation(self) -> Stage:  # type: ignore[override]
        return Stage(self.extensions, "on_validate")

    def parsing(self) -> Stage:  # type: ignore[override]
        return Stage(self.extensions, "on_parse")

    def executing(self) -> Stage:  # type: ignore[override]
        return Stage(self.extensions, "on_execute")
