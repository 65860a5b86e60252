"""Cross-app signals and the post-migrate hooks of the core app."""

from django.db.backends.signals import connection_created
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


@receiver(connection_created)
def spatialite_settings_reapply(sender, connection, **kwargs):
    # Django runs OPTIONS' init_command before it loads mod_spatialite, and loading the
    # extension resets SQLite's busy timeout to 5 s: without this, writers fail with "database
    # is locked" after 5 s instead of waiting the 30 s the settings ask for.
    if not getattr(connection.ops, "spatialite", False):
        return
    options = connection.settings_dict.get("OPTIONS", {})
    if options.get("timeout") is not None:
        milliseconds = int(float(options["timeout"]) * 1000)
        connection.connection.execute(f"PRAGMA busy_timeout = {milliseconds}")
    for command in options.get("init_command", "").split(";"):
        if command.strip():
            connection.connection.execute(command)


def _connect():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from simple_history.signals import pre_create_historical_record

    from realestate.core.access import epoch_bump_on_commit
    from realestate.core.assignments import connect_assignment_grants
    from realestate.core.permissions import access_changed, grant_tables, grants_changed

    connect_assignment_grants()
    access_changed.connect(
        lambda sender, using=None, **kwargs: epoch_bump_on_commit(using),
        weak=False,
        dispatch_uid="access-epoch",
    )
    pre_create_historical_record.connect(history_reason, dispatch_uid="history-reason")
    # A user object keeps a summary of its grants (see core.permissions.grant_summary):
    # any change to a grant or to group membership makes it read them again.
    for table, _owner in grant_tables():
        post_save.connect(grants_changed, sender=table, dispatch_uid=f"grants-save-{table}")
        post_delete.connect(grants_changed, sender=table, dispatch_uid=f"grants-del-{table}")
    # Roles (groups) and their permissions, and a user's own permissions: what
    # ``core.access`` remembers of a user is read again after any of them changes.
    User = get_user_model()
    for through, name in (
        (User.groups.through, "groups"),
        (User.user_permissions.through, "user-permissions"),
        (Group.permissions.through, "group-permissions"),
    ):
        m2m_changed.connect(grants_changed, sender=through, dispatch_uid=f"grants-{name}")
    for model in (Group, Permission):  # their deletion takes memberships along, unsignalled
        post_delete.connect(grants_changed, sender=model, dispatch_uid=f"grants-del-{model}")


def history_reason(sender, instance, history_instance, **kwargs):
    """Every history row says why it was written: the workflow step that wrote it ("Sign
    contract"), or where an edit came from. A reason a service gave itself wins."""
    if history_instance.history_change_reason:
        return
    from simple_history.models import HistoricalRecords

    from realestate.core.workflow import running_step

    step = running_step()
    if step is not None:
        reason = str(step)
    else:
        request = getattr(HistoricalRecords.context, "request", None)
        path = getattr(request, "path", "") or ""
        if path.startswith("/admin/"):
            reason = "Edited in the admin"
        elif path.startswith("/api/"):
            reason = "Changed through the API"
        else:
            reason = "Changed by the system"
    history_instance.history_change_reason = reason
