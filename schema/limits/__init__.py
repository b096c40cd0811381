"""Operation limits checked before execution: size of the document, shape of the operation, cost."""
