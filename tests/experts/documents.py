"""The GraphQL the specialist and expert tests send: payload selections for `mutate(..., select=)`, and queries."""

SPECIALIST_PAYLOAD = "specialistApplication { id status cancelReason rejectionReason member { name } } userErrors { field message code }"
EXPERT_PAYLOAD = """expertApplication { id stage resumeText resumeDocument rejectionReason specialist { name }
    stageRecords(first: 20) { nodes { stage result notes actor { name } } } } userErrors { field message code }"""

EXPERT_STAGES = "query($id: ID!) { node(id: $id) { ... on ExpertApplication { stage stageRecords { totalCount } } } }"
