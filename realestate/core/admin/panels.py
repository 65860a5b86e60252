"""Sections another app adds to a record's page: a client's account comes from finance.

The app that knows the records registers the panel (``panel_register(Client, Panel(...))``,
from its own admin), so the record's app does not import it and the arrows between apps run one
way. An admin shows the panels of its model with ``PanelsMixin``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from unfold.decorators import display


@dataclass(frozen=True)
class Panel:
    """A read-only section: ``fields`` are ``(name, label, render)`` with
    ``render(obj, user)`` returning the HTML to show; ``visible(request)`` says whether the
    user may see the section at all."""

    title: str
    fields: tuple[tuple[str, str, Callable], ...]
    visible: Callable = lambda request: True


PANELS: dict[type[models.Model], list[Panel]] = defaultdict(list)


def panel_register(model: type[models.Model], panel: Panel) -> None:
    if panel not in PANELS[model]:
        PANELS[model].append(panel)


class PanelsMixin:
    """Shows the panels registered for the admin's model, after its own fieldsets."""

    def _panels(self, request) -> list[Panel]:
        return [panel for panel in PANELS.get(self.model, ()) if panel.visible(request)]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        obj._viewer = request.user  # a panel shows only what this user may see
        return [
            *fieldsets,
            *(
                (panel.title, {"fields": [name for name, _l, _r in panel.fields]})
                for panel in self._panels(request)
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        for panel in PANELS.get(self.model, ()):
            for name, label, render in panel.fields:
                if not hasattr(type(self), name):
                    setattr(type(self), name, _panel_field(name, label, render))
                fields.append(name)
        return fields


def _panel_field(name: str, label: str, render: Callable):
    def field(self, obj):
        return render(obj, getattr(obj, "_viewer", None)) if obj.pk else "—"

    field.__name__ = name
    return display(description=label)(field)


#: Read-only inlines another app adds to every page of a model: a record's Documents tab.
TABS: dict[type[models.Model], list[type]] = defaultdict(list)


def tab_register(model: type[models.Model], inline: type) -> None:
    """Show ``inline`` (a read-only inline, usually ``tab = True``) on ``model``'s pages."""
    if inline not in TABS[model]:
        TABS[model].append(inline)


class TabsMixin:
    """Adds the tabs registered for the admin's model to a record's page (not the add page).
    They only show rows: a POST (saving the record) leaves them out, so a form posted
    without their management data saves as before."""

    def get_inline_instances(self, request, obj=None):
        instances = super().get_inline_instances(request, obj)
        if obj is None or obj.pk is None or request.method not in ("GET", "HEAD"):
            return instances
        for inline_class in TABS.get(self.model, ()):
            inline = inline_class(self.model, self.admin_site)
            if inline.has_view_permission(request, obj):
                instances.append(inline)
        return instances
