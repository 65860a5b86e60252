"""Admin building blocks every app's ``admin.py`` composes.

- ``ScopedAdminMixin`` routes every admin path through ``restrict(user, action)``: the
  changelist, search, autocomplete, change/delete pages, foreign-key choices and exports.
- ``BaseAdmin`` is unfold's ``ModelAdmin`` with that scoping and the house defaults.
- ``ImportExportAdmin`` adds CSV/XLSX import and export with unfold's forms.
- ``MapAdminMixin`` edits point and polygon fields on a Leaflet map.
- ``status_badge`` renders a status as a coloured label in lists; ``label_html`` the same
  label anywhere else (read-only fields, inlines, small tables).
- ``ServiceForm`` and ``WorkflowAdmin`` put a record's saving and its status moves through the
  app's services: a service's refusal shows as a form error or an error message, never as a
  half-written record.
- ``HistoryAdmin`` (``core.history_admin``) shows a record's history, readably, only to those
  who may see the record; ``ViewOnlyHistoryAdmin`` without offering to revert it (a revert
  would write past the services).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import URLPattern, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdminMixin, UserManage
from guardian.core import ObjectPermissionChecker
from import_export.admin import ExportActionModelAdmin, ImportExportModelAdmin
from leaflet.admin import LeafletGeoAdminMixin
from unfold.admin import ModelAdmin, TabularInline
from unfold.contrib.import_export.forms import ExportForm, ImportForm
from unfold.decorators import action, display
from unfold.forms import BaseDialogForm
from unfold.widgets import UnfoldAdminTextareaWidget, UnfoldAdminTextInputWidget

from realestate.core.history_admin import HistoryAdmin, ViewOnlyHistoryAdmin
from realestate.core.money import format_money
from realestate.core.permissions import (
    assignable_users,
    can_manage_grants,
    has_any_grant,
    is_agent_field,
    scope_filter,
)
from realestate.core.workflow import Rule


class ScopedChoicesMixin:
    """Foreign-key and many-to-many choices limited to what the user may see (an agent cannot
    attach another agent's client to a contract), for model admins and inlines alike."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        manager = related._default_manager
        if "queryset" not in kwargs and hasattr(manager, "restrict"):
            kwargs["queryset"] = manager.restrict(request.user, "view")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        manager = db_field.related_model._default_manager
        if "queryset" not in kwargs and hasattr(manager, "restrict"):
            kwargs["queryset"] = manager.restrict(request.user, "view")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def scope_choices(fields, model, user, rows) -> None:
    """Adjust a form's foreign-key choices for the records ``rows`` it edits: the value a
    record holds now stays a valid choice even outside the user's scope (a building's manager
    saves a unit whose project they do not see), and assignment fields offer only whom the
    user may assign to (``assignable_users``): an agent field, active agents only."""
    assigned = set(getattr(model, "assignment_fields", ()))
    for name, field in fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is None:
            continue
        current = [getattr(row, f"{name}_id", None) for row in rows]
        current = [pk for pk in current if pk is not None]
        if name in assigned:
            field.queryset = assignable_users(user, queryset, current,
                                              agents_only=is_agent_field(model, name))
        elif current and hasattr(queryset.model._default_manager, "restrict"):
            field.queryset = queryset.model._default_manager.filter(
                Q(pk__in=queryset.values("pk")) | Q(pk__in=current))


class ScopedAdminMixin(ScopedChoicesMixin):
    """Object-level scope for the admin, decided by ``scope_filter`` alone."""

    def _scope_cache(self, request) -> dict:
        cache = getattr(request, "_scope_cache", None)
        if cache is None:
            cache = request._scope_cache = {}
        return cache

    def _may(self, request, action: str, obj=None) -> bool:
        """Asked many times per page (buttons, actions, inlines): answered once per request
        for the model and once per record."""
        if obj is None:
            key = (self.model, action)
            compute = lambda: has_any_grant(request.user, self.model, action)  # noqa: E731
        else:
            key = (self.model, action, obj.pk)
            compute = lambda: self._record_in_scope(request.user, action, obj)  # noqa: E731
        cache = self._scope_cache(request)
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    def _record_in_scope(self, user, action: str, obj) -> bool:
        condition = scope_filter(user, self.model, action)
        if condition is None:
            return True
        return condition is not False and (
            self.model._default_manager.filter(condition, pk=obj.pk).exists()
        )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        condition = scope_filter(request.user, self.model, "view")
        if condition is None:
            return queryset
        return queryset.filter(condition) if condition is not False else queryset.none()

    def get_object(self, request, object_id, from_field=None):
        # Fetched once per request: the detail-action guard, the action and the page's
        # buttons all ask for the same record.
        key = ("object", self.model, str(object_id), from_field)
        cache = self._scope_cache(request)
        if key not in cache:
            cache[key] = super().get_object(request, object_id, from_field)
        if cache[key] is None:
            # Out of scope and missing look the same: a plain 404, no hint of existence.
            raise Http404(_("No such record, or not one you may see."))
        return cache[key]

    def has_view_permission(self, request, obj=None):
        return self._may(request, "view", obj)

    def get_urls(self):
        # A record's detail actions (dialogs, PDFs) answer 404 for a record out of the user's
        # scope before anything else: unfold would render an action's dialog first.
        prefix = f"{self.model._meta.app_label}_{self.model._meta.model_name}_"
        detail = {f"{prefix}{name}": name for name in
                  self._extract_action_names(getattr(self, "actions_detail", None) or [])}
        return [
            URLPattern(pattern.pattern, self._in_scope_only(pattern.callback, detail[pattern.name]),
                       pattern.default_args, pattern.name)
            if isinstance(pattern, URLPattern) and pattern.name in detail else pattern
            for pattern in super().get_urls()
        ]

    def _in_scope_only(self, view, name: str):
        # Steps need what their rule says (see core.workflow); reading actions (PDFs) the view.
        @functools.wraps(view)
        def guarded(request, *args, **kwargs):
            obj = self.get_object(request, kwargs.get("object_id"))  # 404 when out of scope
            if name in getattr(self, "steps", {}):
                self._step_guard(request, name, obj)
            return view(request, *args, **kwargs)

        return guarded

    def has_change_permission(self, request, obj=None):
        return self._may(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self._may(request, "delete", obj)

    def has_module_permission(self, request):
        return self.has_view_permission(request) or self.has_add_permission(request)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        scope_choices(form.base_fields, self.model, request.user, [obj] if obj else [])
        return form


class ScopedInline(ScopedChoicesMixin, TabularInline):
    """An inline whose choices are scoped like its admin's (see ``scope_choices``)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        fields = formset.form.base_fields
        if not any(hasattr(field, "queryset") for field in fields.values()):
            return formset
        rows = (list(self.model._default_manager.filter(**{formset.fk.name: obj}))
                if obj is not None and obj.pk else [])
        scope_choices(fields, self.model, request.user, rows)
        return formset


class GrantUserForm(UserManage):
    """Guardian's "pick a user" form, in the staff's words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].label = _("Username")
        self.fields["user"].help_text = _("The login name of the staff member (e.g. agent1).")


class GrantsAdminMixin(GuardedModelAdminMixin):
    """Single-record grants by hand (django-guardian's object-permission pages, styled by
    unfold): an "Access" button on the record's page, shown to those who may manage grants
    (administrators), who pick a user or a group and tick what it may do with this record.
    Every change is written to the admin log of the record. Fields that hand out access
    (``grant_fields``: a branch's manager) are read-only to everybody else.
    """

    change_form_template = None  # unfold's own: the button is a detail action
    #: Detail action added to every admin whose records take object grants.
    grants_action = "object_access"

    def __init__(self, model, admin_site):
        self.include_object_permissions_urls = hasattr(model._default_manager, "restrict")
        super().__init__(model, admin_site)
        if self.include_object_permissions_urls:
            self.actions_detail = [*(self.actions_detail or []), self.grants_action]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can_manage_grants(request.user):
            fields += [name for name in getattr(self.model, "grant_fields", ())
                       if name not in fields]
        return fields

    def get_obj_perms_user_select_form(self, request):
        return GrantUserForm

    def has_manage_grants_permission(self, request, object_id=None) -> bool:
        # Guardian's pages also need the admin to allow changes (a read-only admin, such as
        # receivables', takes its access from its contract or lease instead).
        return can_manage_grants(request.user) and self.has_change_permission(request)

    @action(description=_("Access"), icon="lock", permissions=["manage_grants"])
    def object_access(self, request, object_id):
        opts = self.model._meta
        return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_permissions",
                                args=[object_id]))

    def _grants_guard(self, request):
        if not self.has_manage_grants_permission(request):
            raise PermissionDenied

    def obj_perms_manage_view(self, request, object_pk):
        self._grants_guard(request)
        return super().obj_perms_manage_view(request, object_pk)

    def obj_perms_manage_user_view(self, request, object_pk, user_id):
        self._grants_guard(request)
        response = super().obj_perms_manage_user_view(request, object_pk, user_id)
        self._grants_logged(request, response, object_pk, get_user_model(), user_id)
        return response

    def obj_perms_manage_group_view(self, request, object_pk, group_id):
        self._grants_guard(request)
        response = super().obj_perms_manage_group_view(request, object_pk, group_id)
        self._grants_logged(request, response, object_pk, Group, group_id)
        return response

    def _grants_logged(self, request, response, object_pk, holder_model, holder_id):
        """After a saved grant form (guardian redirects only then): the record's admin log
        says who granted what to whom."""
        if request.method != "POST" or response.status_code != 302:
            return
        obj = self.model._default_manager.get(pk=object_pk)
        holder = holder_model._default_manager.get(pk=holder_id)
        checker = ObjectPermissionChecker(holder)
        held = sorted(checker.get_perms(obj))
        if holder_model is Group:
            who = _("group “%(name)s”") % {"name": holder}
        else:
            who = _("user “%(name)s” (%(login)s)") % {"name": holder,
                                                      "login": holder.get_username()}
        self.log_change(request, obj, _("Access of %(who)s set to: %(perms)s.") % {
            "who": who, "perms": ", ".join(held) or _("nothing")})


class BaseAdmin(ScopedAdminMixin, GrantsAdminMixin, ModelAdmin):
    list_per_page = 50
    list_filter_submit = True
    list_fullwidth = False
    warn_unsaved_form = True
    compressed_fields = True
    show_full_result_count = False  # the exact count of a large filtered list is costly


class ExportPermissionMixin:
    """Who may export: whoever may see rows, since the export is built from the changelist's
    queryset, which is already scoped and never reaches beyond what they see. Records of
    people (``personal_data = True`` on the model: clients, leads) also need the "export
    personal data" permission, which auditors do not hold unless it is given to them."""

    export_form_class = ExportForm

    def has_export_permission(self, request):
        if not self.has_view_permission(request):
            return False
        if getattr(self.model, "personal_data", False):
            return request.user.has_perm("accounts.export_personal_data")
        return True


class ImportExportAdmin(ExportPermissionMixin, BaseAdmin, ImportExportModelAdmin):
    import_form_class = ImportForm


class ExportAdmin(ExportPermissionMixin, BaseAdmin, ExportActionModelAdmin):
    """Export only (CSV/XLSX of the filtered list, or of the selected rows)."""


class MapAdminMixin(LeafletGeoAdminMixin):
    """Point and polygon fields on a Leaflet map sized for unfold's layout."""

    # In core/templates: form widgets render from app template folders only.
    map_template = "admin/leaflet/widget.html"
    settings_overrides = {}


def status_badge(field: str, colours: dict[str, str], description=None):
    """A list column showing ``field``'s label as a coloured badge."""

    def badge(self, obj):
        value = getattr(obj, field)
        return value, getattr(obj, f"get_{field}_display")()

    badge.__name__ = f"{field}_badge"
    return display(description=description or _("Status"), ordering=field, label=colours)(badge)


#: Badge colours by meaning, shared by every app's statuses.
GOOD, INFO, WARNING, DANGER, NEUTRAL = "success", "info", "warning", "danger", ""


def label_html(text, colour: str = NEUTRAL):
    """The coloured label of ``status_badge``, as HTML for read-only fields and inlines."""
    return render_to_string("unfold/helpers/label.html", {"text": text, "type": colour})


def status_label(obj, colours: dict[str, str], field: str = "status"):
    """``obj``'s status (or ``field``) as a coloured label."""
    return label_html(getattr(obj, f"get_{field}_display")(), colours.get(getattr(obj, field), ""))


def money(amount, currency: str = ""):
    """``format_money`` that never wraps between the currency and the amount."""
    return format_html('<span class="whitespace-nowrap">{}</span>',
                       format_money(amount, currency))


def money_column(field: str, description, ordering=None):
    """A list column or read-only field showing ``field`` as money in the record's currency."""

    def column(self, obj):
        return money(getattr(obj, field), obj.currency)

    column.__name__ = f"{field}_money"
    return display(description=description, ordering=ordering)(column)


def link(url: str, text):
    return format_html('<a href="{}" class="text-primary-600 dark:text-primary-500 '
                       'hover:underline">{}</a>', url, text)


def small_table(headers, rows, empty=None, nowrap=True):
    """A compact table (unfold's table component) for read-only panels of a change form.
    Cells do not wrap (numbers, dates, money) unless ``nowrap`` is off."""
    if not rows:
        return format_html('<p class="text-base-500">{}</p>', empty or _("None yet."))
    if nowrap:
        rows = [[format_html('<span class="whitespace-nowrap">{}</span>', cell) for cell in row]
                for row in rows]
    return render_to_string("unfold/components/table.html",
                            {"table": {"headers": headers, "rows": rows}})


class ReadOnlyMixin:
    """Rows to read only, never added, changed or deleted in the admin: they change through
    their services (receivables, schedules), or not at all (the audit log)."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MissingIs404Mixin:
    """A missing record is a 404, as one out of scope is (``ScopedAdminMixin``), not Django's
    redirect to the admin index; for admins that do not scope by record."""

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404(_("No such record, or not one you may see."))


class ReadOnlyInline(ReadOnlyMixin, TabularInline):
    """An inline that shows related rows (a schedule, allocations) and never edits them."""

    extra = 0
    can_delete = False
    hide_title = True  # each row's own columns say what it is
    tab = True


class NativeDateInput(UnfoldAdminTextInputWidget):
    """The browser's own date picker: works inside dialogs loaded after the page."""

    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


# --- forms that save through a service ----------------------------------------------------
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
    reason = forms.CharField(label=_("Reason"), max_length=255,
                             widget=UnfoldAdminTextareaWidget(attrs={"rows": 3}))


class ConfirmForm(BaseDialogForm):
    """A dialog that only confirms: the action runs on POST, with the CSRF check."""


def confirm(title, description, submit=None, form_class=ConfirmForm):
    """The ``dialog`` of an ``@action``: a confirmation with an optional form."""
    return {"title": title, "description": description, "form_class": form_class,
            "form_submit_text": submit or title}


@dataclass(frozen=True)
class StepAction:
    """An admin action that runs one workflow step (a ``core.workflow.step`` service).

    Declared in an admin's ``steps = {"name": StepAction(...)}``, it becomes the detail action
    ``name`` (a button on the record's page, with its dialog) and, with ``bulk``, the list
    action ``name_selected``. The step's rule decides who sees the button and who may run it
    (403 otherwise, the record unchanged); ``when`` decides on which records it applies.

    - ``when``: the statuses it applies in, or a predicate on the record; None: always.
    - ``dialog``: ``confirm(...)``; its form's cleaned data goes to ``arguments``. Every step
      has one (a plain confirmation by default): a step runs on a POST, never on a link.
    - ``arguments(data)``: the service's keyword arguments besides the record and ``by``.
    - ``call(admin, request, record, data)``: instead of calling the service directly.
    - ``opens(result, record)``: the record whose page opens afterwards (a new contract).
    - ``done``: the success message; ``%(record)s`` is the record.
    """

    service: Callable
    label: str
    icon: str
    done: str
    when: Collection[str] | Callable[[models.Model], bool] | None = None
    dialog: dict | None = None
    arguments: Callable[[dict], dict] | None = None
    call: Callable | None = None
    opens: Callable[[object, models.Model], models.Model] | None = None
    bulk: bool = False
    bulk_label: str | None = None
    url_path: str | None = None

    @property
    def rule(self) -> Rule:
        return self.service.rule

    def applies(self, record, status_field: str = "status") -> bool:
        if self.when is None:
            return True
        if callable(self.when):
            return bool(self.when(record))
        return getattr(record, status_field) in self.when

    def run(self, model_admin, request, record, data: dict):
        if self.call is not None:
            return self.call(model_admin, request, record, data)
        extra = self.arguments(data) if self.arguments else {}
        return self.service(**{self.rule.record: record}, by=request.user, **extra)


class OfferedActionsOnlyMixin:
    """A list action the user is not offered (their role does not allow it) answers 403 when
    posted anyway, instead of Django's quiet "No action selected"."""

    def changelist_view(self, request, extra_context=None):
        chosen = request.POST.get("action", "") if request.method == "POST" else ""
        if chosen and chosen not in self.get_actions(request) and chosen in {
                name for _func, name, _description in self._get_base_actions()}:
            raise PermissionDenied(_("You may not run “%(action)s” here.") % {"action": chosen})
        return super().changelist_view(request, extra_context)


class StepActionsMixin(OfferedActionsOnlyMixin):
    """Detail and bulk actions made from ``steps`` (see ``StepAction``).

    Buttons show only where the step applies and its rule lets the user run it; a request for
    a step the user may not run answers 403 (404 for a record out of their scope) before any
    dialog, and changes nothing; a refusal by the service shows as an error message.
    """

    steps: dict[str, StepAction] = {}
    status_field = "status"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        declared = cls.__dict__.get("steps", {})
        bulk = []
        for name, step_action in declared.items():
            setattr(cls, name, _detail_step(name, step_action))
            if step_action.bulk:
                setattr(cls, f"{name}_selected", _bulk_step(name, step_action))
                bulk.append(f"{name}_selected")
        if bulk:
            cls.actions = [*(cls.actions or []),
                           *(name for name in bulk if name not in (cls.actions or []))]

    @property
    def workflow_actions(self) -> dict[str, StepAction]:
        """The detail actions that move records (every one needs its step's rule)."""
        return self.steps

    def step_refusal(self, request, name: str, obj):
        """Why the user may not run step ``name`` on ``obj`` (None: they may)."""
        return self.steps[name].rule.refusal(
            request.user, obj, in_scope=lambda action: self._may(request, action, obj))

    def get_actions_detail(self, request, object_id):
        actions = super().get_actions_detail(request, object_id)
        obj = self.get_object(request, object_id)
        prefix = f"{self.model._meta.app_label}_{self.model._meta.model_name}_"
        return [
            action for action in actions
            if (name := action.action_name.removeprefix(prefix)) not in self.steps
            or (self.steps[name].applies(obj, self.status_field)
                and self.step_refusal(request, name, obj) is None)
        ]

    def _step_guard(self, request, name: str, obj) -> None:
        refusal = self.step_refusal(request, name, obj)
        if refusal is not None:
            if refusal.out_of_scope:
                raise Http404(refusal.message)
            raise refusal

    def _bulk_allowed(self, request, name: str) -> bool:
        rule = self.steps[name].rule
        if rule.scope == "change" and not self._may(request, "change"):
            return False
        return rule.may_at_all(request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        for name in self.steps:
            if f"{name}_selected" in actions and not self._bulk_allowed(request, name):
                del actions[f"{name}_selected"]
        return actions


    def perform(self, request, obj, name: str, call, success: str):
        """Run ``call()`` (a service call) if step ``name`` applies to ``obj``; report the
        outcome. Returns what the service returned, or None when nothing was done."""
        self._step_guard(request, name, obj)
        if not self.steps[name].applies(obj, self.status_field):
            self.message_user(request, self.not_applicable(obj), messages.WARNING)
            return None
        try:
            result = call()
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        self.message_user(request, success, messages.SUCCESS)
        return result

    def not_applicable(self, obj) -> str:
        status = getattr(obj, f"get_{self.status_field}_display", lambda: "")()
        return _("Nothing changed: %(record)s is %(status)s.") % {
            "record": obj, "status": str(status).lower()}

    def bulk(self, request, queryset, name: str):
        """Run step ``name`` on each selected record the user may run it on; say what was
        refused or did not apply, record by record."""
        step_action = self.steps[name]
        done = 0
        for obj in queryset:
            refusal = self.step_refusal(request, name, obj)
            if refusal is not None:
                self.message_user(request, f"{obj}: {refusal.message}", messages.ERROR)
                continue
            if not step_action.applies(obj, self.status_field):
                self.message_user(request, self.not_applicable(obj), messages.WARNING)
                continue
            try:
                with transaction.atomic():
                    step_action.run(self, request, obj, {})
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
        if done:
            self.message_user(request, _("%(action)s: %(count)s done.")
                              % {"action": step_action.bulk_label or step_action.label,
                                 "count": done}, messages.SUCCESS)

    @staticmethod
    def go(request, url):
        """Where a (dialog) action ends: htmx follows ``HX-Redirect``, a plain POST a 302."""
        if request.headers.get("HX-Request"):
            return HttpResponse(headers={"HX-Redirect": str(url)})
        return redirect(url)

    def change_url(self, obj):
        opts = obj._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def _detail_step(name: str, step_action: StepAction):
    def run(self, request, *args, object_id=None, **kwargs):
        form = args[0] if args else None
        record = self.get_object(request, object_id)
        data = form.cleaned_data if form is not None else {}
        result = self.perform(request, record, name,
                              lambda: step_action.run(self, request, record, data),
                              step_action.done % {"record": record})
        target = record
        if result is not None and step_action.opens is not None:
            target = step_action.opens(result, record) or record
        return self.go(request, self.change_url(target))

    run.__name__ = run.__qualname__ = name
    dialog = step_action.dialog or confirm(step_action.label, _("Confirm to go ahead."))
    return action(description=step_action.label, icon=step_action.icon,
                  url_path=step_action.url_path or name.replace("_", "-"), dialog=dialog)(run)


def _bulk_step(name: str, step_action: StepAction):
    def run(self, request, queryset):
        self.bulk(request, queryset, name)

    run.__name__ = run.__qualname__ = f"{name}_selected"
    return action(description=step_action.bulk_label or step_action.label,
                  icon=step_action.icon)(run)


class RecordPaymentMixin:
    """"Record payment" on a page whose record has invoices due (an invoice, a contract, a
    lease): the payment form opens for its client, aimed at those invoices. Shown to those
    who may post payments; ``unsettled_receivables(obj)`` says which invoices."""

    def unsettled_receivables(self, obj):
        raise NotImplementedError

    def has_record_payment_permission(self, request, object_id=None):
        payments = self.admin_site._registry.get(apps.get_model("finance", "Payment"))
        if not (payments and payments.has_add_permission(request)):
            return False
        if object_id is None:
            return True
        obj = self.get_object(request, object_id)
        return self.unsettled_receivables(obj).restrict(request.user, "view").exists()

    @action(description=_("Record payment"), url_path="record-payment", icon="add_card",
            permissions=["record_payment"])
    def record_payment(self, request, object_id):
        obj = self.get_object(request, object_id)
        due = list(self.unsettled_receivables(obj).restrict(request.user, "view")
                   .order_by("due_date", "pk").values_list("client_id", "pk"))
        if not due:
            self.message_user(request, _("Nothing is due on %(record)s.") % {"record": obj},
                              messages.WARNING)
            return redirect(self.change_url(obj))
        client = due[0][0]  # a contract's or a lease's invoices are all its client's
        invoices = ",".join(str(pk) for owner, pk in due if owner == client)
        query = urlencode({"client": client, "invoices": invoices})
        return redirect(f"{reverse('admin:finance_payment_add')}?{query}")


class WorkflowAdmin(StepActionsMixin, BaseAdmin):
    """An admin whose records move only through their services.

    - Forms that subclass ``ServiceForm`` save through the service; a POST that does not end
      with the record saved is rolled back as a whole.
    - Status moves are ``steps`` (see ``StepAction``), each allowed by its service's rule.
    """

    # --- saving through services ---------------------------------------------------------
    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.request = request  # a class built for this request alone
        return form

    def save_model(self, request, obj, form, change):
        request._workflow_saved = True
        if getattr(form, "saved_by_service", False):
            return
        if change and isinstance(form, ServiceForm):
            form.save_edited_fields(obj)
            return
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        # A record made by a workflow is worked on next: open it, where its actions are.
        if any(key in request.POST for key in (IS_POPUP_VAR, "_addanother", "_continue",
                                                "_saveasnew")):
            return super().response_add(request, obj, post_url_continue)
        self.message_user(request, _("%(name)s “%(obj)s” was added.")
                          % {"name": capfirst(obj._meta.verbose_name), "obj": obj},
                          messages.SUCCESS)
        return redirect(self.change_url(obj))

    def save_related(self, request, form, formsets, change):
        # The inlines were built around the form's unsaved instance; a service saves (and
        # returns) its own: the inline rows belong to that one.
        for formset in formsets:
            formset.instance = form.instance
        super().save_related(request, form, formsets, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with transaction.atomic():
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if request.method == "POST" and not getattr(request, "_workflow_saved", False):
                transaction.set_rollback(True)
        return response


__all__ = [
    "BaseAdmin",
    "ConfirmForm",
    "ExportAdmin",
    "ImportExportAdmin",
    "MapAdminMixin",
    "MissingIs404Mixin",
    "NativeDateInput",
    "ReadOnlyInline",
    "ReadOnlyMixin",
    "ReasonForm",
    "ScopedAdminMixin",
    "ScopedInline",
    "ServiceForm",
    "StepAction",
    "StepActionsMixin",
    "OfferedActionsOnlyMixin",
    "HistoryAdmin",
    "ViewOnlyHistoryAdmin",
    "WorkflowAdmin",
    "confirm",
    "label_html",
    "link",
    "money",
    "money_column",
    "small_table",
    "status_badge",
    "status_label",
]


from realestate.core import audit_admin, jobs_admin  # noqa: E402,F401  (the log, the job pages)
