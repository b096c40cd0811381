"""Node.js for the tests that run npm packages against a live gateway (the graphql-http audit, Apollo Client).

Each keeps its packages pinned in a package-lock.json beside its script and installs them with
`npm ci` when node_modules lacks them. Without node/npm such a test is skipped, except under
CI=true, where a missing tool is a failure: CI must run them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

INSTALL_TIMEOUT = 300


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        message = f"`{name}` is not installed; this test needs Node.js and npm"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI=true: it must run in CI)", pytrace=False)
        pytest.skip(message)
    return path


def npm_ci(folder: Path, *packages: str) -> None:
    """The folder's locked packages, installed unless every one of `packages` already is."""
    if all((folder / "node_modules" / package / "package.json").exists() for package in packages):
        return
    installed = subprocess.run([tool("npm"), "ci", "--no-audit", "--no-fund"], cwd=folder,
                               capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
    assert installed.returncode == 0, f"npm ci failed in {folder}:\n{installed.stdout}\n{installed.stderr}"
