"""Run the `partner-gateway` command line of this checkout in a subprocess."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cli_command() -> list[str]:
    # The interpreter running the tests, importing this checkout (see cli_env), whatever an
    # editable install elsewhere points the installed console script at.
    return [sys.executable, "-c", "from gateway.cli import main; main()"]


def cli_env(database_url: str) -> dict[str, str]:
    # No GATEWAY_* from the caller's shell (in particular no GATEWAY_JWT_SECRET): the CLI must
    # fall back to the development secret file beside the database.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}
    env["GATEWAY_DATABASE_URL"] = database_url
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env
