"""Reminders to agents (and a viewing's client): reservations expiring, follow-ups due,
viewings tomorrow, identity documents expiring."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone

from realestate.notifications.choices import MessageKind as K
from realestate.notifications.events import (
    CLIENT_FIELDS,
    company_name,
    content_type_id,
    day,
    moment,
    staff_people,
    to_client,
    to_staff,
)
from realestate.notifications.reminders.base import (
    FOLLOW_UP_GRACE_DAYS,
    ID_EXPIRY_DAYS_AHEAD,
    chunks,
)
from realestate.notifications.services import notify_many


def _to_agents(queryset, model, kind: str, fields, context_of, step_of) -> int:
    """A message to each row's agent (``fields`` end with ``agent_id``), linked to the
    record's admin page; ``context_of(row)`` and ``step_of(row)`` make its data and step."""
    ct_id = content_type_id(model)
    written = 0
    for rows in chunks(queryset, *fields):
        people = staff_people(row[-1] for row in rows)
        messages = [
            to_staff(
                kind,
                user_id=row[-1],
                people=people,
                model=model,
                object_id=row[0],
                ct_id=ct_id,
                step=step_of(row),
                context=context_of(row),
            )
            for row in rows
        ]
        written += notify_many(message for message in messages if message is not None)
    return written


def reservations_expiring(now: datetime | None = None) -> int:
    """Active reservations lapsing within 24 hours, to their agent; once per reservation
    and expiry time (hourly)."""
    from realestate.sales.choices import ReservationStatus
    from realestate.sales.models import Reservation

    now = now or timezone.now()
    company = company_name()
    expiring = Reservation.objects.filter(
        status=ReservationStatus.ACTIVE,
        expires_at__gt=now,
        expires_at__lte=now + timedelta(hours=24),
        agent__isnull=False,
    ).annotate(step_name=Cast("expires_at", CharField()))
    fields = ("step_name", "number", "unit__code", "client__name", "expires_at", "agent_id")
    return _to_agents(
        expiring,
        Reservation,
        K.RESERVATION_EXPIRING,
        fields,
        lambda row: {
            "reservation": row[2],
            "unit": row[3],
            "client": row[4],
            "expires_at": moment(row[5]),
            "company": company,
        },
        lambda row: row[1],
    )


def follow_ups_due(today: date | None = None) -> int:
    """Open leads whose follow-up is due today (or was, up to a week ago, if the job did
    not run), to their agent; once per lead and follow-up date."""
    from realestate.clients.choices import LeadStatus
    from realestate.clients.models import Lead

    today = today or timezone.localdate()
    company = company_name()
    due = (
        Lead.objects.filter(
            next_follow_up__range=(today - timedelta(days=FOLLOW_UP_GRACE_DAYS), today),
            agent__isnull=False,
        )
        .exclude(status__in=(LeadStatus.WON, LeadStatus.LOST))
        .annotate(step_name=Cast("next_follow_up", CharField()))
    )
    fields = ("code", "client__name", "next_follow_up", "agent_id")
    return _to_agents(
        due,
        Lead,
        K.FOLLOW_UP_DUE,
        fields,
        lambda row: {
            "lead": row[1],
            "client": row[2],
            "follow_up_on": day(row[3]),
            "company": company,
        },
        lambda row: day(row[3]),
    )


def viewings_tomorrow(today: date | None = None) -> int:
    """Scheduled viewings tomorrow: to the agent and the client, once per viewing and day."""
    from realestate.clients.choices import ViewingStatus
    from realestate.clients.models import Viewing

    today = today or timezone.localdate()
    tomorrow = today + timedelta(days=1)
    zone = timezone.get_current_timezone()
    start = datetime.combine(tomorrow, time.min, tzinfo=zone)
    end = start + timedelta(days=1)
    step = day(tomorrow)
    company = company_name()
    ct_id = content_type_id(Viewing)
    viewings = Viewing.objects.filter(
        status=ViewingStatus.SCHEDULED, scheduled_at__gte=start, scheduled_at__lt=end
    )
    fields = (
        "unit__code",
        "scheduled_at",
        *CLIENT_FIELDS,
        "agent_id",
    )
    written = 0
    for rows in chunks(viewings, *fields):
        people = staff_people(row[7] for row in rows)
        messages = []
        for pk, unit, scheduled, client_id, client, portal_user_id, language, agent_id in rows:
            agent = people.get(agent_id, ("", ""))[0]
            base = {
                "unit": unit,
                "date": day(tomorrow),
                "time": timezone.localtime(scheduled).strftime("%H:%M"),
                "company": company,
            }
            messages.append(
                to_client(
                    K.VIEWING_TOMORROW,
                    client_id=client_id,
                    name=client,
                    portal_user_id=portal_user_id,
                    language=language,
                    ct_id=ct_id,
                    object_id=pk,
                    step=step,
                    context={**base, "with": agent},
                )
            )
            if agent_id:
                messages.append(
                    to_staff(
                        K.VIEWING_TOMORROW,
                        user_id=agent_id,
                        people=people,
                        model=Viewing,
                        object_id=pk,
                        ct_id=ct_id,
                        step=step,
                        context={**base, "with": client},
                    )
                )
        written += notify_many(message for message in messages if message is not None)
    return written


def id_documents_expiring(today: date | None = None) -> int:
    """Clients whose identity document expires within 30 days, to their agent; once per
    client and expiry date."""
    from realestate.clients.models import Client

    today = today or timezone.localdate()
    company = company_name()
    expiring = Client.objects.filter(
        id_expiry__range=(today, today + timedelta(days=ID_EXPIRY_DAYS_AHEAD)),
        agent__isnull=False,
    ).annotate(step_name=Cast("id_expiry", CharField()))
    fields = ("name", "code", "id_type", "id_expiry", "agent_id")
    labels = dict(Client._meta.get_field("id_type").flatchoices)
    return _to_agents(
        expiring,
        Client,
        K.ID_DOCUMENT_EXPIRING,
        fields,
        lambda row: {
            "client": row[1],
            "code": row[2],
            "id_type": str(labels.get(row[3], row[3] or "identity document")),
            "expiry": day(row[4]),
            "company": company,
        },
        lambda row: day(row[4]),
    )
