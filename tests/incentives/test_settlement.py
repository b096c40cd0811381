"""Store-product settlement bills (云商店商品分账): staff drive every status, the partner invoices,
and an action that does not fit the status changes nothing."""

from __future__ import annotations

import pytest

from models.audit import AuditOutcome
from models.incentives import SettlementAction, SettlementBill, SettlementStatus
from resolvers.incentives.queries import SETTLEMENT_NEXT_STEP
from resolvers.incentives.settlement_services import TRANSITIONS
from tests.audit_log import audit_count
from tests.callers import Caller, Mutated, mutate
from tests.factories import create_settlement_bill
from tests.graphql import gid
from tests.incentives.documents import SETTLEMENT_BILL

S, A = SettlementStatus, SettlementAction
LATTICE = "Lattice Solutions"
# Every status once: both rejections and their ways back, then on to PAID.
WALK = [
    (A.START_COUNTERSIGN, None), (A.REJECT_COUNTERSIGN, "Ratio differs from the agreement."), (A.RESTART_COUNTERSIGN, None),
    (A.APPROVE_COUNTERSIGN, None), (A.FAIL_PAYMENT_REQUEST, "Payee account not verified."), (A.RETRY_PAYMENT_REQUEST, None),
    (A.CREATE_PAYMENT_REQUEST, None), ("invoice", "0552000001"), (A.RECEIVE_INVOICE, None),
    (A.REJECT_INVOICE, "Wrong amount on the invoice."), ("invoice", "0552000002"), (A.RECEIVE_INVOICE, None),
    (A.APPROVE_INVOICE, None), (A.PAY, None),
]


async def advance(caller: Caller, bill: SettlementBill, action: SettlementAction, note: str | None = None) -> Mutated:
    return await mutate(caller, "settlementBillAdvance", {"id": gid("SettlementBill", bill.id), "action": action.value,
                                                          **({"note": note} if note else {})})


async def test_a_bill_walks_every_status(as_provider_admin, as_staff_operations, as_staff_finance):
    bill = await create_settlement_bill(LATTICE)
    seen = {S.PENDING_COUNTERSIGN}
    for i, (action, value) in enumerate(WALK):
        if action == "invoice":
            done = await mutate(as_provider_admin, "settlementInvoiceSubmit", {"id": gid("SettlementBill", bill.id), "invoiceNumber": value})
        else:
            # Operations and finance share the work.
            done = await advance(as_staff_operations if i % 2 else as_staff_finance, bill, action, value)
        assert done.codes == [] and done.errors == [], (action, done.response.body)
        shown = (await as_provider_admin.query(SETTLEMENT_BILL, {"id": gid("SettlementBill", bill.id)})).ok()["node"]
        status = S(shown["status"])
        seen.add(status)
        assert shown["nextStep"] == SETTLEMENT_NEXT_STEP[status]
        if value and action != "invoice":
            assert shown["note"] == value  # the partner reads why
    assert seen == set(S)
    row = await SettlementBill.get(id=bill.id)
    assert (row.status, row.invoice_number) == (S.PAID, "0552000002") and row.paid_at and row.invoice_received_at
    assert await audit_count("settlementBillAdvance", AuditOutcome.SUCCESS, target=f"SettlementBill:{bill.id}") == 12


def test_every_status_has_a_next_step_and_every_action_one_start():
    assert set(SETTLEMENT_NEXT_STEP) == set(S)
    assert SETTLEMENT_NEXT_STEP[S.COUNTERSIGN_REJECTED] == "Wait for platform operations to handle it."
    assert set(TRANSITIONS) == set(A)


INVALID = [(status, action) for status in S for action in A if TRANSITIONS[action][0] is not status]


@pytest.mark.parametrize(("status", "action"), INVALID, ids=[f"{s.value}-{a.value}" for s, a in INVALID])
async def test_an_action_that_does_not_fit_changes_nothing(as_staff_operations, status, action):
    bill = await create_settlement_bill(LATTICE, status=status, invoice_number="0552000009")
    before = await SettlementBill.get(id=bill.id)
    refused = await advance(as_staff_operations, bill, action, "a note")
    assert refused.codes == ["INVALID_STATE"] and refused["bill"] is None
    after = await SettlementBill.get(id=bill.id)
    assert (after.status, after.note, after.invoice_number, after.updated_at) == (
        before.status, before.note, before.invoice_number, before.updated_at)


async def test_review_starts_only_once_the_invoice_is_in(as_provider_admin, as_staff_finance):
    bill = await create_settlement_bill(LATTICE, status=S.AWAITING_INVOICE)
    early = await advance(as_staff_finance, bill, A.RECEIVE_INVOICE)
    assert early.codes == ["INVALID_STATE"] and (await SettlementBill.get(id=bill.id)).status is S.AWAITING_INVOICE
    wrong = await mutate(as_provider_admin, "settlementInvoiceSubmit", {"id": gid("SettlementBill", bill.id), "invoiceNumber": "no spaces"})
    assert wrong.codes == ["INVALID"]
    paid = await create_settlement_bill(LATTICE, status=S.PAID)
    late = await mutate(as_provider_admin, "settlementInvoiceSubmit", {"id": gid("SettlementBill", paid.id), "invoiceNumber": "X-1"})
    assert late.codes == ["INVALID_STATE"]


async def test_rejections_need_a_note(as_staff_operations):
    bill = await create_settlement_bill(LATTICE, status=S.COUNTERSIGNING)
    assert (await advance(as_staff_operations, bill, A.REJECT_COUNTERSIGN)).codes == ["REQUIRED"]
    assert (await SettlementBill.get(id=bill.id)).status is S.COUNTERSIGNING


async def test_partners_do_not_drive_bills_and_never_reach_anothers(as_provider_admin, as_distributor_admin, as_staff_pdm):
    bill = await create_settlement_bill(LATTICE, status=S.AWAITING_INVOICE)
    assert (await advance(as_provider_admin, bill, A.RECEIVE_INVOICE)).errors[0]["extensions"]["code"] == "FORBIDDEN"
    assert (await advance(as_staff_pdm, bill, A.RECEIVE_INVOICE)).errors[0]["extensions"]["code"] == "FORBIDDEN"
    foreign = await mutate(as_distributor_admin, "settlementInvoiceSubmit", {"id": gid("SettlementBill", bill.id), "invoiceNumber": "X-1"})
    assert foreign.codes == ["NOT_FOUND"]
    read = await as_distributor_admin.query(SETTLEMENT_BILL, {"id": gid("SettlementBill", bill.id)})
    assert read.data == {"node": None} and read.codes == ["NOT_FOUND"]
