"""The GraphQL the solution and co-sale tests send: payload selections for `mutate(..., select=)`, and queries."""

SOLUTION_PAYLOAD = "solution { id name summary industries status pdmContact } userErrors { field message code }"
CO_SALE_PAYLOAD = """coSaleProduct { id name status rejectionReason requestedAt listedAt delistedAt solution { name } }
    userErrors { field message code }"""

LISTINGS = """query($id: ID!) { node(id: $id) { ... on Solution {
    coSaleProducts(first: 10) { nodes { name status rejectionReason } } } } }"""
