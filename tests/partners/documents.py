"""The GraphQL documents the partner read and isolation tests share."""

# One node of every type the distributor holds: the isolation checks try each on another partner.
DISTRIBUTOR_GRAPH = """
{ roles(first: 100) { nodes { id preset } }
  auditRecords(first: 1) { nodes { id } }
  viewer { apiKeys { id } partner { id name
  members(first: 50) { nodes { id roles { id preset } } }
  invitations(first: 1) { nodes { id } }
  specialists(first: 1) { nodes { id } }
  expertApplications(first: 5) { nodes { id stageRecords(first: 1) { nodes { id } } } }
  solutions(first: 10) { nodes { id coSaleProducts(first: 1) { nodes { id } } } }
  couponQuotas(first: 1) { nodes { id } }
  coupons(first: 20) { nodes { id usageRecords(first: 1) { nodes { id } } } }
  couponOperations(first: 1) { nodes { id } }
  tasks(first: 20) { nodes { id details(first: 1) { nodes { id } } handlingRecords(first: 1) { nodes { id } } } }
  customers(first: 1) { nodes { id } }
  resellers(first: 1) { nodes { id yanxuanOrders(first: 1) { nodes { id } } } }
  ledger(first: 1) { nodes { id } }
  withdrawals(first: 1) { nodes { id } }
  balanceAlerts(first: 1) { nodes { id } }
  incentiveBills(first: 20) { nodes { id lines(first: 1) { nodes { id } } indicators { id }
    applicationLines(first: 1) { nodes { id } } } }
  payoutApplications(first: 1) { nodes { id lines(first: 1) { nodes { id } } } }
  settlementBills(first: 1) { nodes { id } }
  onBehalfAuthorizations(first: 1) { nodes { id } }
  onBehalfOrders(first: 1) { nodes { id } }
  disassociationRequests(first: 1) { nodes { id } }
  associationRecords(first: 1) { nodes { id } }
  prospects(first: 1) { nodes { id enterprise { id } } }
  resellerInvitations(first: 1) { nodes { id } }
  certificates(first: 1) { nodes { id } }
} }
  news(first: 1) { nodes { id } }
}
"""

# What only a development-path partner has (cloud labs), read as the demo's service partner.
SERVICE_GRAPH = """
{ viewer { partner { id
  cloudLabApplications(first: 1) { nodes { id beneficiaries(first: 1) { nodes { id } } } }
} } }
"""

NODE = "query($id: ID!) { node(id: $id) { id __typename } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
OWN_PARTNER = "{ viewer { partner { id } } }"
