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
    return shipped_texts(kind, channel)


def shipped_texts(kind: str, channel: str) -> tuple[str, str]:
    """(subject, body) the product ships for ``kind`` on ``channel`` (``defaults``)."""
    subject, body, sms, _placeholders = DEFAULT_TEXTS[kind]
    return subject, sms if channel == Channel.SMS else body


def render_text(body: str, context: dict) -> str:
    """``body`` rendered as plain text (the sandbox escapes HTML; a text has none)."""
    return html.unescape(render_body(body, context)).strip()


def message_render(
    notification: Notification,
    channel: str,
    *,
    texts: tuple[str, str] | None = None,
    company: dict | None = None,
) -> Rendered:
    """The notification's texts on ``channel``. A template that fails to render (staff broke
    it) raises ``TemplateProblem``: the delivery fails with its message, for staff to mend.
    ``texts`` and ``company``: the template's and the letterhead's, when already read."""
    from realestate.documents.company import company_context

    subject, body = texts or template_texts(notification.kind, channel, notification.language)
    company = company or company_context()
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


def in_app_texts_fill(notifications) -> None:
    """Render and keep the titles and texts of those of ``notifications`` not rendered yet
    (a reminder run's, before the dispatch got to them), for a page of the centre or of the
    API: the in-app templates and the letterhead read once, one UPDATE for all."""
    untitled = [notification for notification in notifications if not notification.title]
    if not untitled:
        return
    from realestate.documents.company import company_context

    company = company_context()
    found = {
        (kind, language): (subject, body)
        for kind, language, subject, body in MessageTemplate.objects.filter(
            channel=Channel.IN_APP, kind__in={notification.kind for notification in untitled}
        ).values_list("kind", "language", "subject", "body")
    }
    rendered = []
    for notification in untitled:
        texts = found.get((notification.kind, notification.language)) or found.get(
            (notification.kind, "en")
        )
        if texts is None:
            texts = shipped_texts(notification.kind, Channel.IN_APP)
        try:
            result = message_render(notification, Channel.IN_APP, texts=texts, company=company)
        except TemplateProblem:
            continue  # in_app_texts shows the kind's name, and keeps nothing
        notification.title = result.subject[:255]
        notification.body = result.text
        rendered.append(notification)
    Notification.objects.bulk_update(rendered, ["title", "body"])
