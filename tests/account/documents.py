"""The GraphQL documents the account tests send: recharge, withdrawal and its review, allocation, alerts."""

RECHARGE = """mutation($input: AccountRechargeInput!) { accountRecharge(input: $input) {
    ledgerEntry { id kind amount { amount } balanceAfter { amount } }
    partner { balance { amount } allocatableBalance { amount } } userErrors { field code } } }"""
WITHDRAW = """mutation($input: AccountWithdrawInput!) { accountWithdraw(input: $input) {
    withdrawal { id status amount { amount currency } partner { id balance { amount } } requestedBy { name } }
    userErrors { field code message } } }"""
REVIEW_PAYLOAD = "withdrawal { id status rejectionReason reviewedAt paidAt reviewedBy { name } } userErrors { field code message }"
APPROVE = f"mutation($input: WithdrawalApproveInput!) {{ withdrawalApprove(input: $input) {{ {REVIEW_PAYLOAD} }} }}"
REJECT = f"mutation($input: WithdrawalRejectInput!) {{ withdrawalReject(input: $input) {{ {REVIEW_PAYLOAD} }} }}"
PAY = f"mutation($input: WithdrawalMarkPaidInput!) {{ withdrawalMarkPaid(input: $input) {{ {REVIEW_PAYLOAD} }} }}"
ALLOCATE = """mutation($input: ResellerFundsAllocateInput!) { resellerFundsAllocate(input: $input) {
    ledgerEntry { id kind amount { amount } balanceAfter { amount } reference }
    partner { balance { amount } allocatableBalance { amount } } userErrors { field code message } } }"""
ALERT_SET = """mutation($input: BalanceAlertSetInput!) { balanceAlertSet(input: $input) {
    partner { balanceAlertThreshold { amount } } userErrors { field code message } } }"""

WALLET = """{ viewer { partner { balance { amount } allocatableBalance { amount }
    withdrawals(first: 10) { totalCount nodes { id status amount { amount } } }
    pending: withdrawals(filter: {status: PENDING}) { totalCount }
    ledger(first: 10) { totalCount nodes { kind amount { amount } balanceAfter { amount } reference actor { name } } } } } }"""
LEDGER = "{ viewer { partner { ledger(first: 50) { nodes { kind amount { amount } } } } } }"
RESELLER_BALANCES = "{ viewer { partner { resellers { nodes { id balance { amount } ledger(first: 0) { totalCount } } } } } }"
ALERTS = """{ viewer { partner { balanceAlerts(first: 10) { totalCount nodes { id balance { amount } threshold { amount } createdAt } } } } }"""
BALANCE_ALERT = "query($id: ID!) { node(id: $id) { ... on BalanceAlert { id } } }"
WITHDRAWAL = "query($id: ID!) { node(id: $id) { ... on Withdrawal { id status } } }"
