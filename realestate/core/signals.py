"""Cross-app signals and the post-migrate hooks of the core app."""

from django.db.models.signals import post_migrate
from django.dispatch import Signal, receiver

#: Sent by every status-changing service: sender=model class, instance, source, target, by.
status_changed = Signal()


@receiver(post_migrate)
def schedules_register_after_migrate(sender, app_config=None, **kwargs):
    # Registering on every migrate keeps schedules in step with the code; the registration
    # is idempotent, so running it again changes nothing.
    if app_config is None or app_config.label != "core":
        return
    from realestate.core.schedules import schedules_register

    schedules_register(using=kwargs.get("using", "default"))


def _connect():
    from realestate.core.assignments import connect_assignment_grants

    connect_assignment_grants()
