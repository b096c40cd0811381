"""A real `partner-gateway serve` process on 127.0.0.1, for the tests that need a socket.

Some behaviour lives in the HTTP server or the command line, not in the ASGI app (how uvicorn
delivers a chunked body, what `serve --demo` prints, whether the server keeps serving after a
refused upload), and the fuzzer's mutations must not reach the database other tests share. Each
server gets a free port, its own working directory and database, and a log file the tests read.

Servers log in JSON (GATEWAY_LOG_FORMAT=json) unless a test asks for text, and a server stopped at
the end of a test that passed has its whole log checked: every line a JSON object, every line
written while serving a request with its `request_id` (see `log_problems`).
"""

from __future__ import annotations

import asyncio
import json
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import httpx
import pytest

from gateway.config import Settings
from gateway.tokens import issue_token
from tests.cli import cli_command, cli_env
from tests.migrated import sqlite_copy

HOST = "127.0.0.1"
# Random-looking: production settings refuse example secrets.
SECRET = "Zt4nQ8wLr2Yx6Vb9Kc3Mh7Jd1Fs5Gp0Ua8Ee2Io6Ty"
START_TIMEOUT = 60
STOP_TIMEOUT = 10
SEED_TIMEOUT = 120

# The settings a token depends on; the others (limits, transport) cannot change how one is signed.
_TOKEN_SETTINGS = (
    "env", "database_url", "jwt_secret", "jwt_algorithm", "jwt_issuer", "jwt_audience",
    "jwt_private_key_file", "jwt_public_key_file", "dev_secret_file", "token_ttl_seconds",
)

Demo = Literal["seed", "serve"]

# Between these two of uvicorn's lines the server serves requests; before and after, it starts (the
# command migrates, seeds, prints its posture) and stops, with no request to name.
_SERVING = "Application startup complete."
_STOPPING = ("Shutting down", "Waiting for application shutdown.")
_ERROR_LEVELS = ("ERROR", "CRITICAL")


def _uvicorn_below_error(record: dict) -> bool:
    # Lines about connections, written before any request exists; uvicorn's "Exception in ASGI
    # application" is an ERROR written while the request is served.
    logger = str(record.get("logger"))
    return (logger == "uvicorn" or logger.startswith("uvicorn.")) and record.get("level") not in _ERROR_LEVELS


def log_records(text: str) -> list[dict | str]:
    """Each line of a log: the JSON object it holds, or the line itself when it holds none."""
    records: list[dict | str] = []
    for line in text.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            record = line
        records.append(record if isinstance(record, dict) else line)
    return records


def log_problems(text: str) -> list[str]:
    """How a JSON-format server log breaks its promise (empty when it keeps it): a line that is not a
    JSON object; a line written while serving, other than uvicorn's about connections, without a
    `request_id`; or no access line at all (then nothing written during a request was checked)."""
    problems: list[str] = []
    access_lines = 0
    phase = "starting"
    for number, record in enumerate(log_records(text), 1):
        if isinstance(record, str):
            problems.append(f"line {number} is not a JSON object: {record[:500]!r}")
            continue
        message, logger = record.get("message"), record.get("logger")
        if logger == "uvicorn.error" and message == _SERVING and phase == "starting":
            phase = "serving"
        elif logger == "uvicorn.error" and message in _STOPPING:
            phase = "stopping"
        access_lines += logger == "gateway.access"
        if phase == "serving" and not record.get("request_id") and not _uvicorn_below_error(record):
            problems.append(f"line {number} has no request_id: {json.dumps(record)[:500]}")
    if not access_lines:
        problems.append("no access line (gateway.access) in the log")
    return problems


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    workdir: Path
    port: int
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes]
    _read_up_to: int = field(default=0, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.base_url}/graphql"

    @property
    def settings(self) -> Settings:
        """The server's own signing settings, whatever GATEWAY_* the test process has."""
        given = {
            name.removeprefix("GATEWAY_").lower(): value for name, value in self.env.items() if name.startswith("GATEWAY_")
        }
        return Settings(**{
            name: given.get(name, Settings.model_fields[name].get_default(call_default_factory=True))
            for name in _TOKEN_SETTINGS
        })

    def token(self, account_name: str = "distributor.admin") -> str:
        """A bearer token the server accepts for the account."""
        return issue_token(self.settings, account_name)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def messages(self) -> str:
        """What the server said, without the JSON around it: each record's message, and its traceback
        if it has one, one after another (a line that is no JSON object stays as it is)."""
        said: list[str] = []
        for record in log_records(self.output()):
            if isinstance(record, str):
                said.append(record)
                continue
            said.append(str(record.get("message", "")))
            if record.get("exc_info"):
                said.append(str(record["exc_info"]))
        return "\n".join(said)

    def new_output(self) -> str:
        """What the server wrote since the last call."""
        with self.log.open("rb") as source:
            source.seek(self._read_up_to)
            chunk = source.read()
        self._read_up_to += len(chunk)
        return chunk.decode(errors="replace")

    def stop(self) -> int:
        """Ctrl-C, as a user would; a kill only if the server has not stopped 10 s later."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT)
        return self.process.returncode


def _wait_until_healthy(server: LiveServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if server.process.poll() is not None:
            pytest.fail(f"serve exited with {server.process.returncode}:\n{server.output()}", pytrace=False)
        try:
            if httpx.get(f"{server.base_url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"serve did not answer /healthz within {START_TIMEOUT} s:\n{server.output()}", pytrace=False)
        time.sleep(0.2)


@contextmanager
def live_server(
    workdir: Path, *, demo: Demo | None = "seed", database_url: str | None = None, jwt_secret: str | None = SECRET,
    workers: int = 1, other_env: dict[str, str] | None = None, **settings: str,
) -> Iterator[LiveServer]:
    """Serve from `workdir` with `GATEWAY_<NAME>=value` for each keyword given; stopped on exit.

    demo: "seed" runs `seed --demo` first (the way to get demo data under GATEWAY_ENV=production,
    which refuses `serve --demo`); "serve" runs `serve --demo` (seeds an empty database and
    prints a token per demo account); None serves the database as it is.
    database_url: a SQLite file in `workdir` unless given.
    jwt_secret: None leaves it unset, so server and CLI agree through the development secret file.
    workers: uvicorn worker processes (each with its own database connections and operation slots).
    other_env: the server's other environment variables, beyond GATEWAY_* (e.g. TMPDIR).
    log_format="text": the readable format instead of JSON (and no check of the log at the end).
    """
    env = {**cli_env(database_url or f"sqlite://{workdir / 'gw.db'}"), **(other_env or {})}
    if jwt_secret is not None:
        env["GATEWAY_JWT_SECRET"] = jwt_secret
    env["GATEWAY_LOG_FORMAT"] = "json"
    env.update({f"GATEWAY_{name.upper()}": value for name, value in settings.items()})
    # The tests read the log while the server runs.
    env["PYTHONUNBUFFERED"] = "1"
    if demo == "seed" and database_url is None and not (workdir / "gw.db").exists():
        sqlite_copy(workdir / "gw.db")  # migrated once per session: the seed needs no replay of every migration
    if demo == "seed":
        seeded = subprocess.run([*cli_command(), "seed", "--demo"], cwd=workdir, env=env,
                                capture_output=True, text=True, timeout=SEED_TIMEOUT)
        assert seeded.returncode == 0, seeded.stdout + seeded.stderr
    port = free_port()
    log = workdir / "serve.log"
    command = [*cli_command(), "serve", *(["--demo"] if demo == "serve" else []), "--host", HOST, "--port", str(port),
               "--workers", str(workers)]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=workdir, env=env, stdout=sink, stderr=subprocess.STDOUT)
    server = LiveServer(workdir, port, env, log, process)
    try:
        _wait_until_healthy(server)
        yield server
    finally:
        server.stop()
    # Only after a test that passed: a failing one is better reported by its own assertion.
    if env["GATEWAY_LOG_FORMAT"] == "json" and (problems := log_problems(server.output())):
        pytest.fail(f"the server's JSON log breaks its promise ({len(problems)} problem(s)):\n" + "\n".join(problems[:20]),
                    pytrace=False)


REQUEST_CODE = """mutation($purpose: VerificationPurpose!) { verificationCodeRequest(input: {purpose: $purpose}) {
  userErrors { code } } }"""


class LiveCaller:
    """One demo account calling a live server over a shared httpx client: `send` a GraphQL operation
    (HTTP 200 and no top-level errors, or the test fails), or get a fresh verification `code`, taken
    from the server log where development delivery writes it."""

    def __init__(self, server: LiveServer, http: httpx.AsyncClient, account: str) -> None:
        self.server, self.http, self.account = server, http, account
        self.headers = {"Authorization": f"Bearer {server.token(account)}"}

    async def send(self, query: str, variables: dict | None = None) -> dict:
        response = await self.http.post(self.server.url, json={"query": query, "variables": variables or {}},
                                        headers=self.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert not body.get("errors"), body["errors"]
        return body["data"]

    async def code(self, purpose: str) -> str:
        self.server.new_output()
        assert (await self.send(REQUEST_CODE, {"purpose": purpose}))["verificationCodeRequest"]["userErrors"] == []
        pattern = re.compile(rf"verification code for {re.escape(self.account)} \({purpose}\): (\d{{6}})")
        seen, deadline = "", time.monotonic() + 10
        while time.monotonic() < deadline:
            seen += self.server.new_output()
            if match := pattern.search(seen):
                return match.group(1)
            await asyncio.sleep(0.05)
        raise AssertionError(f"no {purpose} code for {self.account} in the server log:\n{seen}")
