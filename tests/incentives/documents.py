"""The GraphQL documents the incentive tests send."""

BILLS = """query($filter: IncentiveBillFilter) { viewer { partner { incentiveBills(first: 50, filter: $filter) {
    totalCount nodes { id period type status amount { amount } pendingAmount { amount } frozenAmount { amount }
    appliedAmount { amount } frozenReason disputeReason
    lines(first: 10) { totalCount nodes { orderId customerName productType billingMode amount { amount } } }
    indicators { name value } applicationLines { nodes { amount { amount } application { number status } } } } } } } }"""

APPLICATION = """query($id: ID!) { node(id: $id) { ... on PayoutApplication { id number method status amount { amount }
    invoiceNumbers invoiceRejectionReason bankReference errorMessage completedAt
    lines { nodes { amount { amount } bill { id status pendingAmount { amount } } } } } } }"""

INVOICING_LIST = """query($id: ID!) { node(id: $id) { ... on PayoutApplication { invoicingList {
    number amount { amount } tax { amount } total { amount } pdfPath entity { name taxId }
    lines { billId period amount { amount } taxRate tax { amount } total { amount } } } } } }"""

SETTLEMENT_BILL = """query($id: ID!) { node(id: $id) { ... on SettlementBill { id status note nextStep invoiceNumber
    invoiceReceivedAt paidAt amount { amount } } } }"""

OWN_YANXUAN_ORDERS = """{ viewer { partner { yanxuanOrders(first: 50) { nodes { id unitPrice { amount } priceDifference { amount } } } } } }"""

YANXUAN_ORDERS = """{ viewer { partner { yanxuanOrders(first: 50) { nodes { id unitPrice { amount } priceDifference { amount } } }
    resellers { nodes { name yanxuanOrders(first: 50) { nodes { id orderNumber unitPrice { amount } floorPrice { amount }
    cataloguePrice { amount } priceDifference { amount } } } } } } } }"""

BALANCE = """{ viewer { partner { balance { amount } allocatableBalance { amount }
    ledger(first: 5, filter: {kind: INCENTIVE_CREDIT}) { totalCount nodes { kind amount { amount } reference } }
    couponQuotas(first: 50, filter: {kind: VOUCHER}) { totalCount nodes { id total { amount } status } } } } }"""
