"""A first run explains itself: the README's first command (`serve --demo`) and the other commands,
run as a new user runs them, end in one readable line, never a traceback, when something is off.
"""

from __future__ import annotations

import os
import socket
import subprocess
import uuid
from pathlib import Path

from tests.cli import cli_command, cli_env
from tests.conftest import ENV, database_url
from tests.gateway.test_cli import CLI_TIMEOUT, Run, assert_no_traceback
from tests.live_server import HOST, free_port, live_server

DEMO_ACCOUNT_COUNT = 14


def run(workdir: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    result = subprocess.run([*cli_command(), *args], cwd=workdir, env=env or cli_env(f"sqlite://{workdir / 'gw.db'}"),
                            capture_output=True, text=True, timeout=CLI_TIMEOUT)
    return Run(result.returncode, result.stdout, result.stderr)


def assert_refused_in_one_line(outcome: Run, *phrases: str) -> str:
    assert outcome.returncode == 2, outcome.output
    assert_no_traceback(outcome)
    lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, outcome.stderr
    for phrase in phrases:
        assert phrase in lines[0], lines[0]
    return lines[0]


def test_serve_demo_on_a_busy_port_refuses_before_any_work(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        outcome = run(tmp_path, "serve", "--demo", "--host", HOST, "--port", str(port))
    assert_refused_in_one_line(outcome, f"Port {port} on {HOST} is already in use", "--port")
    assert outcome.stdout == ""  # no tokens, no posture
    assert not (tmp_path / "gw.db").exists()  # checked before migrating anything


def test_serve_demo_on_a_missing_postgres_database_names_it_and_how_to_create_it(tmp_path: Path) -> None:
    database_url("postgres")  # skipped (or failed under GATEWAY_REQUIRE_POSTGRES=1) without PostgreSQL
    name = f"gw_missing_{uuid.uuid4().hex[:8]}"
    url = f"{ENV.test_postgres_url.rsplit('/', 1)[0]}/{name}"
    outcome = run(tmp_path, "serve", "--demo", "--host", HOST, "--port", str(free_port()), env=cli_env(url))
    assert_refused_in_one_line(outcome, f'"{name}" does not exist', f"createdb -h 127.0.0.1 -p 5432 -U postgres {name}")


def test_serve_demo_on_an_unreachable_postgres_says_so(tmp_path: Path) -> None:
    unreachable = f"postgres://postgres@127.0.0.1:{free_port()}/gw"
    outcome = run(tmp_path, "migrate", env=cli_env(unreachable))
    assert_refused_in_one_line(outcome, "Cannot reach PostgreSQL at 127.0.0.1", "Connection refused")


def test_serve_demo_on_a_database_with_other_data_says_so_and_prints_only_real_accounts(tmp_path: Path) -> None:
    seeded = run(tmp_path, "seed", "--size", "2")
    assert seeded.returncode == 0, seeded.output
    with live_server(tmp_path, demo="serve", jwt_secret=None) as server:
        output = server.messages()
    assert_no_traceback(Run(0, output, ""))
    assert "The database already holds other data (2 partners), so the demo data was not seeded" in output
    printed = [line.removesuffix(":") for line in output.splitlines() if line.endswith(":") and "." in line]
    # The synthetic set has the staff accounts, none of the partners' demo accounts.
    assert printed == ["staff.pdm", "staff.ecosystem", "staff.operations", "staff.finance"], printed


def test_serve_demo_twice_seeds_once_and_says_so(tmp_path: Path) -> None:
    with live_server(tmp_path, demo="serve", jwt_secret=None) as server:
        assert "Seeded the demo data." in server.messages()
    with live_server(tmp_path, demo="serve", jwt_secret=None) as server:
        output = server.messages()
    assert "The demo data is already there; not seeding it again." in output
    assert output.count("curl -s") == DEMO_ACCOUNT_COUNT


def test_token_in_a_directory_without_a_database_creates_none(tmp_path: Path) -> None:
    env = {k: v for k, v in cli_env("").items() if k != "GATEWAY_DATABASE_URL"}
    for command in (("token", "distributor.admin"), ("expire",)):
        outcome = run(tmp_path, *command, env=env)
        assert_refused_in_one_line(outcome, f"No database at {tmp_path.resolve() / 'partner-gateway.db'}",
                                   "creates none")
        assert outcome.stdout == ""
    assert os.listdir(tmp_path) == []  # neither a database nor a development secret


def test_seed_shows_its_progress(tmp_path: Path) -> None:
    outcome = run(tmp_path, "seed", "--size", "3")
    assert outcome.returncode == 0, outcome.output
    assert_no_traceback(outcome)
    assert outcome.stdout.startswith("Seeded: ")
    assert "Creating a new SQLite database at" in outcome.stderr and "100%" in outcome.stderr, outcome.stderr
