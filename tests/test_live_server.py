"""The live-server helper's own parts: a log reader that skipped or repeated output, or tokens
signed with the test process's settings instead of the server's, would make the tests that
use it pass or fail for the wrong reason."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gateway.tokens import verify_token
from tests.cli import cli_env
from tests.live_server import SECRET, LiveServer, live_server, log_problems


def finished_server(workdir: Path, **env: str) -> LiveServer:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return LiveServer(workdir, 0, {**cli_env(f"sqlite://{workdir / 'gw.db'}"), **env}, workdir / "serve.log", process)


def test_new_output_is_what_was_written_since_the_last_read(tmp_path: Path) -> None:
    server = finished_server(tmp_path)
    server.log.write_bytes(b"first\n")
    assert server.new_output() == "first\n"
    assert server.new_output() == ""
    with server.log.open("ab") as sink:
        sink.write("second ✓\n".encode())
    assert server.new_output() == "second ✓\n"
    assert server.output() == "first\nsecond ✓\n"


def test_tokens_follow_the_server_settings_not_the_test_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_JWT_ISSUER", "the-shell-of-the-test-process")
    monkeypatch.setenv("GATEWAY_JWT_SECRET", "a-secret-of-the-test-process-not-the-server")
    server = finished_server(tmp_path, GATEWAY_JWT_SECRET=SECRET, GATEWAY_JWT_AUDIENCE="server-audience")
    settings = server.settings
    assert settings.jwt_secret is not None and settings.jwt_secret.get_secret_value() == SECRET
    assert (settings.jwt_issuer, settings.jwt_audience) == ("partner-gateway", "server-audience")
    assert verify_token(settings, server.token("person.alice")) == "person.alice"


def test_a_server_that_does_not_start_fails_with_its_output(tmp_path: Path) -> None:
    # `serve --demo` refuses production settings and exits at once.
    with pytest.raises(pytest.fail.Exception) as failed, live_server(tmp_path, demo="serve", env="production"):
        pytest.fail("the server should not have started")
    assert "serve exited with 2" in str(failed.value)
    assert "well-known accounts" in str(failed.value)


def line(logger: str, message: str, **fields: object) -> str:
    return json.dumps({"time": "2026-01-01T00:00:00+00:00", "level": fields.pop("level", "INFO"), "logger": logger,
                       "message": message, **fields}) + "\n"


STARTING = line("gateway.cli", "Security posture:") + line("tortoise", "Tortoise-ORM startup") \
    + line("uvicorn.error", "Application startup complete.")
STOPPING = line("uvicorn.error", "Shutting down") + line("tortoise", "Tortoise-ORM shutdown")
ACCESS = line("gateway.access", "GET /healthz 200 1.0 ms sql=0", request_id="r1")


def test_a_json_log_that_keeps_its_promise_has_no_problem() -> None:
    served = line("gateway.sms", "verification code", request_id="r1") + line("uvicorn.error", "Invalid HTTP request received.",
                                                                               level="WARNING")
    assert log_problems(STARTING + served + ACCESS + STOPPING) == []


@pytest.mark.parametrize(
    ("log", "problem"),
    [
        (STARTING + "plain text\n" + ACCESS + STOPPING, "line 4 is not a JSON object: 'plain text'"),
        (STARTING + ACCESS + STOPPING + "Traceback (most recent call last):\n", "line 7 is not a JSON object"),
        (STARTING + "[1, 2]\n" + ACCESS, "line 4 is not a JSON object"),
        (STARTING + line("gateway.errors", "unexpected error") + ACCESS, "line 4 has no request_id"),
        (STARTING + line("uvicorn.error", "Exception in ASGI application", level="ERROR") + ACCESS, "line 4 has no request_id"),
        (STARTING + line("gateway.cli", "a line") + STOPPING, "no access line"),
    ],
)
def test_each_broken_promise_of_a_json_log_is_a_problem(log: str, problem: str) -> None:
    assert [found for found in log_problems(log) if found.startswith(problem)], log_problems(log)


def test_messages_are_what_the_server_said_without_the_json(tmp_path: Path) -> None:
    server = finished_server(tmp_path)
    server.log.write_text(line("gateway.cli", "person.alice:\n  curl -s http://x") + "not json\n"
                          + line("gateway.errors", "failed", exc_info="Traceback (most recent call last):\nValueError"))
    assert server.messages() == "person.alice:\n  curl -s http://x\nnot json\nfailed\nTraceback (most recent call last):\nValueError"
