"""Object-level scope in the admin: every path (lists, search, autocomplete, pages, detail
actions, foreign-key choices) goes through ``restrict(user, action)``."""

from __future__ import annotations

import functools

from django.db.models import Q
from django.http import Http404
from django.urls import URLPattern
from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline

from realestate.core.permissions import (
    assignable_users,
    has_any_grant,
    is_agent_field,
    scope_filter,
)


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
            field.queryset = assignable_users(
                user, queryset, current, agents_only=is_agent_field(model, name)
            )
        elif current and hasattr(queryset.model._default_manager, "restrict"):
            field.queryset = queryset.model._default_manager.filter(
                Q(pk__in=queryset.values("pk")) | Q(pk__in=current)
            )


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
        detail = {
            f"{prefix}{name}": name
            for name in self._extract_action_names(getattr(self, "actions_detail", None) or [])
        }
        return [
            URLPattern(
                pattern.pattern,
                self._in_scope_only(pattern.callback, detail[pattern.name]),
                pattern.default_args,
                pattern.name,
            )
            if isinstance(pattern, URLPattern) and pattern.name in detail
            else pattern
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
        rows = (
            list(self.model._default_manager.filter(**{formset.fk.name: obj}))
            if obj is not None and obj.pk
            else []
        )
        scope_choices(fields, self.model, request.user, rows)
        return formset
