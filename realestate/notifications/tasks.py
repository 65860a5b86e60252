"""Scheduled jobs of notifications. Each is safe to run twice, late, or concurrently."""

from realestate.core.schedules import JobSchedule

SCHEDULES = [
    JobSchedule(
        name="notifications-dispatch",
        func="realestate.notifications.dispatch.deliveries_dispatch",
        cron="* * * * *",
        description="Sends queued e-mail, SMS, push and in-app messages; retries failures.",
    ),
]
