"""Grants follow assignments; sales records are assigned to active agents only.

A model lists the user foreign keys that assign it (``assignment_fields = ("agent",)``).
Whenever such a record is saved, from the admin, the API, an import or a job, the previous
assignee loses its view/change grants on the record and the new one receives them.

Those that name the record's sales agent (``agent_fields``, see ``AgentFieldsMixin``) take
only a user with an active agent profile: an accountant or a former agent is refused by the
model's validation (the admin's forms, the importer, the services), while the agent a record
holds already stays valid until it is changed.
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models.signals import post_init, post_save, pre_save
from django.utils.translation import gettext_lazy as _

from realestate.core.permissions import grants_move


def is_active_agent(user) -> bool:
    if user is None or user.pk is None:
        return False
    return type(user)._default_manager.active_agents().filter(pk=user.pk).exists()


def default_agent(user):
    """``user`` when they may be a record's agent, else None: for agents copied from another
    record (a unit's, a reservation's), so a former agent is not carried into a new deal."""
    return user if is_active_agent(user) else None


def agents_check(instance, exclude=()) -> None:
    """Refuse an agent field set to anybody but an active agent. The value the record held
    when it was loaded stays valid (an agent who has left still shows on their old deals)."""
    errors = {}
    loaded = {} if instance._state.adding else getattr(instance, "_assigned_before", {})
    for name in getattr(instance, "agent_fields", ()):
        user_id = getattr(instance, f"{name}_id")
        if name in (exclude or ()) or user_id is None or loaded.get(name, -1) == user_id:
            continue
        user = getattr(instance, name)
        if not is_active_agent(user):
            errors[name] = ValidationError(
                _("%(user)s is not an active sales agent: choose one of the agents."),
                code="not_an_agent",
                params={"user": user},
            )
    if errors:
        raise ValidationError(errors)


class AgentFieldsMixin:
    """For models assigned to a sales agent: ``full_clean`` refuses a non-agent (above)."""

    #: Assignment fields that name the record's sales agent.
    agent_fields = ("agent",)

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            agents_check(self, exclude=[*(exclude or ()), *errors])
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def _remember(sender, instance, **kwargs):
    # A field the query left out (``only()``) is not read here, a query per row: it is
    # read before a save if it was not (``_recall``).
    loaded = instance.__dict__
    instance._assigned_before = {
        field: loaded[f"{field}_id"]
        for field in sender.assignment_fields
        if f"{field}_id" in loaded
    }


def _recall(sender, instance, raw=False, **kwargs):
    """Before a save of a record read without some of its assignment fields, what they
    were (the grants follow a change of them)."""
    before = getattr(instance, "_assigned_before", None)
    if before is None or instance._state.adding or instance.pk is None:
        return
    missing = [field for field in sender.assignment_fields if field not in before]
    if missing:
        row = (
            sender._base_manager.filter(pk=instance.pk)
            .values(*(f"{field}_id" for field in missing))
            .first()
        )
        before.update({field: (row or {}).get(f"{field}_id") for field in missing})


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
            pre_save.connect(_recall, sender=model, dispatch_uid=f"assign-recall-{model._meta}")
            post_save.connect(_follow, sender=model, dispatch_uid=f"assign-save-{model._meta}")
