"""The GraphQL the task tests send: the taskHandle payload selection for `mutate(..., select=)`."""

TASK_PAYLOAD = """task { id status handlingRecords { nodes { action note fromStatus toStatus actor { name } } } }
    userErrors { field code message }"""
