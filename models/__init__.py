"""Tortoise models of the partner domain, one module per domain.

Nothing here imports the rest of the gateway: models are the bottom layer.
"""

MODEL_MODULES = [
    "models.partners",
    "models.members",
    "models.invitations",
    "models.experts",
    "models.solutions",
    "models.coupons",
    "models.tasks",
    "models.customers",
    "models.account",
    "models.audit",
    "models.api_keys",
    "models.safeguards",
    "models.incentives",
    "models.channel",
    "models.dashboard",
    "models.certificates",
    "models.news",
    "models.realname",
    "models.cloudlab",
    "models.principal_epoch",
]
