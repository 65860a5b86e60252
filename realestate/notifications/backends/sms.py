"""SMS: the interface, and the local backend that writes each message to the log."""

import logging
import uuid

logger = logging.getLogger("realestate.notifications.sms")


class LogSmsBackend:
    """Writes the message to the log (``make run`` and tests without a provider)."""

    def send(self, delivery, rendered, address: str) -> str:
        provider_id = f"log-{uuid.uuid4().hex[:12]}"
        logger.info("SMS to %s (%s): %s", address, provider_id, rendered.text)
        return provider_id
