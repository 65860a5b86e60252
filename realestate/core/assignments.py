"""Grants follow assignments.

A model lists the user foreign keys that assign it (``assignment_fields = ("agent",)``).
Whenever such a record is saved, from the admin, the API, an import or a job, the previous
assignee loses its view/change grants on the record and the new one receives them.
"""

from django.apps import apps
from django.db.models.signals import post_init, post_save

from realestate.core.permissions import grants_move


def _remember(sender, instance, **kwargs):
    instance._assigned_before = {
        field: getattr(instance, f"{field}_id") for field in sender.assignment_fields
    }


def _follow(sender, instance, created, raw=False, **kwargs):
    if raw:  # loading fixtures: grants come with the fixture
        return
    before = getattr(instance, "_assigned_before", {})
    for field in sender.assignment_fields:
        old_id = None if created else before.get(field)
        new_id = getattr(instance, f"{field}_id")
        if old_id == new_id:
            continue
        user_model = sender._meta.get_field(field).related_model
        old_user = user_model._default_manager.filter(pk=old_id).first() if old_id else None
        new_user = getattr(instance, field) if new_id else None
        grants_move(instance, old_user=old_user, new_user=new_user)
    _remember(sender, instance)


def connect_assignment_grants() -> None:
    for model in apps.get_models():
        if getattr(model, "assignment_fields", None):
            post_init.connect(_remember, sender=model, dispatch_uid=f"assign-init-{model._meta}")
            post_save.connect(_follow, sender=model, dispatch_uid=f"assign-save-{model._meta}")
