"""Store-product settlement bills (云商店商品分账): platform staff drive them, the partner invoices.

    PENDING_COUNTERSIGN → COUNTERSIGNING → COUNTERSIGN_REJECTED → COUNTERSIGNING (restarted)
                                         → PENDING_PAYMENT_REQUEST → PAYMENT_REQUEST_FAILED → PENDING_PAYMENT_REQUEST
                                                                   → AWAITING_INVOICE → INVOICE_REVIEW → PAYMENT_PROCESSING → PAID
                                                                                      ← (invoice rejected)

The partner submits its invoice number while AWAITING_INVOICE; review starts only once staff record
the invoice as received (RECEIVE_INVOICE), which needs that number.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from models.incentives import SettlementAction, SettlementBill
from models.incentives import SettlementStatus as S
from resolvers.errors import Refusal
from resolvers.errors import UserErrorCode as Code
from resolvers.incentives.queries import readable_settlement_bills
from resolvers.principal import Principal
from resolvers.transitions import move
from resolvers.validation import Checks

A = SettlementAction
# action -> (from, to, a note is required)
TRANSITIONS: dict[SettlementAction, tuple[S, S, bool]] = {
    A.START_COUNTERSIGN: (S.PENDING_COUNTERSIGN, S.COUNTERSIGNING, False),
    A.REJECT_COUNTERSIGN: (S.COUNTERSIGNING, S.COUNTERSIGN_REJECTED, True),
    A.RESTART_COUNTERSIGN: (S.COUNTERSIGN_REJECTED, S.COUNTERSIGNING, False),
    A.APPROVE_COUNTERSIGN: (S.COUNTERSIGNING, S.PENDING_PAYMENT_REQUEST, False),
    A.FAIL_PAYMENT_REQUEST: (S.PENDING_PAYMENT_REQUEST, S.PAYMENT_REQUEST_FAILED, True),
    A.RETRY_PAYMENT_REQUEST: (S.PAYMENT_REQUEST_FAILED, S.PENDING_PAYMENT_REQUEST, False),
    A.CREATE_PAYMENT_REQUEST: (S.PENDING_PAYMENT_REQUEST, S.AWAITING_INVOICE, False),
    A.RECEIVE_INVOICE: (S.AWAITING_INVOICE, S.INVOICE_REVIEW, False),
    A.REJECT_INVOICE: (S.INVOICE_REVIEW, S.AWAITING_INVOICE, True),
    A.APPROVE_INVOICE: (S.INVOICE_REVIEW, S.PAYMENT_PROCESSING, False),
    A.PAY: (S.PAYMENT_PROCESSING, S.PAID, False),
}
INVOICE_NUMBER = re.compile(r"^[A-Za-z0-9-]{1,32}$")


async def _bill(principal: Principal, bill_id: int, *, own: bool) -> SettlementBill:
    mine: dict[str, Any] = {"partner_id": principal.own_partner("its settlement bills")} if own else {}
    return await readable_settlement_bills.one(principal, bill_id, "settlement bill", **mine)


async def advance(principal: Principal, *, id: int, action: SettlementAction, note: str | None = None) -> SettlementBill:
    source, target, needs_note = TRANSITIONS[action]
    checks = Checks()
    text = checks.text(note, "note", max_length=500, required=needs_note) or ""
    checks.done()
    bill = await _bill(principal, id, own=False)
    now = datetime.now(UTC)
    changes: dict[str, object] = {"status": target, "note": text}
    if action is A.RECEIVE_INVOICE:
        if not bill.invoice_number:
            raise Refusal(Code.INVALID_STATE, "The partner has not submitted the invoice number yet.", ["id"])
        changes["invoice_received_at"] = now
    elif action is A.REJECT_INVOICE:
        changes.update(invoice_number="", invoice_received_at=None)
    elif action is A.PAY:
        changes["paid_at"] = now
    return await move(bill, source, f"moved on with {action.value}", field="action", noun="settlement bill", **changes)


async def submit_invoice(principal: Principal, *, id: int, invoice_number: str) -> SettlementBill:
    number = invoice_number.strip()
    if not INVOICE_NUMBER.fullmatch(number):
        raise Refusal(Code.INVALID, "An invoice number is 1 to 32 letters, digits or '-'.", ["invoiceNumber"])
    return await move(await _bill(principal, id, own=True), S.AWAITING_INVOICE, "invoiced", noun="settlement bill",
                      invoice_number=number)
