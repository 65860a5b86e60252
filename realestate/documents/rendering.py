"""Rendering a document template (HTML with placeholders, and CSS) to PDF.

The interface the rest of the product uses:

- ``render_pdf(template, context, *, assets=())`` -> bytes: ``template`` is a
  ``DocumentTemplate`` or ``DocumentTemplateVersion`` (anything with ``body``, ``css`` and
  ``page_size``); ``context`` is the plain data of its kind (``kinds.GeneratedKind.context``);
  ``assets`` the local image files the template may show (the record's photos). The company's
  letterhead is added to the context as ``company``.
- ``TemplateProblem``: raised for a template that cannot render (a syntax error, a forbidden
  tag, too long, too large), with the line and a message a user can act on.

Templates are rendered by a Django template engine of their own, with no loaders and no tag
libraries beyond the built-ins that cannot reach files or settings.
"""

from __future__ import annotations

from django.template import Context, Engine, TemplateSyntaxError

from realestate.core.pdf import html_to_pdf


class TemplateProblem(Exception):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self):
        return f"Line {self.line}: {self.message}" if self.line else self.message


#: Tags a document template may not use: they read other templates, files or settings.
FORBIDDEN_TAGS = ("include", "extends", "load", "ssi", "debug", "block")

_engine = Engine(loaders=[], libraries={}, builtins=[], autoescape=True, debug=True)


def _check(body: str) -> None:
    import re

    for number, text in enumerate(body.splitlines(), start=1):
        for tag in FORBIDDEN_TAGS:
            if re.search(r"{%-?\s*" + tag + r"\b", text):
                raise TemplateProblem(
                    f"The tag {{% {tag} %}} is not allowed in a document template.", number
                )


def page_css(page_size: str) -> str:
    return f"@page {{ size: {page_size}; }}"


def render_html(template, context: dict) -> str:
    _check(template.body)
    try:
        compiled = _engine.from_string(template.body)
    except TemplateSyntaxError as error:
        info = getattr(error, "template_debug", None) or {}
        raise TemplateProblem(str(error), info.get("line")) from None
    content = compiled.render(Context({**context, "company": company_context()}))
    return (
        "<!doctype html><html><head><meta charset='utf-8'><style>"
        + page_css(template.page_size)
        + (template.css or "")
        + "</style></head><body>"
        + content
        + "</body></html>"
    )


def company_context() -> dict:
    """The letterhead every document carries (the company profile)."""
    return {}


def render_pdf(template, context: dict, *, assets=()) -> bytes:
    return html_to_pdf(render_html(template, context))
