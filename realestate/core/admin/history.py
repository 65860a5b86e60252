"""A record's history pages (django-simple-history): readable, and scoped like the record.

simple_history falls back to the history table when the admin's (scoped) queryset does not
hold the record, then refuses with 403: a record out of scope answered differently from a
missing one. Here both are a plain 404, and so is the history of a deleted record, whose scope
went with it, unless the user sees every row of the model.
"""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject, ModelChange, ModelDelta
from simple_history.template_utils import HistoricalRecordContextHelper

from realestate.core.permissions import scope_filter


def _changed(field, old, new):
    """``(old, new)`` values of ``field`` between two history rows, or None if equal; related
    records as objects (a deleted one as ``DeletedObject``)."""
    before, after = getattr(old, field.attname), getattr(new, field.attname)
    if before == after:
        return None
    if field.is_relation:

        def related(row, pk):
            if pk is None:
                return None
            try:
                return getattr(row, field.name)
            except ObjectDoesNotExist:
                return DeletedObject(field.related_model, pk)

        return related(old, before), related(new, after)
    return before, after


class ReadableHistoryContext(HistoricalRecordContextHelper):
    """History deltas in words: an empty value reads "—" (not "Deleted payment plan
    (pk=None)"), a choice its label ("Signed", not "signed")."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value in (None, "") or (isinstance(value, DeletedObject) and value.pk is None):
            return "—"
        if getattr(field, "flatchoices", None) and not isinstance(value, list | dict):
            return dict(field.flatchoices).get(value, value)
        return super().prepare_delta_change_value(change, value)


class HistoryAdmin(SimpleHistoryAdmin):
    """A record's history, with readable changes and the reason of each row, for those who
    may see the record (put it before the scoped admin in the bases)."""

    #: Bookkeeping that changes on every save and says nothing on its own.
    history_quiet_fields = ("updated_at",)

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryContext(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each row's changes against the row before it, for every field the history keeps,
        the ones staff cannot edit included: a status moved by a workflow step, an amount paid
        (simple_history compares editable fields only)."""
        previous = None
        for current in historical_records:
            if previous is not None:
                changes = [
                    ModelChange(field.name, *values)
                    for field in previous.tracked_fields
                    if field.name not in self.history_quiet_fields
                    and (values := _changed(field, current, previous)) is not None
                ]
                delta = ModelDelta(changes, [c.field for c in changes], current, previous)
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def history_guard(self, request, object_id) -> None:
        """404 unless the record is in the user's scope, or deleted and the user sees every
        row of the model (simple_history then shows its history, or answers 404 itself)."""
        try:
            in_scope = self.get_object(request, unquote(object_id)) is not None
        except Http404:  # ScopedAdminMixin: out of scope or missing
            in_scope = False
        if in_scope:
            return
        # The admin's queryset is the whole model for such a user: the record is not live.
        if scope_filter(request.user, self.model, "view") is not None:
            raise Http404(_("No such record, or not one you may see."))

    def history_view(self, request, object_id, extra_context=None):
        self.history_guard(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.history_guard(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class ViewOnlyHistoryAdmin(HistoryAdmin):
    """History to read, never to revert: a revert saves an old row past the services."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
