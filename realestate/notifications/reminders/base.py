"""What the reminder jobs share: reading the records due in chunks, writing each chunk's
messages, the step a row has reached."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Case, CharField, Value, When

from realestate.notifications.services import notify_many

#: Records read (and messages written) per chunk.
CHUNK = 5000
INSTALMENT_DAYS_AHEAD = 7
FOLLOW_UP_GRACE_DAYS = 7
ID_EXPIRY_DAYS_AHEAD = 30


def chunks(queryset, *fields):
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


def send(queryset, fields, build) -> int:
    """Read ``queryset`` in chunks, make each row's messages with ``build(row)`` (a list)
    and write them, one ``notify_many`` (one transaction) per chunk. Returns how many
    messages were new."""
    written = 0
    for rows in chunks(queryset, *fields):
        messages = [message for row in rows for message in build(row) if message is not None]
        written += notify_many(messages)
    return written


def days_step(field: str, today: date, steps, *, before: bool) -> Case:
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
