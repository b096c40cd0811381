"""Imports point down: gateway → schema → resolvers → models (docs/architecture.md §1).

Read from the source itself, every import statement of every module, so an upward import is caught
the day it is written, wherever it hides (inside a function too).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["gateway", "schema", "resolvers", "models"]
# What each layer must not import (besides the layers above it): resolvers are plain Python.
FORBIDDEN_LIBRARIES = {"resolvers": {"strawberry", "graphql", "starlette"}, "models": {"strawberry", "graphql", "starlette"}}


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("layer", LAYERS[1:])
def test_a_layer_imports_nothing_above_it(layer: str) -> None:
    above = set(LAYERS[: LAYERS.index(layer)]) | FORBIDDEN_LIBRARIES.get(layer, set())
    offending = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in sorted((ROOT / layer).rglob("*.py"))
        for module in imported_modules(path)
        if module.split(".")[0] in above
    }
    assert not offending, sorted(offending)


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "upward.py"
    module.write_text("def f():\n    from gateway.config import Settings\n    return Settings\n")
    assert "gateway.config" in imported_modules(module)
