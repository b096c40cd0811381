"""Operation-limit and rate-limit refusals are security events in the audit log: one DENIED record per
caller and reason per minute, however many refusals there are."""

from __future__ import annotations

from unittest import mock

import pytest

from gateway import security_events
from models.audit import AuditOutcome, AuditRecord
from models.members import Account
from tests.rate_limits.support import AppFactory

VIEWER = "{ viewer { account { name } } }"
TOO_DEEP = "{ viewer { " + "partner { parentDistributor { " * 6 + "name" + " }" * 12 + " } }"
SLOW = 0.01


@pytest.fixture(autouse=True)
def fresh_recorder() -> None:
    # One process serves one database; the tests run both backends in one process.
    security_events.recorder.forget()


async def _records(account: str, action: str) -> list[AuditRecord]:
    actor = await Account.get(name=account)
    return await AuditRecord.filter(actor_id=actor.id, action=action, outcome=AuditOutcome.DENIED)


async def test_rate_limit_refusals_are_recorded_once_a_minute(limited_app: AppFactory) -> None:
    gateway = await limited_app(rate_limit_capacity=5, rate_limit_refill_per_second=SLOW)
    before = len(await _records("distributor.coupons", "rateLimit"))
    now = security_events.time.time() // 60 * 60 + 1  # the start of a minute: the burst stays inside it
    with mock.patch.object(security_events.time, "time", return_value=now):
        answers = [await gateway.post("distributor.coupons", VIEWER) for _ in range(20)]
    assert sum(1 for a in answers if a.status_code == 429) >= 10
    records = await _records("distributor.coupons", "rateLimit")
    assert len(records) == before + 1 and records[-1].target.startswith("RATE_LIMITED")
    # The next minute, the next refusal is recorded again (once).
    later = now + 60
    with mock.patch.object(security_events.time, "time", return_value=later):
        for _ in range(5):
            await gateway.post("distributor.coupons", VIEWER)
    assert len(await _records("distributor.coupons", "rateLimit")) == before + 2


async def test_operation_limit_refusals_are_recorded(limited_app: AppFactory) -> None:
    gateway = await limited_app()
    before = len(await _records("distributor.sa", "operationLimit"))
    for _ in range(10):
        refused = await gateway.post("distributor.sa", TOO_DEEP)
        assert refused.json()["errors"][0]["extensions"]["code"] == "OPERATION_LIMIT_EXCEEDED"
    records = await _records("distributor.sa", "operationLimit")
    assert len(records) == before + 1 and records[-1].target.startswith("OPERATION_LIMIT_EXCEEDED")
    assert (await gateway.post("distributor.sa", VIEWER)).status_code == 200
    assert len(await _records("distributor.sa", "operationLimit")) == before + 1


async def test_workers_writing_at_once_write_one(limited_app: AppFactory) -> None:
    """Four workers refusing the same caller for the same reason in the same minute: one record."""
    import asyncio

    from resolvers.principal import principal_for

    await limited_app()  # the demo database of this backend
    account = await Account.get(name="distributor.finance")
    principal = await principal_for(account.id)
    workers = [security_events._Recorder() for _ in range(4)]
    before = len(await _records("distributor.finance", "rateLimit"))
    written = await asyncio.gather(*(w.record(principal, "rateLimit", "RATE_LIMITED:test", "r") for w in workers))
    assert sorted(written) == [False, False, False, True]
    assert len(await _records("distributor.finance", "rateLimit")) == before + 1
