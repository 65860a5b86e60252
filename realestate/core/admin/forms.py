"""Forms that save through a service, and the dialogs of detail actions."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from unfold.forms import BaseDialogForm
from unfold.widgets import UnfoldAdminTextareaWidget


class ServiceForm(forms.ModelForm):
    """A model form whose saving is a service call.

    ``save_through_service(by)`` runs once the form is otherwise valid (at the end of
    validation), so a service's refusal (a ``ValidationError``) shows on the form like any other
    error. It returns the saved record, or ``None`` for a plain edit, which the admin saves
    with ``save_edited_fields`` (only the form's own fields, never a status). The admin
    (``WorkflowAdmin``) runs the whole POST in one transaction and rolls it back unless the
    record was saved, so a later failure (an invalid inline) leaves nothing behind.
    """

    #: The current request; ``WorkflowAdmin.get_form`` sets it on the form class it builds.
    request = None
    saved_by_service = False

    def save_through_service(self, by):
        return None

    def _post_clean(self):
        super()._post_clean()
        if self._errors:
            return
        try:
            saved = self.save_through_service(getattr(self.request, "user", None))
        except ValidationError as error:
            self.add_service_error(error)
            return
        if saved is not None:
            self.instance = saved
            self.saved_by_service = True

    #: Fields the model's ``save()`` computes from the edited ones (a net price).
    computed_fields: tuple[str, ...] = ()

    def save_edited_fields(self, instance=None):
        """Save only the fields this form edits (and what ``save()`` derives from them), so
        a plain edit never writes back a status or an amount a service changed meanwhile."""
        instance = instance or self.instance
        concrete = {field.name for field in instance._meta.concrete_fields}
        fields = [name for name in self.fields if name in concrete]
        fields += [name for name in (*self.computed_fields, "updated_at") if name in concrete]
        if self.request is not None:
            instance._history_user = self.request.user
        instance.save(update_fields=fields)
        return instance

    def add_service_error(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            self.add_error(field if field in self.fields else None, errors)


class ReasonForm(BaseDialogForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=255, widget=UnfoldAdminTextareaWidget(attrs={"rows": 3})
    )


class ConfirmForm(BaseDialogForm):
    """A dialog that only confirms: the action runs on POST, with the CSRF check."""


def confirm(title, description, submit=None, form_class=ConfirmForm):
    """The ``dialog`` of an ``@action``: a confirmation with an optional form."""
    return {
        "title": title,
        "description": description,
        "form_class": form_class,
        "form_submit_text": submit or title,
    }
