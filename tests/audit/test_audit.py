"""Every mutation and security event leaves an append-only audit record."""

from __future__ import annotations

from models.audit import AuditOutcome, AuditRecord
from tests.audit.documents import BALANCE, PERMISSIONS, RECORDS, ROLE_CREATE
from tests.factories import unique


async def test_denied_mutation_is_audited_with_the_request_id(gql, as_finance_specialist):
    response = await gql.http.post(
        "/graphql", json={"query": ROLE_CREATE, "variables": {"input": {"name": unique("R"), "permissions": ["CUSTOMER_VIEW"]}}},
        headers={"Authorization": f"Bearer {as_finance_specialist.token()}"})
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    request_id = response.headers["X-Request-ID"]
    record = await AuditRecord.get(request_id=request_id)
    assert (record.action, record.outcome) == ("roleCreate", AuditOutcome.DENIED)
    assert record.actor_id is not None and record.partner_id is not None
    assert record.roles == ["FINANCE_SPECIALIST"]


async def test_denied_query_field_is_a_security_event(gql, as_service_admin):
    response = await gql.http.post("/graphql", json={"query": BALANCE},
                                   headers={"Authorization": f"Bearer {as_service_admin.token()}"})
    record = await AuditRecord.get(request_id=response.headers["X-Request-ID"])
    assert (record.action, record.outcome) == ("query", AuditOutcome.DENIED)
    assert "viewer.partner.balance" in record.target
    assert record.input == {"permissions": ["account.balance.view"]}


async def test_failed_authentication_is_audited_without_the_credential(gql):
    response = await gql.http.post("/graphql", json={"query": PERMISSIONS},
                                   headers={"Authorization": "Bearer not-a-token-secret-value"})
    assert response.status_code == 401
    record = await AuditRecord.get(request_id=response.headers["X-Request-ID"])
    assert (record.action, record.outcome, record.actor_id) == ("authenticate", AuditOutcome.DENIED, None)
    assert "not-a-token-secret-value" not in str(record.input)


async def test_success_and_user_error_records(as_distributor_admin):
    name = unique("Role")
    ok = (await as_distributor_admin.query(ROLE_CREATE, {"input": {"name": name, "permissions": ["CUSTOMER_VIEW"]}})).ok()
    role_id = ok["roleCreate"]["role"]["id"]
    refused = (await as_distributor_admin.query(ROLE_CREATE, {"input": {"name": name, "permissions": ["CUSTOMER_VIEW"]}})).ok()
    assert refused["roleCreate"]["userErrors"] == [{"code": "CONFLICT"}]
    records = [r for r in await AuditRecord.filter(action="roleCreate").order_by("id") if r.input.get("name") == name]
    assert [r.outcome for r in records] == [AuditOutcome.SUCCESS, AuditOutcome.USER_ERROR]
    import base64

    assert records[0].target == "Role:" + base64.b64decode(role_id).decode().split(":")[1]
    assert records[0].input == {"name": name, "description": None, "permissions": ["customer.view"]}


async def test_secrets_are_redacted_from_recorded_input():
    from resolvers.audit.services import REDACTED, redact

    assert redact({"verificationCode": "123456", "verification_code": "654321", "nested": [{"secret": "x", "amount": "1.00"}],
                   "token": "t", "idempotency_key": "k"}) == {
        "verificationCode": REDACTED, "verification_code": REDACTED, "nested": [{"secret": REDACTED, "amount": "1.00"}],
        "token": REDACTED, "idempotency_key": "k"}


async def test_audit_records_are_scoped(as_distributor_admin, as_finance_specialist, as_provider_admin, as_staff_operations):
    await as_provider_admin.query(ROLE_CREATE, {"input": {"name": unique("R"), "permissions": ["CUSTOMER_VIEW"]}})
    await as_distributor_admin.query(ROLE_CREATE, {"input": {"name": unique("R"), "permissions": ["CUSTOMER_VIEW"]}})
    mine = (await as_distributor_admin.query(RECORDS)).ok()["auditRecords"]["nodes"]
    assert mine and {r["partner"]["name"] for r in mine if r["partner"]} == {"Northwind Distribution"}
    everyone = (await as_staff_operations.query(RECORDS, {"filter": {"action": "roleCreate"}})).ok()["auditRecords"]["nodes"]
    assert len({r["partner"]["name"] for r in everyone if r["partner"]}) >= 2
    refused = await as_finance_specialist.query(RECORDS)
    assert refused.codes == ["FORBIDDEN"] and refused.errors[0]["extensions"]["permission"] == "audit.view"


async def test_a_rolled_back_change_leaves_no_success_record(demo_db):
    """A failure after the change (and after its SUCCESS record) rolls both back; FAILED is recorded alone."""
    import pytest

    from models.members import Account, Role
    from resolvers.principal import principal_for
    from resolvers.unit_of_work import Attempt, apply

    principal = await principal_for((await Account.get(name="distributor.admin")).id)
    request_id = unique("req")
    name = unique("Role")

    async def change():
        role = await Role.create(partner_id=principal.partner_id, name=name, permissions=["customer.view"])
        raise RuntimeError("the disk is full")  # after the change, before the commit
        return role  # unreachable: keeps the shape of a real change

    with pytest.raises(RuntimeError):
        await apply(Attempt(principal, "roleCreate", request_id, {"name": name}), change, target=lambda r: f"Role:{r.id}")
    assert not await Role.filter(name=name).exists()
    outcomes = [r.outcome for r in await AuditRecord.filter(request_id=request_id)]
    assert outcomes == [AuditOutcome.FAILED]


async def test_a_transaction_the_database_rolled_back_for_a_concurrent_one_is_a_conflict(demo_db):
    """A deadlock or serialization failure (PostgreSQL rolls one transaction back) is a CONFLICT
    user error the caller may retry, recorded, with nothing changed; not an internal error."""
    from models.members import Account, Role
    from resolvers.principal import principal_for
    from resolvers.unit_of_work import Attempt, apply

    principal = await principal_for((await Account.get(name="distributor.admin")).id)
    name = unique("Role")

    class DeadlockDetected(Exception):
        sqlstate = "40P01"  # as asyncpg raises it

    for raised in (DeadlockDetected("deadlock detected"), RuntimeError("wrapped")):
        if isinstance(raised, RuntimeError):
            raised.__cause__ = DeadlockDetected("deadlock detected")  # as Tortoise wraps driver errors
        request_id = unique("req")

        async def change(raised=raised):
            await Role.create(partner_id=principal.partner_id, name=name, permissions=["customer.view"])
            raise raised

        outcome = await apply(Attempt(principal, "roleCreate", request_id, {"name": name}), change, target=str)
        assert [r.code.value for r in outcome.refusals] == ["CONFLICT"]
        assert not await Role.filter(name=name).exists()
        assert [r.outcome for r in await AuditRecord.filter(request_id=request_id)] == [AuditOutcome.USER_ERROR]
