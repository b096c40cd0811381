"""A real `partner-gateway serve` process on 127.0.0.1 with the demo data, for transport tests.

Transport behaviour depends on the HTTP server too (how uvicorn delivers a chunked body, whether
it keeps serving after a refused upload), so these tests go through a socket, not ASGI calls.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from gateway.config import Settings
from gateway.tokens import issue_token
from tests.cli import cli_command, cli_env

HOST = "127.0.0.1"
# Random-looking: production settings refuse example secrets.
SECRET = "Zt4nQ8wLr2Yx6Vb9Kc3Mh7Jd1Fs5Gp0Ua8Ee2Io6Ty"
START_TIMEOUT = 60
STOP_TIMEOUT = 10


@dataclass
class LiveServer:
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/graphql"

    def token(self, account_name: str = "distributor.admin") -> str:
        return issue_token(Settings(jwt_secret=SECRET), account_name)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)


@contextmanager
def live_server(workdir: Path, **settings: str) -> Iterator[LiveServer]:
    """Seed the demo data, then serve it with `GATEWAY_<NAME>=value` for each keyword given."""
    env = cli_env(f"sqlite://{workdir / 'gw.db'}")
    env["GATEWAY_JWT_SECRET"] = SECRET
    seeded = subprocess.run([*cli_command(), "seed", "--demo"], cwd=workdir, env=env, capture_output=True, text=True, timeout=120)
    assert seeded.returncode == 0, seeded.stdout + seeded.stderr
    env.update({f"GATEWAY_{name.upper()}": value for name, value in settings.items()})
    port = _free_port()
    live = LiveServer(port, workdir / "serve.log")
    with live.log.open("wb") as sink:
        process = subprocess.Popen([*cli_command(), "serve", "--host", HOST, "--port", str(port)],
                                   cwd=workdir, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"serve exited with {process.returncode}:\n{live.output()}", pytrace=False)
            try:
                if httpx.get(f"http://{HOST}:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"serve did not answer /healthz within {START_TIMEOUT} s:\n{live.output()}", pytrace=False)
            time.sleep(0.2)
        yield live
    finally:
        _stop(process)
