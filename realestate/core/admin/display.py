"""How records look in lists and panels: status badges, money, links, small tables, dates."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.decorators import display
from unfold.widgets import UnfoldAdminTextInputWidget

from realestate.core.choices import DANGER, GOOD, INFO, NEUTRAL, WARNING, Palette  # noqa: F401
from realestate.core.money import format_money


def status_badge(field: str, palette: Palette, description=None):
    """A list column showing ``field``'s label as a badge in its palette's colour."""

    def badge(self, obj):
        value = getattr(obj, field)
        return value, getattr(obj, f"get_{field}_display")()

    badge.__name__ = f"{field}_badge"
    return display(description=description or _("Status"), ordering=field, label=palette.colours)(
        badge
    )


def label_html(text, colour: str = NEUTRAL):
    """The coloured label of ``status_badge``, as HTML for read-only fields and inlines."""
    return render_to_string("unfold/helpers/label.html", {"text": text, "type": colour})


def status_label(obj, palette: Palette, field: str = "status"):
    """``obj``'s status (or ``field``) as a label in its palette's colour."""
    return label_html(getattr(obj, f"get_{field}_display")(), palette.colour(getattr(obj, field)))


def money(amount, currency: str = ""):
    """``format_money`` that never wraps between the currency and the amount."""
    return format_html('<span class="whitespace-nowrap">{}</span>', format_money(amount, currency))


def money_column(field: str, description, ordering=None):
    """A list column or read-only field showing ``field`` as money in the record's currency."""

    def column(self, obj):
        return money(getattr(obj, field), obj.currency)

    column.__name__ = f"{field}_money"
    return display(description=description, ordering=ordering)(column)


def link(url: str, text):
    return format_html(
        '<a href="{}" class="text-primary-600 dark:text-primary-500 hover:underline">{}</a>',
        url,
        text,
    )


def small_table(headers, rows, empty=None, nowrap=True):
    """A compact table (unfold's table component) for read-only panels of a change form.
    Cells do not wrap (numbers, dates, money) unless ``nowrap`` is off."""
    if not rows:
        return format_html('<p class="text-base-500">{}</p>', empty or _("None yet."))
    if nowrap:
        rows = [
            [format_html('<span class="whitespace-nowrap">{}</span>', cell) for cell in row]
            for row in rows
        ]
    return render_to_string(
        "unfold/components/table.html", {"table": {"headers": headers, "rows": rows}}
    )


class NativeDateInput(UnfoldAdminTextInputWidget):
    """The browser's own date picker: works inside dialogs loaded after the page."""

    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value
