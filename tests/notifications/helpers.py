"""What the notifications tests check on every message: its placeholders are all there."""

from realestate.notifications.defaults import COMMON_PLACEHOLDERS, DEFAULT_TEXTS
from realestate.notifications.models import Notification


def placeholders_complete(notification: Notification) -> None:
    """The message's data carries every placeholder its kind's texts may use, filled."""
    wanted = set(DEFAULT_TEXTS[notification.kind][3]) | set(COMMON_PLACEHOLDERS)
    missing = wanted - set(notification.context)
    assert not missing, f"{notification.kind} lacks {sorted(missing)}"
    empty = [name for name in wanted if notification.context[name] in ("", None)]
    assert not empty, f"{notification.kind} has empty {empty}"


def messages(kind, **filters):
    return list(Notification.objects.filter(kind=kind, **filters).order_by("pk"))
