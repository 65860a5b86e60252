"""Factories: The job pages' records and the audit log."""

import factory
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from tests.factories.accounts import GroupFactory, UserFactory


class ScheduleFactory(factory.django.DjangoModelFactory):
    """A django-q2 schedule of a harmless standard-library function."""

    class Meta:
        model = "django_q.Schedule"

    name = factory.Sequence(lambda n: f"test-schedule-{n}")
    func = "math.floor"
    args = "1.5"
    schedule_type = "D"  # daily
    next_run = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=1))


class SuccessFactory(factory.django.DjangoModelFactory):
    """A finished django-q2 task; ``success`` decides whether it lists as Success or Failure."""

    class Meta:
        model = "django_q.Success"

    id = factory.Sequence(lambda n: f"{n:032x}")
    name = factory.Sequence(lambda n: f"test-task-{n}")
    func = "math.floor"
    args = (1.5,)
    kwargs = factory.LazyFunction(dict)
    result = 1
    started = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(seconds=5))
    stopped = factory.LazyFunction(timezone.now)
    success = True


class FailureFactory(SuccessFactory):
    class Meta:
        model = "django_q.Failure"

    result = "ZeroDivisionError: division by zero"
    success = False


class OrmQFactory(factory.django.DjangoModelFactory):
    """A task waiting in django-q2's database queue, with a properly signed payload."""

    class Meta:
        model = "django_q.OrmQ"

    key = "realestate"
    payload = factory.Sequence(lambda n: _signed_task_package(n))


def _signed_task_package(n: int) -> str:
    from django_q.signing import SignedPackage

    return SignedPackage.dumps(
        {
            "id": f"{n:032x}",
            "name": f"queued-{n}",
            "func": "math.floor",
            "args": (1.5,),
            "kwargs": {},
            "group": None,
        }
    )


class LogEntryFactory(factory.django.DjangoModelFactory):
    """An admin log line: a user changed a role's name."""

    class Meta:
        model = "admin.LogEntry"

    user = factory.SubFactory(UserFactory)
    content_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Group))
    object_id = factory.LazyAttribute(lambda o: str(GroupFactory().pk))
    object_repr = "Sales Agent"
    action_flag = 2  # change
    change_message = '[{"changed": {"fields": ["Name"]}}]'


class ImportJobFactory(factory.django.DjangoModelFactory):
    """A checked import of a one-row units CSV, its file stored as an upload would be."""

    class Meta:
        model = "core.ImportJob"

    user = factory.SubFactory(UserFactory)
    table = "properties.unit"
    file = factory.django.FileField(
        filename="units.csv", data=b"Code,Unit type,Area (m2),List price\nF-1,villa,300,1\n"
    )
    file_name = "units.csv"
    file_format = "csv"
    status = "done"
    rows_new = 1


class ExportJobFactory(factory.django.DjangoModelFactory):
    """A finished background export of the units list, its workbook stored."""

    class Meta:
        model = "core.ExportJob"

    user = factory.SubFactory(UserFactory)
    model = "properties.unit"
    file = factory.django.FileField(filename="unit-export.xlsx", data=b"PK\x03\x04 workbook")
    status = "done"
    total = 1
    done = 1
