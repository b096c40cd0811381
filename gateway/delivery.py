"""Where one-time secrets go in this deployment.

Development logs them (at WARNING, on `gateway.<channel>`), standing in for the SMS and e-mail
delivery a production deployment plugs in here; production, until one is plugged in, delivers none.
"""

from __future__ import annotations

import logging

from gateway.config import Settings
from resolvers.outbox import Delivery, Secret


def log_secret(secret: Secret) -> None:
    logging.getLogger(f"gateway.{secret.channel}").warning(
        "%s for %s (%s): %s", secret.kind, secret.recipient, secret.about, secret.value)


def delivery_for(settings: Settings) -> Delivery | None:
    return None if settings.is_production else log_secret
