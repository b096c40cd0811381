"""Log lines (gateway/logs.py): the request id on every record emitted during a request, text for
people, one JSON object per line with GATEWAY_LOG_FORMAT=json, uvicorn's lines in the same format."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from collections.abc import Callable

import pytest
from pydantic import ValidationError

from gateway.config import Settings
from gateway.logs import JsonFormatter, RequestIdFilter, TextFormatter
from gateway.request_id import current_request_id
from tests.cli import cli_env


def lines_of(formatter: logging.Formatter, emit: Callable[[logging.Logger], None]) -> list[str]:
    """What `emit(logger)` writes through a handler with `formatter` and the request-id filter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("tests.logs")
    logger.addHandler(handler)
    logger.propagate, logger.level = False, logging.DEBUG
    try:
        emit(logger)
    finally:
        logger.removeHandler(handler)
        logger.propagate, logger.level = True, logging.NOTSET
    return stream.getvalue().splitlines()


def outside_and_during_a_request(logger: logging.Logger) -> None:
    logger.info("before")
    token = current_request_id.set("req-1")
    try:
        logger.warning("during %s", "it")
        logger.info("another's", extra={"request_id": "req-0"})  # said explicitly: kept
        try:
            raise ValueError("bad value")
        except ValueError:
            logger.exception("failed")
    finally:
        current_request_id.reset(token)
    logger.info("after")


def test_text_lines_name_the_request_only_during_one() -> None:
    lines = lines_of(TextFormatter(), outside_and_during_a_request)
    assert lines[0].endswith(" INFO tests.logs before")
    assert lines[1].endswith(" WARNING tests.logs [req-1] during it")
    assert lines[2].endswith(" INFO tests.logs [req-0] another's")
    assert lines[3].endswith(" ERROR tests.logs [req-1] failed")
    assert lines[4] == "Traceback (most recent call last):" and lines[-2] == "ValueError: bad value"
    assert lines[-1].endswith(" INFO tests.logs after")


def test_json_lines_are_one_object_each_with_the_request_id_during_a_request() -> None:
    lines = lines_of(JsonFormatter(), outside_and_during_a_request)
    records = [json.loads(line) for line in lines]
    assert len(records) == 5  # the traceback is inside its record's line
    assert [r["message"] for r in records] == ["before", "during it", "another's", "failed", "after"]
    assert [r.get("request_id") for r in records] == [None, "req-1", "req-0", "req-1", None]
    assert list(records[1]) == ["time", "level", "logger", "message", "request_id"]
    assert records[1]["level"] == "WARNING" and records[1]["logger"] == "tests.logs"
    assert records[1]["time"].endswith("+00:00")
    assert records[3]["exc_info"].startswith("Traceback (most recent call last):")
    assert records[3]["exc_info"].endswith("ValueError: bad value")


def test_json_fields_come_from_extra_and_odd_values_do_not_break_the_line() -> None:
    class Opaque:
        def __str__(self) -> str:
            return "opaque"

    def emit(logger: logging.Logger) -> None:
        logger.info("fields", extra={"status": 200, "what": Opaque(), "color_message": "\x1b[1mfields\x1b[0m"})

    [line] = lines_of(JsonFormatter(), emit)
    record = json.loads(line)
    assert record["status"] == 200 and "opaque" in str(record["what"])
    assert "color_message" not in record  # uvicorn's coloured copy of the message


def test_the_log_format_is_text_by_default_and_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().log_format == "text"
    monkeypatch.setenv("GATEWAY_LOG_FORMAT", "json")
    assert Settings().log_format == "json"
    with pytest.raises(ValidationError, match="log_format"):
        Settings(log_format="xml")  # type: ignore[arg-type]


# Configures logging as `serve` does (and uvicorn, with the same dictionary), in a process of its own.
CONFIGURED = """
import logging, warnings
from gateway.config import Settings
from gateway.logs import configure_logging
from gateway.request_id import current_request_id

configure_logging(Settings(log_format="json"))
logging.getLogger("uvicorn.error").info("Started server process [%d]", 1, extra={"color_message": "coloured"})
logging.getLogger("uvicorn.access").info("uvicorn's own access line")
token = current_request_id.set("req-7")
logging.getLogger("tortoise").info("a query")
try:
    raise RuntimeError("boom")
except RuntimeError:
    logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
warnings.warn("something is deprecated", DeprecationWarning, stacklevel=1)
current_request_id.reset(token)
print("printed, not logged")
"""


def test_configured_logging_writes_every_logger_as_json_on_stderr_and_no_uvicorn_access_line() -> None:
    done = subprocess.run([sys.executable, "-W", "always", "-c", CONFIGURED], env=cli_env("sqlite://:memory:"),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "printed, not logged\n"
    records = [json.loads(line) for line in done.stderr.splitlines()]
    assert [(r["logger"], r.get("request_id")) for r in records] == [
        ("uvicorn.error", None), ("tortoise", "req-7"), ("uvicorn.error", "req-7"), ("py.warnings", "req-7"),
    ]
    assert records[0]["message"] == "Started server process [1]" and "color_message" not in records[0]
    assert "RuntimeError: boom" in records[2]["exc_info"]
    assert "DeprecationWarning: something is deprecated" in records[3]["message"]
