"""Scheduled jobs of notifications. Each is safe to run twice, late, or concurrently."""

from realestate.core.schedules import JobSchedule

SCHEDULES = [
    JobSchedule(
        name="notifications-dispatch",
        func="realestate.notifications.dispatch.deliveries_dispatch",
        cron="* * * * *",
        description="Sends queued e-mail, SMS, push and in-app messages; retries failures.",
    ),
    JobSchedule(
        name="notifications-reminders",
        func="realestate.notifications.reminders.reminders_daily_task",
        cron="0 7 * * *",
        description="Instalments due, overdue invoices, leases ending, follow-ups, viewings "
        "tomorrow and identity documents expiring: each reminder once per person and step.",
    ),
    JobSchedule(
        name="notifications-reservations-expiring",
        func="realestate.notifications.reminders.reservations_expiring_task",
        cron="5 * * * *",
        description="Tells agents of their reservations lapsing within 24 hours, once each.",
    ),
]
