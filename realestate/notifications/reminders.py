"""Reminder jobs: what falls due, runs late or is about to lapse, told once per recipient,
record and step.

Set-based: each reminder is one query over the records due (``values_list``, read in
chunks by primary key) that works out each row's step, then ``notify_many`` per chunk,
which looks the chunk's keys up on their unique index and writes only the new ones.
Nothing is read row by row. (An anti-join against the notifications in the records' query
was tried: when the table had grown since its statistics, PostgreSQL planned it as a
nested loop over all the messages and a re-run took minutes.)

Once, however often, late or concurrently a job runs: a message's key is unique per kind,
step, recipient and record (``services.Message.key``), so a second run, or one beside it,
writes nothing again (on PostgreSQL the second insert of a key waits for the first's
transaction and then skips it).

Steps, and what a late run does:

- **Instalment due**: ``7d`` while it falls due within the next 7 days, ``0d`` on the day.
  A run that finds it due today sends ``0d`` only (``7d`` is not sent after the day).
- **Overdue** (``OVERDUE_REMINDER_DAYS``, 3, 10 and 30 days past due): only open
  receivables with a balance (a paid or void one gets nothing more). A run sends the
  *highest* step reached, if it was not sent; lower steps a late run passed are never sent
  afterwards, and a step is never sent twice. So a receivable found 12 days overdue by a
  first run gets the 10-day reminder, then the 30-day one on day 30.
- **Lease ending** (``LEASE_ENDING_DAYS``, 90, 60 and 30 days before the end): active
  leases with an end and no renewal yet, to the tenant and the unit's leasing manager; the
  nearest step reached, as for overdue.
- **Reservation expiring** (hourly): active reservations lapsing within 24 hours, to the
  agent, once per reservation and expiry time (an extended one is told again).
- **Lead follow-up due**: open leads whose next follow-up is today (or up to a week past,
  when the job did not run), to the agent, once per lead and follow-up date.
- **Viewing tomorrow**: scheduled viewings tomorrow, to the agent and the client, once per
  viewing and day.
- **Identity document expiring**: clients whose document expires within 30 days, to their
  agent, once per client and expiry date.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Case, CharField, Exists, OuterRef, QuerySet, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from realestate.notifications.choices import MessageKind as K
from realestate.notifications.events import (
    Managers,
    company_name,
    content_type_id,
    day,
    moment,
    money,
    staff_people,
    to_client,
    to_staff,
)
from realestate.notifications.services import notify_many

logger = logging.getLogger(__name__)

#: Records read (and messages written) per chunk.
CHUNK = 5000
INSTALMENT_DAYS_AHEAD = 7
FOLLOW_UP_GRACE_DAYS = 7
ID_EXPIRY_DAYS_AHEAD = 30


def _chunks(queryset, *fields):
    """``queryset``'s rows as ``(pk, *fields)`` tuples, ``CHUNK`` at a time, by primary key
    (bounded memory; each chunk is one query on either database)."""
    last = None
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        rows = list(page.values_list("pk", *fields)[:CHUNK])
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _send(queryset, fields, build) -> int:
    """Read ``queryset`` in chunks, make each row's messages with ``build(row)`` (a list)
    and write them, one ``notify_many`` (one transaction) per chunk. Returns how many
    messages were new."""
    written = 0
    for rows in _chunks(queryset, *fields):
        messages = [message for row in rows for message in build(row) if message is not None]
        written += notify_many(messages)
    return written


def _days_step(field: str, today: date, steps, *, before: bool) -> Case:
    """The step a row has reached: with ``before`` (days left until ``field``), the
    smallest step not above the days left; else (days past ``field``) the largest step
    not above the days past."""
    ordered = sorted(steps) if before else sorted(steps, reverse=True)
    sign = 1 if before else -1
    whens = [
        When(**{f"{field}__lte": today + timedelta(days=sign * step)}, then=Value(str(step)))
        for step in ordered
    ]
    return Case(*whens, default=Value(""), output_field=CharField())


# --- money ----------------------------------------------------------------------------------


def _open_receivables():
    from django.db.models import F

    from realestate.finance.choices import UNSETTLED
    from realestate.finance.models import Receivable

    return Receivable.objects.filter(status__in=UNSETTLED, amount__gt=F("amount_paid"))


def instalments_due(today: date | None = None) -> int:
    """Instalments falling due within 7 days (step ``7d``) and on the day (``0d``), to the
    buyer."""
    from realestate.finance.choices import ReceivableKind
    from realestate.finance.models import Receivable

    today = today or timezone.localdate()
    company = company_name()
    ct_id = content_type_id(Receivable)
    due = (
        _open_receivables()
        .filter(
            kind=ReceivableKind.INSTALMENT,
            due_date__range=(today, today + timedelta(days=INSTALMENT_DAYS_AHEAD)),
        )
        .annotate(
            step_name=Case(
                When(due_date=today, then=Value("0d")),
                default=Value("7d"),
                output_field=CharField(),
            )
        )
    )
    fields = (
        "step_name",
        "sequence",
        "contract__number",
        "unit__code",
        "amount",
        "amount_paid",
        "currency",
        "due_date",
        "client_id",
        "client__name",
        "client__portal_user_id",
        "client__portal_user__language",
    )

    def build(row):
        (pk, step, sequence, contract, unit, amount, paid, currency, due_date, client_id) = row[:10]
        name, portal_user_id, language = row[10:]
        left = (due_date - today).days
        return [
            to_client(
                K.INSTALMENT_DUE,
                client_id=client_id,
                name=name,
                portal_user_id=portal_user_id,
                language=language,
                ct_id=ct_id,
                object_id=pk,
                step=step,
                context={
                    "number": sequence or "",
                    "contract": contract or "",
                    "unit": unit or "",
                    "amount": money(amount - paid),
                    "currency": currency,
                    "due_date": day(due_date),
                    "when": "today" if left == 0 else f"in {left} days",
                    "company": company,
                },
            )
        ]

    return _send(due, fields, build)


def overdue_receivables(today: date, steps) -> QuerySet:
    """Open receivables with a balance at least ``min(steps)`` days past due, annotated
    with the highest step reached (``step_name``)."""
    steps = sorted(set(steps))
    return (
        _open_receivables()
        .filter(due_date__lte=today - timedelta(days=steps[0]))
        .annotate(step_name=_days_step("due_date", today, steps, before=False))
    )


def receivables_overdue(today: date | None = None) -> int:
    """Overdue reminders to the client who owes: the highest step of
    ``OVERDUE_REMINDER_DAYS`` reached, once; stops when paid or void."""
    from realestate.finance.models import Receivable

    today = today or timezone.localdate()
    steps = settings.OVERDUE_REMINDER_DAYS
    if not steps:
        return 0
    company = company_name()
    ct_id = content_type_id(Receivable)
    overdue = overdue_receivables(today, steps)
    fields = (
        "step_name",
        "number",
        "description",
        "amount",
        "amount_paid",
        "currency",
        "due_date",
        "client_id",
        "client__name",
        "client__portal_user_id",
        "client__portal_user__language",
    )

    def build(row):
        pk, step, number, description, amount, paid, currency, due_date = row[:8]
        client_id, name, portal_user_id, language = row[8:]
        return [
            to_client(
                K.OVERDUE_REMINDER,
                client_id=client_id,
                name=name,
                portal_user_id=portal_user_id,
                language=language,
                ct_id=ct_id,
                object_id=pk,
                step=step,
                context={
                    "invoice": number,
                    "description": description,
                    "amount": money(amount),
                    "balance": money(amount - paid),
                    "currency": currency,
                    "due_date": day(due_date),
                    "days": (today - due_date).days,
                    "company": company,
                },
            )
        ]

    return _send(overdue, fields, build)


# --- leasing --------------------------------------------------------------------------------


def leases_ending(today: date | None = None) -> int:
    """Leases ending in ``LEASE_ENDING_DAYS`` (90, 60, 30): to the tenant and the unit's
    leasing manager, the nearest step reached, once. A lease already renewed is left out."""
    from realestate.leasing.choices import LeaseStatus
    from realestate.leasing.models import Lease

    today = today or timezone.localdate()
    steps = sorted(set(settings.LEASE_ENDING_DAYS))
    if not steps:
        return 0
    company = company_name()
    ct_id = content_type_id(Lease)
    ending = (
        Lease.objects.filter(
            status=LeaseStatus.ACTIVE,
            end_date__gte=today,
            end_date__lte=today + timedelta(days=steps[-1]),
        )
        .exclude(Exists(Lease.objects.filter(renewed_from=OuterRef("pk"))))
        .annotate(step_name=_days_step("end_date", today, steps, before=True))
    )
    fields = (
        "step_name",
        "number",
        "unit__code",
        "end_date",
        "tenant_id",
        "tenant__name",
        "tenant__portal_user_id",
        "tenant__portal_user__language",
        "unit__building__manager_id",
        "unit__project__manager_id",
    )
    managers = Managers()
    written = 0
    for rows in _chunks(ending, *fields):
        people = staff_people(user_id for row in rows for user_id in managers.of(row[9], row[10]))
        messages = []
        for row in rows:
            pk, step, number, unit, end_date, tenant_id, tenant, portal_user_id = row[:8]
            language, building_manager, project_manager = row[8:]
            context = {
                "lease": number,
                "unit": unit,
                "tenant": tenant,
                "end_date": day(end_date),
                "days": (end_date - today).days,
                "company": company,
            }
            messages.append(
                to_client(
                    K.LEASE_ENDING,
                    client_id=tenant_id,
                    name=tenant,
                    portal_user_id=portal_user_id,
                    language=language,
                    ct_id=ct_id,
                    object_id=pk,
                    step=step,
                    context=context,
                )
            )
            for user_id in managers.of(building_manager, project_manager):
                message = to_staff(
                    K.LEASE_ENDING,
                    user_id=user_id,
                    people=people,
                    model=Lease,
                    object_id=pk,
                    ct_id=ct_id,
                    step=step,
                    context=context,
                )
                if message is not None:
                    messages.append(message)
        written += notify_many(messages)
    return written


# --- sales and clients ----------------------------------------------------------------------


def _to_agents(queryset, model, kind: str, fields, context_of, step_of) -> int:
    """A message to each row's agent (``fields`` end with ``agent_id``), linked to the
    record's admin page; ``context_of(row)`` and ``step_of(row)`` make its data and step."""
    ct_id = content_type_id(model)
    written = 0
    for rows in _chunks(queryset, *fields):
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
        "client_id",
        "client__name",
        "client__portal_user_id",
        "client__portal_user__language",
        "agent_id",
    )
    written = 0
    for rows in _chunks(viewings, *fields):
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


# --- the jobs -------------------------------------------------------------------------------

DAILY = (
    ("instalments_due", instalments_due),
    ("overdue", receivables_overdue),
    ("leases_ending", leases_ending),
    ("follow_ups", follow_ups_due),
    ("viewings", viewings_tomorrow),
    ("id_documents", id_documents_expiring),
)


def reminders_daily(today: date | None = None) -> dict[str, int]:
    """Every daily reminder; ``{reminder: messages written}``. Safe to run twice, late or
    beside itself."""
    today = today or timezone.localdate()
    return {name: job(today) for name, job in DAILY}


def reminders_daily_task() -> str:
    written = reminders_daily()
    return ", ".join(f"{name} {count}" for name, count in written.items())


def reservations_expiring_task() -> str:
    return f"{reservations_expiring()} reservation reminder(s)"


__all__ = [
    "follow_ups_due",
    "id_documents_expiring",
    "instalments_due",
    "leases_ending",
    "receivables_overdue",
    "reminders_daily",
    "reservations_expiring",
    "viewings_tomorrow",
]
