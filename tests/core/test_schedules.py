"""Scheduled jobs: registered once however often migrate runs, and safe to run twice."""

import pytest
from django.utils import timezone
from django_q.models import Schedule, Task
from django_q.tasks import async_task

from realestate.core.schedules import declared_schedules, schedules_register
from realestate.properties.choices import UnitStatus
from realestate.properties.models import InventorySnapshot
from realestate.properties.services import unit_take_off_market
from tests.factories import UnitFactory

NAME = "inventory-snapshot-nightly"
FUNC = "realestate.properties.tasks.inventory_snapshot_take"

pytestmark = pytest.mark.django_db


def test_migrate_registered_the_nightly_snapshot():
    # The test database was built by migrate, whose post_migrate hook registers schedules.
    schedule = Schedule.objects.get(name=NAME)

    assert schedule.func == FUNC
    assert schedule.schedule_type == Schedule.CRON
    assert schedule.cron == "5 0 * * *"


def test_registering_twice_more_keeps_one_schedule():
    schedules_register()
    schedules_register()

    assert Schedule.objects.filter(name=NAME).count() == 1
    assert Schedule.objects.get(name=NAME).func == FUNC


def test_every_declared_job_has_exactly_one_schedule():
    schedules_register()
    schedules_register()

    declared = declared_schedules()
    assert NAME in {job.name for job in declared}
    for job in declared:
        assert list(Schedule.objects.filter(name=job.name).values_list("func", flat=True)) == [
            job.func
        ]


def test_registering_repairs_a_schedule_edited_by_hand():
    Schedule.objects.filter(name=NAME).update(func="somewhere.else", cron="0 12 * * *")

    schedules_register()

    schedule = Schedule.objects.get(name=NAME)
    assert (schedule.func, schedule.cron) == (FUNC, "5 0 * * *")


def test_declared_functions_are_importable():
    from django.utils.module_loading import import_string

    for job in declared_schedules():
        assert callable(import_string(job.func)), job.func


def run_scheduled_job(name: str) -> Task:
    """Run a registered schedule's function the way a worker would, in this process."""
    schedule = Schedule.objects.get(name=name)
    # sync=True sends the task through django-q's worker and monitor in-process; an exception
    # in the job is raised here instead of being stored as a failure.
    task_id = async_task(schedule.func, sync=True)
    return Task.objects.get(id=task_id)


def expected_counts(**counts) -> dict:
    return {status: counts.get(status, 0) for status in UnitStatus.values}


def test_nightly_job_takes_todays_snapshot():
    UnitFactory.create_batch(3)
    UnitFactory(status=UnitStatus.OFF_MARKET)
    UnitFactory(status=UnitStatus.SOLD)

    task = run_scheduled_job(NAME)

    assert task.success is True
    snapshot = InventorySnapshot.objects.get(taken_on=timezone.localdate())
    assert snapshot.total == 5
    assert snapshot.by_status == expected_counts(available=3, off_market=1, sold=1)
    assert "5 units" in task.result


def test_nightly_job_twice_updates_todays_row():
    first_units = UnitFactory.create_batch(2)
    run_scheduled_job(NAME)
    assert InventorySnapshot.objects.get(taken_on=timezone.localdate()).total == 2

    UnitFactory(status=UnitStatus.LEASED)
    unit_take_off_market(unit=first_units[0])
    run_scheduled_job(NAME)

    assert InventorySnapshot.objects.count() == 1
    snapshot = InventorySnapshot.objects.get(taken_on=timezone.localdate())
    assert snapshot.total == 3
    assert snapshot.by_status == expected_counts(available=1, off_market=1, leased=1)


def test_snapshot_of_an_empty_inventory():
    run_scheduled_job(NAME)

    snapshot = InventorySnapshot.objects.get(taken_on=timezone.localdate())
    assert snapshot.total == 0
    assert snapshot.by_status == expected_counts()


def test_yesterdays_snapshot_is_left_alone():
    yesterday = timezone.localdate() - timezone.timedelta(days=1)
    InventorySnapshot.objects.create(taken_on=yesterday, total=7, by_status={"available": 7})
    UnitFactory()

    run_scheduled_job(NAME)

    assert InventorySnapshot.objects.get(taken_on=yesterday).total == 7
    assert InventorySnapshot.objects.get(taken_on=timezone.localdate()).total == 1
