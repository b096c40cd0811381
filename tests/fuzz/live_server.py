"""A gateway of its own for the fuzzer: generated mutations change data, so they must not
reach the demo database the read-only tests share.

`partner-gateway serve --demo` on a free 127.0.0.1 port, with its own SQLite file and JWT
secret, its output in a log file the tests read.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from gateway.config import Settings
from gateway.tokens import issue_token
from tests.cli import cli_command, cli_env

HOST = "127.0.0.1"
START_TIMEOUT = 60
STOP_TIMEOUT = 10
JWT_SECRET = "fuzz-secret-that-is-long-enough-for-hs256-0123456789"
ISSUER = AUDIENCE = "partner-gateway-fuzz"


class ServerDidNotStart(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class FuzzServer:
    workdir: Path
    port: int
    log: Path
    process: subprocess.Popen[bytes]
    _read_up_to: int = field(default=0)

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def token(self, account_name: str) -> str:
        settings = Settings(jwt_secret=JWT_SECRET, jwt_issuer=ISSUER, jwt_audience=AUDIENCE, dev_secret_file=None)
        return issue_token(settings, account_name)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def new_output(self) -> str:
        """What the server wrote since the last call."""
        with self.log.open("rb") as source:
            source.seek(self._read_up_to)
            chunk = source.read()
        self._read_up_to += len(chunk)
        return chunk.decode(errors="replace")

    def stop(self) -> int:
        # Ctrl-C, as a user would; a kill only if the server has not stopped by then.
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT)
        return self.process.returncode


def start_fuzz_server(workdir: Path) -> FuzzServer:
    env = cli_env(f"sqlite://{workdir / 'fuzz.db'}")
    env.update({
        "GATEWAY_JWT_SECRET": JWT_SECRET,
        "GATEWAY_JWT_ISSUER": ISSUER,
        "GATEWAY_JWT_AUDIENCE": AUDIENCE,
        # A few hundred requests in a burst are the point here, not a caller to slow down.
        "GATEWAY_RATE_LIMIT_ENABLED": "false",
        "GATEWAY_LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    })
    port = _free_port()
    log = workdir / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [*cli_command(), "serve", "--demo", "--host", HOST, "--port", str(port)],
            cwd=workdir, env=env, stdout=sink, stderr=subprocess.STDOUT,
        )
    server = FuzzServer(workdir, port, log, process)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if process.poll() is not None:
            raise ServerDidNotStart(f"serve exited with {process.returncode}:\n{server.output()}")
        try:
            if httpx.get(f"{server.base_url}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise ServerDidNotStart(f"serve did not answer /healthz within {START_TIMEOUT} s:\n{server.output()}")
        time.sleep(0.2)
