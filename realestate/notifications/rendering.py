"""A message's texts: its kind's template for the channel and language, rendered over the
message's data in the document templates' sandbox (staff write these templates)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.html import linebreaks

from realestate.documents.sandbox import TemplateProblem, render_body
from realestate.notifications.choices import Channel
from realestate.notifications.defaults import DEFAULT_TEXTS
from realestate.notifications.models import MessageTemplate, Notification


@dataclass
class Rendered:
    subject: str
    text: str
    html: str = ""
    #: (file name, bytes, content type)
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)


def template_texts(kind: str, channel: str, language: str) -> tuple[str, str]:
    """(subject, body) of the template for ``kind`` on ``channel`` in ``language``: staff's,
    else staff's English one, else the shipped default."""
    for lang in dict.fromkeys([language, "en"]):
        found = (
            MessageTemplate.objects.filter(kind=kind, channel=channel, language=lang)
            .values_list("subject", "body")
            .first()
        )
        if found:
            return found
    subject, body, sms, _placeholders = DEFAULT_TEXTS[kind]
    return subject, sms if channel == Channel.SMS else body


def render_text(body: str, context: dict) -> str:
    """``body`` rendered as plain text (the sandbox escapes HTML; a text has none)."""
    return html.unescape(render_body(body, context)).strip()


def message_render(notification: Notification, channel: str) -> Rendered:
    """The notification's texts on ``channel``. A template that fails to render (staff broke
    it) raises ``TemplateProblem``: the delivery fails with its message, for staff to mend."""
    from realestate.documents.company import company_context

    subject, body = template_texts(notification.kind, channel, notification.language)
    company = company_context()
    # The company signs as it is named when the message goes out, whatever it was called
    # when the message was written.
    context = {**notification.context, "company": company["name"]}
    text = render_text(body, context)
    rendered = Rendered(subject=" ".join(render_text(subject, context).split()), text=text)
    if channel == Channel.EMAIL:
        rendered.html = render_to_string(
            "notifications/email.html",
            {"subject": rendered.subject, "body": linebreaks(text), "company": company},
        )
    return rendered


def in_app_texts(notification: Notification) -> tuple[str, str]:
    """The centre's title and text of ``notification`` (rendered once, then kept)."""
    if notification.title:
        return notification.title, notification.body
    try:
        rendered = message_render(notification, Channel.IN_APP)
    except TemplateProblem:
        return str(notification.get_kind_display()), ""
    notification.title = rendered.subject[:255]
    notification.body = rendered.text
    Notification.objects.filter(pk=notification.pk).update(
        title=notification.title, body=notification.body
    )
    return notification.title, notification.body


__all__ = ["Rendered", "TemplateProblem", "message_render", "in_app_texts", "template_texts"]
