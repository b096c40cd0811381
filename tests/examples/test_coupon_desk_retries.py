"""The coupon desk's retry policy, in process: which failures it retries, how long it waits, and that
every attempt of one issue carries the same idempotency key (the live test cannot make the gateway fail)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import httpx
import pytest

TOOL = Path(__file__).resolve().parents[2] / "examples" / "coupon_desk" / "coupon_desk.py"
ISSUED = {"data": {"couponIssue": {"coupons": [{"id": "Q291cG9uOjE="}], "userErrors": []}}}


@pytest.fixture(scope="module")
def desk() -> ModuleType:
    spec = importlib.util.spec_from_file_location("coupon_desk", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["coupon_desk"] = module
    spec.loader.exec_module(module)
    return module


def _scripted(desk: ModuleType, answers: list[httpx.Response], seen: list[dict]) -> ModuleType:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return answers.pop(0)

    gateway = desk.Gateway("http://gateway.test/graphql", "pgk_test", attempts=4, max_backoff=0.01)
    gateway.transport.kwargs["transport"] = httpx.MockTransport(answer)
    return gateway


def _error(code: str, **extensions: object) -> dict:
    return {"data": None, "errors": [{"message": code, "extensions": {"code": code, **extensions}}]}


def test_server_trouble_is_retried_with_the_same_key(desk: ModuleType) -> None:
    seen: list[dict] = []
    gateway = _scripted(desk, [httpx.Response(503, text="upstream down"), httpx.Response(200, json=_error("TIMEOUT")),
                               httpx.Response(200, json=ISSUED)], seen)
    issued = desk.issue(gateway, quota="q", customers=["c"], face_value="1.00", key="k-1")
    assert issued == [{"id": "Q291cG9uOjE="}]
    assert [s["variables"]["input"]["idempotencyKey"] for s in seen] == ["k-1"] * 3


def test_a_429_waits_for_retry_after(desk: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []
    monkeypatch.setattr("tenacity.nap.time.sleep", slept.append)
    seen: list[dict] = []
    gateway = _scripted(desk, [httpx.Response(429, json=_error("RATE_LIMITED", retryAfter=7), headers={"Retry-After": "7"}),
                               httpx.Response(200, json=ISSUED)], seen)
    desk.issue(gateway, quota="q", customers=["c"], face_value="1.00", key="k-2")
    assert slept == [7.0] and len(seen) == 2


@pytest.mark.parametrize("answer", [
    httpx.Response(429, json=_error("RATE_LIMITED", retryAfter=None)),  # costs more than the whole budget
    httpx.Response(200, json=_error("FORBIDDEN")),
    httpx.Response(400, json=_error("BAD_USER_INPUT")),
])
def test_what_cannot_change_is_not_retried(desk: ModuleType, answer: httpx.Response) -> None:
    seen: list[dict] = []
    gateway = _scripted(desk, [answer], seen)
    with pytest.raises(desk.Refused):
        desk.issue(gateway, quota="q", customers=["c"], face_value="1.00", key="k-3")
    assert len(seen) == 1
