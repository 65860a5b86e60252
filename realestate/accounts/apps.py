from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def roles_sync_after_migrate(sender, app_config=None, using="default", **kwargs):
    """Every ``migrate`` brings the roles in step with ``fixtures/roles.json``, once every
    app's permissions exist (after the last app's post-migrate)."""
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if app_config is None or app_config is not with_models[-1]:
        return
    from realestate.accounts.roles import roles_sync

    try:
        roles_sync(using=using)
    except LookupError as error:  # an app not migrated yet: its permissions are missing
        print(f"Roles not synced: {error}")


class AccountsConfig(AppConfig):
    name = "realestate.accounts"
    label = "accounts"
    verbose_name = "Organisation"

    def ready(self):
        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="accounts-roles-sync")
