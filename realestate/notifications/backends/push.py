"""Push to a user's registered devices: the interface, and the local backend that logs."""

import logging
import uuid

logger = logging.getLogger("realestate.notifications.push")


class LogPushBackend:
    """Writes the message to the log, once per device token in ``address`` (comma-separated)."""

    def send(self, delivery, rendered, address: str) -> str:
        ids = []
        for token in address.split(","):
            ids.append(f"log-{uuid.uuid4().hex[:12]}")
            logger.info(
                "Push to %s… (%s): %s — %s", token[:12], ids[-1], rendered.subject, rendered.text
            )
        return ",".join(ids)
