"""Log lines: readable text for people, or one JSON object per line (`GATEWAY_LOG_FORMAT=json`).

One configuration for every logger of the process, ours, uvicorn's, Tortoise's and strawberry's
alike: a single handler on the root logger, writing to stderr, with the formatter the setting picks
and a filter that adds the id of the request being served to every record emitted while it runs.
uvicorn gets the same dictionary as its `log_config`, so its worker processes, which configure
logging again when they start, write the same lines.
"""

from __future__ import annotations

import logging
import logging.config
import sys
from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.orjson import OrjsonFormatter

from gateway.config import Settings
from gateway.request_id import current_request_id, current_trace_id

# uvicorn adds an ANSI-coloured copy of some messages to their records; not a field worth a column.
_NOT_FIELDS = (*RESERVED_ATTRS, "color_message")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record emitted while a request is served (unless it has one), and
    `trace_id` while a traced one is (`GATEWAY_TRACES`): a JSON line then leads to its trace."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            request_id = current_request_id.get()
            if request_id is not None:
                record.request_id = request_id
        if not hasattr(record, "trace_id"):
            trace_id = current_trace_id.get()
            if trace_id is not None:
                record.trace_id = trace_id
        return True


class TextFormatter(logging.Formatter):
    """`2026-05-01 12:00:00,123 INFO gateway.access [<request id>] message`; no brackets outside a request."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None)
        if request_id is None:
            return super().formatMessage(record)
        return f"{record.asctime} {record.levelname} {record.name} [{request_id}] {record.message}"


class JsonFormatter(OrjsonFormatter):
    """`{"time", "level", "logger", "message", "request_id", ...}`: one object per line.

    A record's `extra` fields become fields of their own; an exception's traceback is the
    `exc_info` field (a string with escaped newlines), so a record stays one line.
    """

    def __init__(self) -> None:
        super().__init__(
            "%(levelname)s %(name)s %(message)s",
            rename_fields={"levelname": "level", "name": "logger"},
            # UTC, ISO 8601; listed in `defaults` only to come first in the object.
            timestamp="time", defaults={"time": None},
            reserved_attrs=_NOT_FIELDS,
        )


FORMATTERS = {"text": TextFormatter, "json": JsonFormatter}


def stderr_handler() -> logging.Handler:
    """The one handler. Python's warnings go through logging from then on, so they are formatted
    (and JSON) like every other line, in every process that configures it (uvicorn's workers too)."""
    logging.captureWarnings(True)
    return logging.StreamHandler(sys.stderr)


def _dotted(thing: type | Any) -> str:
    # By dotted name, not by object: uvicorn hands the configuration to its worker processes.
    return f"{thing.__module__}.{thing.__qualname__}"


def logging_config(settings: Settings) -> dict[str, Any]:
    """The `logging.config.dictConfig` dictionary for these settings (also uvicorn's `log_config`)."""
    formatter = FORMATTERS[settings.log_format]
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": _dotted(RequestIdFilter)}},
        "formatters": {"gateway": {"()": _dotted(formatter)}},
        "handlers": {"stderr": {"()": _dotted(stderr_handler), "formatter": "gateway", "filters": ["request_id"]}},
        "loggers": {
            # No handlers of uvicorn's own: its lines propagate to the root's, in the same format.
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            # The gateway writes one access line per request itself (gateway/access_log.py).
            "uvicorn.access": {"handlers": [], "propagate": False},
        },
        "root": {"level": settings.log_level.upper(), "handlers": ["stderr"]},
    }


def configure_logging(settings: Settings) -> None:
    logging.config.dictConfig(logging_config(settings))
