"""The notifications' admin: templates checked and previewed, company defaults edited in the
list, the delivery log with "Send again", who sees what, and one's own settings page."""

import pytest
from django.urls import reverse

from realestate.accounts.roles import (
    ACCOUNTANT,
    ADMINISTRATOR,
    AUDITOR,
    LEASING_MANAGER,
    SALES_AGENT,
    SALES_MANAGER,
)
from realestate.notifications.choices import Channel, DeliveryStatus, MessageKind
from realestate.notifications.configuration import (
    kind_settings_ensure,
    message_templates_ensure,
    template_preview,
)
from realestate.notifications.defaults import DEFAULT_TEXTS
from realestate.notifications.models import Delivery, KindSetting, MessageTemplate
from tests.factories import DeliveryFactory, MessageTemplateFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_dispatch(settings):
    settings.NOTIFICATIONS_DISPATCH_INLINE = False


def url(model, view, *args):
    return reverse(f"admin:notifications_{model._meta.model_name}_{view}", args=args)


# --- Templates ------------------------------------------------------------------------------


def test_shipped_texts_are_written_once_and_staff_edits_are_kept():
    assert message_templates_ensure() == len(MessageKind.values) * len(Channel.values)
    template = MessageTemplate.objects.get(kind=MessageKind.PAYMENT_RECEIVED, channel="sms")
    assert template.body == DEFAULT_TEXTS[MessageKind.PAYMENT_RECEIVED][2]
    template.body = "Paid, thanks {{ name }}"
    template.save()
    assert message_templates_ensure() == 0
    template.refresh_from_db()
    assert template.body == "Paid, thanks {{ name }}"


def test_opening_the_list_shows_every_kind_and_channel(admin_client):
    response = admin_client.get(url(MessageTemplate, "changelist"))
    assert response.status_code == 200
    assert MessageTemplate.objects.count() == len(MessageKind.values) * len(Channel.values)
    filtered = admin_client.get(url(MessageTemplate, "changelist") + "?channel__exact=sms")
    assert filtered.status_code == 200


def test_change_form_shows_placeholders_and_preview(admin_client):
    message_templates_ensure()
    template = MessageTemplate.objects.get(kind=MessageKind.OVERDUE_REMINDER, channel="email")
    response = admin_client.get(url(MessageTemplate, "change", template.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert "{{ balance }}" in page and "What is still open" in page  # the kind's own
    assert "{{ company }}" in page  # every kind's
    assert "{{ tenant }}" not in page  # another kind's
    assert "Amira Haddad" in page  # the preview's sample name
    assert "days past due" in page


def test_a_broken_template_is_refused_naming_the_field_and_line(admin_client):
    message_templates_ensure()
    template = MessageTemplate.objects.get(kind=MessageKind.LEASE_RENEWED, channel="email")
    response = admin_client.post(
        url(MessageTemplate, "change", template.pk),
        {"subject": "Renewed {{ lease }}", "body": "Dear {{ name }},\n\n{% if %}\nBye"},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Body, line 3" in errors["body"][0]
    response = admin_client.post(
        url(MessageTemplate, "change", template.pk),
        {"subject": "{% include 'x.html' %}", "body": "ok"},
    )
    assert "not allowed" in response.context["adminform"].form.errors["subject"][0]
    template.refresh_from_db()
    assert template.body == DEFAULT_TEXTS[MessageKind.LEASE_RENEWED][1]


def test_a_good_template_saves(admin_client):
    template = MessageTemplateFactory(kind=MessageKind.LEASE_RENEWED, channel="email")
    response = admin_client.post(
        url(MessageTemplate, "change", template.pk),
        {"subject": "Renewed {{ lease }}", "body": "Hi {{ name }}"},
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.subject == "Renewed {{ lease }}"


def test_the_preview_endpoint_renders_unsaved_text(admin_client):
    answer = admin_client.post(
        url(MessageTemplate, "preview"),
        {"kind": MessageKind.PAYMENT_RECEIVED, "subject": "Got {{ amount }}", "body": "{{ name }}"},
    ).json()
    assert answer == {"subject": "Got 12,500.00", "text": "Amira Haddad", "problem": ""}
    problem = template_preview(MessageKind.PAYMENT_RECEIVED, "ok", "a\n{% for %}").problem
    assert problem.startswith("Body, line 2:")


# --- Company defaults -------------------------------------------------------------------------


def test_company_defaults_have_a_row_per_kind_edited_in_the_list(admin_client):
    response = admin_client.get(url(KindSetting, "changelist"))
    assert response.status_code == 200
    assert KindSetting.objects.count() == len(MessageKind.values)
    assert kind_settings_ensure() == 0
    rows = list(KindSetting.objects.order_by("pk"))
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "_save": "Save",
    }
    for index, row in enumerate(rows):
        data[f"form-{index}-id"] = str(row.pk)
        for channel in Channel.values:
            on = getattr(row, channel)
            if row.kind == MessageKind.LEASE_RENEWED and channel == "sms":
                on = True
            if on:
                data[f"form-{index}-{channel}"] = "on"
    response = admin_client.post(url(KindSetting, "changelist"), data)
    assert response.status_code == 302, response.content[:500]
    assert KindSetting.objects.get(kind=MessageKind.LEASE_RENEWED).sms is True


# --- Delivery log -------------------------------------------------------------------------------


def test_delivery_log_lists_filters_and_sends_failed_ones_again(admin_client):
    failed = DeliveryFactory(status=DeliveryStatus.FAILED, error="550 mailbox unavailable")
    sent = DeliveryFactory(status=DeliveryStatus.SENT, address="ok@example.com")
    response = admin_client.get(url(Delivery, "changelist") + "?status__exact=failed")
    assert response.status_code == 200
    page = response.content.decode()
    assert "550 mailbox unavailable" in page and "ok@example.com" not in page
    search = admin_client.get(url(Delivery, "changelist") + f"?q={sent.address}")
    assert sent.address in search.content.decode()

    response = admin_client.post(
        url(Delivery, "changelist"),
        {"action": "send_again", "_selected_action": [failed.pk, sent.pk]},
    )
    assert response.status_code == 302
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.attempts) == (DeliveryStatus.QUEUED, 0)
    assert sent.status == DeliveryStatus.SENT
    assert admin_client.get(url(Delivery, "change", failed.pk)).status_code == 200


def test_the_dashboard_counts_failed_messages(admin_client):
    DeliveryFactory(status=DeliveryStatus.FAILED)
    DeliveryFactory(status=DeliveryStatus.BOUNCED)
    response = admin_client.get(reverse("admin:index"))
    figures = {
        str(kpi["title"]): kpi["value"]
        for group in response.context["kpi_groups"]
        for kpi in group["kpis"]
    }
    assert figures["Failed messages"] == 1 and figures["Bounced e-mails"] == 1


@pytest.mark.parametrize(
    ("role", "sees", "resends", "edits_templates"),
    [
        (ADMINISTRATOR, True, True, True),
        (SALES_MANAGER, True, True, False),
        (LEASING_MANAGER, True, True, False),
        (AUDITOR, True, False, False),
        (SALES_AGENT, False, False, False),
        (ACCOUNTANT, False, False, False),
    ],
)
def test_who_sees_the_log_and_the_templates(client, roles, role, sees, resends, edits_templates):
    user = UserFactory(roles=[role], is_superuser=False)
    client.force_login(user)
    failed = DeliveryFactory(status=DeliveryStatus.FAILED)
    assert client.get(url(Delivery, "changelist")).status_code == (200 if sees else 403)
    client.post(
        url(Delivery, "changelist"), {"action": "send_again", "_selected_action": [failed.pk]}
    )
    failed.refresh_from_db()
    assert (failed.status == DeliveryStatus.QUEUED) is resends
    template = MessageTemplateFactory()
    answer = client.post(url(MessageTemplate, "change", template.pk), {"subject": "x", "body": "y"})
    assert (answer.status_code == 302) is edits_templates


# --- One's own settings -------------------------------------------------------------------------


def test_own_settings_page_saves_topic_and_channel_choices(client):
    user = UserFactory(is_staff=True, email="me@example.com")
    client.force_login(user)
    page = client.get(reverse("notification_settings"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="leases:sms"' in html
    assert "Lease ending" in html  # a legal notice, shown always on
    table = {row["topic"]: row for row in page.context["table"]}
    ticked = {
        f"{topic}:{cell['channel']}"
        for topic, row in table.items()
        for cell in row["channels"]
        if cell["on"]
    }
    ticked.discard("payments:email")
    ticked.add("leases:sms")
    response = client.post(reverse("notification_settings"), dict.fromkeys(ticked, "on"))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.notification_preferences == {"payments": {"email": False}, "leases": {"sms": True}}


def test_own_settings_need_a_staff_login(client):
    response = client.get(reverse("notification_settings"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_preferences_service_validates_and_keeps_other_choices():
    from django.core.exceptions import ValidationError

    from realestate.notifications.configuration import notification_preferences_save

    user = UserFactory(notification_preferences={"viewings": False})
    with pytest.raises(ValidationError):
        notification_preferences_save(user=user, choices={"gossip": {"email": True}})
    with pytest.raises(ValidationError):
        notification_preferences_save(user=user, choices={"leases": {"fax": True}})
    saved = notification_preferences_save(user=user, choices={"leases": {"push": False}})
    assert saved == {
        "viewings": {"in_app": False, "email": False, "sms": False, "push": False},
        "leases": {"push": False},
    }
    user.refresh_from_db()
    assert user.notification_preferences == saved


def test_a_legal_only_topic_cannot_be_switched_off(monkeypatch):
    from django.core.exceptions import ValidationError

    from realestate.notifications import configuration
    from realestate.notifications.choices import KIND_SPECS, KindSpec

    specs = {**KIND_SPECS, MessageKind.LEASE_RENEWED: KindSpec("leases", legal=True)}
    monkeypatch.setattr(configuration, "KIND_SPECS", specs)
    user = UserFactory()
    with pytest.raises(ValidationError, match="cannot be turned off"):
        configuration.notification_preferences_save(user=user, choices={"leases": False})
    saved = configuration.notification_preferences_save(
        user=user, choices={"leases": {"sms": True}}
    )
    assert saved == {"leases": {"sms": True}}
