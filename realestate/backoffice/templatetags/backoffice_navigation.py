"""Page headers that name a model's pages as the sidebar does."""

from django import template

from realestate.backoffice.navigation import breadcrumb_names

register = template.Library()


@register.simple_tag
def sidebar_named(parts):
    """unfold's header parts, with a model's list and its section titled as in the sidebar."""
    names = breadcrumb_names()
    parts = [dict(part) for part in parts]
    for index, part in enumerate(parts):
        found = names.get(str(part.get("link") or ""))
        if found is None:
            continue
        section, item = found
        part["title"] = item
        if index > 0:
            parts[index - 1]["title"] = section
    return parts
