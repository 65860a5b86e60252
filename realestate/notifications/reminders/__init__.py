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

from datetime import date

from django.utils import timezone

from realestate.notifications.reminders.agents import (
    follow_ups_due,
    id_documents_expiring,
    reservations_expiring,
    viewings_tomorrow,
)
from realestate.notifications.reminders.base import CHUNK
from realestate.notifications.reminders.leases import leases_ending
from realestate.notifications.reminders.money import (
    instalments_due,
    open_receivables,
    overdue_receivables,
    receivables_overdue,
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
    "CHUNK",
    "DAILY",
    "follow_ups_due",
    "id_documents_expiring",
    "instalments_due",
    "leases_ending",
    "open_receivables",
    "overdue_receivables",
    "receivables_overdue",
    "reminders_daily",
    "reminders_daily_task",
    "reservations_expiring",
    "reservations_expiring_task",
    "viewings_tomorrow",
]
