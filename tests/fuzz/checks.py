"""What every answer of the gateway must look like, whatever it was asked."""

from __future__ import annotations

import importlib
import json
import re
from typing import Any

import httpx
from strawberry.exceptions import StrawberryInputCoercionError

from resolvers.errors import ErrorCode, GatewayError

TYPED_CODES = {code.value for code in ErrorCode} - {ErrorCode.INTERNAL_SERVER_ERROR.value}

# Text that only an implementation detail would put into an answer: stack traces, driver and
# ORM names, SQL. Generated inputs never contain these, so an echo of the input cannot match.
LEAK_PATTERNS = [
    re.compile(pattern)
    for pattern in (
        r"(?i)traceback", r'File "', r"(?i)tortoise", r"(?i)asyncpg", r"(?i)sqlite", r"(?i)psycopg",
        r"Exception", r"Error\(", r"SELECT ", r"INSERT ", r"UPDATE \"?\w", r"DELETE FROM", r" WHERE ",
        r"(?i)integrityerror", r"(?i)operationalerror", r"(?i)site-packages", r"line \d+, in ",
        r"(?i)decimal\.Invalid", r"(?i)valueerror", r"(?i)typeerror", r"(?i)keyerror", r"(?i)attributeerror",
    )
]

# strawberry logs every error of a result, with its traceback, on `strawberry.execution`; those
# ending in an exception the schema answers with a typed code (a denial, a missing row, a value
# that does not coerce) are expected answers, not failures.
STRAWBERRY_ERROR_LOGGER = "strawberry.execution"
_ERROR_RECORD = re.compile(r"^(?:\S+ \S+ (?:ERROR|CRITICAL) (?P<logger>\S+)|(?:ERROR|CRITICAL):)")
EXPECTED_EXCEPTIONS = (GatewayError, StrawberryInputCoercionError)
_TRACEBACK = "Traceback (most recent call last):"
_CHAINED = ("The above exception was the direct cause", "During handling of the above exception")


def _is_typed_error(exception_line: str) -> bool:
    qualified = exception_line.split(":", 1)[0].strip()
    module_name, _, class_name = qualified.rpartition(".")
    if not module_name.startswith(("resolvers.", "schema.", "gateway.", "strawberry.")):
        return False
    try:
        found = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError):
        return False
    return isinstance(found, type) and issubclass(found, EXPECTED_EXCEPTIONS)


def _exception_line(lines: list[str], start: int) -> int | None:
    """Where the traceback starting at `start` names its exception (its first unindented line)."""
    for number in range(start + 1, len(lines)):
        if lines[number] and not lines[number][0].isspace():
            return number
    return None


def as_text(log: str) -> str:
    """A JSON-format log (GATEWAY_LOG_FORMAT=json) as the text format writes it: each record's
    `time LEVEL logger message`, its traceback on the lines below; other lines unchanged."""
    lines: list[str] = []
    for line in log.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if not isinstance(record, dict) or "logger" not in record:
            lines.append(line)
            continue
        day_and_clock = str(record.get("time")).replace("T", " ", 1)  # two words, as in the text format
        lines.append(f"{day_and_clock} {record.get('level')} {record['logger']} {record.get('message', '')}")
        if record.get("exc_info"):
            lines += str(record["exc_info"]).splitlines()
    return "\n".join(lines)


def unexpected_log_entries(log: str) -> list[str]:
    """Error records of any other logger, and tracebacks that do not end in an expected exception
    (in a log of either format)."""
    found: list[str] = []
    lines = as_text(log).splitlines()
    for number, line in enumerate(lines):
        record = _ERROR_RECORD.match(line)
        if record and record.group("logger") != STRAWBERRY_ERROR_LOGGER:
            found.append(line)
        if not line.startswith(_TRACEBACK):
            continue
        end = _exception_line(lines, number)
        if end is None:
            found.append("\n".join(lines[number:]))
            continue
        following = next((later for later in lines[end + 1:end + 4] if later.strip()), "")
        if following.startswith(_CHAINED):
            continue  # judged by the last exception of the chain
        if not _is_typed_error(lines[end]):
            found.append("\n".join(lines[number:end + 1]))
    return found


def problems_in_answer(response: httpx.Response) -> list[str]:
    """Every way the answer breaks the contract (empty when it keeps it)."""
    found: list[str] = []
    if response.status_code >= 500:
        found.append(f"HTTP {response.status_code}")
    text = response.text
    found += [f"leaks {pattern.pattern!r}" for pattern in LEAK_PATTERNS if pattern.search(text)]
    try:
        body: Any = json.loads(text)
    except ValueError:
        return [*found, "body is not JSON"]
    if not isinstance(body, dict) or not body or not set(body) <= {"data", "errors", "extensions"}:
        return [*found, "body is not a GraphQL answer"]
    errors = body.get("errors") or []
    if response.status_code != 200 and not errors:
        found.append(f"HTTP {response.status_code} without errors")
    for error in errors:
        code = (error.get("extensions") or {}).get("code") if isinstance(error, dict) else None
        if code not in TYPED_CODES:
            found.append(f"error without a typed code: {error}")
    return found
