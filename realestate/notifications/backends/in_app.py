"""In-app: the notification centre shows the message; sending renders its title and text."""

from realestate.notifications.rendering import in_app_texts


class InAppBackend:
    def send(self, delivery, rendered, address: str) -> str:
        in_app_texts(delivery.notification)
        return ""
