"""The `partner-gateway` command line, run as a user runs it: in a subprocess, on a fresh SQLite file.

Each start-up costs about a second, so the demo database is seeded once per module and
shared by the read-only checks; every subprocess is bounded in time.
"""

from __future__ import annotations

import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

import jwt
import pytest

from gateway.config import Settings
from gateway.tokens import DEV_SECRET_FILENAME, TokenError, verify_token
from tests.cli import cli_command, cli_env

ROOT = Path(__file__).resolve().parents[2]
CLI_TIMEOUT = 120


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@dataclass
class Workspace:
    path: Path

    @property
    def database_url(self) -> str:
        return f"sqlite://{self.path / 'gw.db'}"

    @property
    def settings(self) -> Settings:
        return Settings(database_url=self.database_url, jwt_secret=None, dev_secret_file=None)

    def run(self, *args: str) -> Run:
        result = subprocess.run(
            [*cli_command(), *args], cwd=self.path, env=cli_env(self.database_url),
            capture_output=True, text=True, timeout=CLI_TIMEOUT,
        )
        return Run(result.returncode, result.stdout, result.stderr)


def assert_no_traceback(run: Run) -> None:
    assert "Traceback" not in run.output, run.output
    assert "File \"" not in run.output, run.output


@pytest.fixture(scope="module")
def demo_workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    workspace = Workspace(tmp_path_factory.mktemp("cli-demo"))
    seeded = workspace.run("seed", "--demo")
    assert seeded.returncode == 0, seeded.output
    assert seeded.stdout.startswith("Seeded: "), seeded.stdout
    assert "Partner " in seeded.stdout and "Account " in seeded.stdout
    return workspace


def test_migrate_is_idempotent(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path)
    for _ in range(2):
        run = workspace.run("migrate")
        assert run.returncode == 0, run.output
        assert "Database is up to date." in run.stdout
        assert_no_traceback(run)
    assert (tmp_path / "gw.db").exists()


def test_token_is_signed_with_the_dev_secret_beside_the_database(demo_workspace: Workspace) -> None:
    run = demo_workspace.run("token", "distributor.admin")
    assert run.returncode == 0, run.output
    token = run.stdout.strip()
    assert token.count(".") == 2 and "\n" not in token, run.stdout

    secret_file = demo_workspace.path / DEV_SECRET_FILENAME
    assert secret_file.exists()
    assert len(secret_file.read_text().strip()) >= 32
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert verify_token(demo_workspace.settings, token) == "distributor.admin"

    # The dev secret really is what signed it: another secret refuses the token.
    other = Settings(database_url=demo_workspace.database_url, jwt_secret="x" * 48)
    with pytest.raises(TokenError):
        verify_token(other, token)


def test_token_ttl_option(demo_workspace: Workspace) -> None:
    run = demo_workspace.run("token", "staff.finance", "--ttl", "120")
    assert run.returncode == 0, run.output
    token = run.stdout.strip()
    assert verify_token(demo_workspace.settings, token) == "staff.finance"
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 120


def test_token_for_an_unknown_account_fails(demo_workspace: Workspace) -> None:
    run = demo_workspace.run("token", "no.such.account")
    assert run.returncode != 0
    assert run.stdout.strip() == "", "no token may be printed for an unknown account"
    assert "no.such.account" in run.stderr
    assert_no_traceback(run)


def test_seeding_a_seeded_database_fails_cleanly(demo_workspace: Workspace) -> None:
    run = demo_workspace.run("seed", "--demo")
    assert run.returncode != 0
    assert "already has partners" in run.output, run.output
    assert_no_traceback(run)


def test_seed_needs_exactly_one_mode(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path)
    for args in (("seed",), ("seed", "--demo", "--size", "3")):
        run = workspace.run(*args)
        assert run.returncode != 0, args
        assert "exactly one of --demo or --size" in run.output, run.output
        assert_no_traceback(run)


def test_schema_prints_the_committed_sdl(tmp_path: Path) -> None:
    run = Workspace(tmp_path).run("schema")
    assert run.returncode == 0, run.output
    committed = (ROOT / "schema.graphql").read_text()
    assert run.stdout == committed, "`partner-gateway schema` differs from the committed schema.graphql"


def test_seed_size_on_a_fresh_database(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path)
    run = workspace.run("seed", "--size", "3")
    assert run.returncode == 0, run.output
    assert run.stdout.startswith("Seeded: "), run.stdout
    assert_no_traceback(run)
