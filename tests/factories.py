"""Factories for every domain record; tests build their data with these."""

from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.geos import Point
from django.utils import timezone

from realestate.accounts.models import Agent, Branch, User
from realestate.clients.models import Client, Lead, Viewing
from realestate.properties.choices import ProjectStatus, UnitPurpose, UnitType
from realestate.properties.models import Amenity, Building, Project, Unit

DUBAI = (55.2708, 25.2048)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pass")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get_or_create(name=name)[0])
        if create:
            self.save()


class SuperUserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"super{n}")
    is_superuser = True


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"branch-{n}")
    name = factory.Sequence(lambda n: f"Branch {n}")
    city = "Dubai"
    location = factory.LazyFunction(lambda: Point(*DUBAI, srid=4326))


class AgentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agent

    user = factory.SubFactory(UserFactory)
    branch = factory.SubFactory(BranchFactory)
    licence_number = factory.Sequence(lambda n: f"BRN-{10000 + n}")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"project-{n}")
    name = factory.Sequence(lambda n: f"Project {n}")
    status = ProjectStatus.UNDER_CONSTRUCTION
    city = "Dubai"
    location = factory.LazyFunction(lambda: Point(*DUBAI, srid=4326))


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building
        django_get_or_create = ("code",)

    project = factory.SubFactory(ProjectFactory)
    code = factory.Sequence(lambda n: f"BLD-{n}")
    name = factory.Sequence(lambda n: f"Tower {n}")
    floors = 30
    location = factory.LazyAttribute(lambda o: o.project.location)


class AmenityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Amenity
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Amenity {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U-{n:05d}")
    project = factory.SubFactory(ProjectFactory)
    building = None
    unit_type = UnitType.APARTMENT
    purpose = UnitPurpose.SALE
    floor = 3
    bedrooms = 2
    bathrooms = 2
    area_sqm = Decimal("110.50")
    list_price = Decimal("1850000.00")
    monthly_rent = None
    currency = "AED"
    location = factory.LazyFunction(lambda: Point(*DUBAI, srid=4326))
    agent = None


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"client{n}@example.com")
    phone = factory.Sequence(lambda n: f"+971 50 {n:07d}")
    agent = None


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead

    client = factory.SubFactory(ClientFactory)
    agent = factory.LazyAttribute(lambda o: o.client.agent)
    unit_type = UnitType.APARTMENT
    bedrooms = 2


class ViewingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Viewing

    client = factory.SubFactory(ClientFactory)
    unit = factory.SubFactory(UnitFactory)
    agent = factory.LazyAttribute(lambda o: o.client.agent)
    scheduled_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=1))


# --- Records of the admin's other models (added for the admin page tests) -----------------


class InventorySnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "properties.InventorySnapshot"
        django_get_or_create = ("taken_on",)

    taken_on = factory.LazyFunction(timezone.localdate)
    total = 3
    by_status = factory.LazyFunction(lambda: {"available": 2, "sold": 1})


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Group {n}")


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
        {"id": f"{n:032x}", "name": f"queued-{n}", "func": "math.floor", "args": (1.5,),
         "kwargs": {}, "group": None}
    )


# --- sales, leasing and money ------------------------------------------------------------------
# Records in a workflow state are made through the services (as staff would); these
# factories make the plain rows, in their initial state.
def _number(prefix):
    return factory.Sequence(lambda n: f"{prefix}-T-{n:05d}")


class PaymentPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sales.PaymentPlan"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Plan {n}")
    down_payment_percent = Decimal("10")
    instalment_count = 12
    frequency = "monthly"
    handover_percent = Decimal("20")
    grace_months = 1


class ReservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sales.Reservation"

    number = _number("RS")
    unit = factory.SubFactory(UnitFactory)
    client = factory.SubFactory(ClientFactory)
    deposit = Decimal("25000.00")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=7))


class SaleContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sales.SaleContract"

    number = _number("SC")
    unit = factory.SubFactory(UnitFactory)
    buyer = factory.SubFactory(ClientFactory)
    price = Decimal("1850000.00")
    discount = Decimal("0.00")
    net_price = Decimal("1850000.00")


class CommissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sales.Commission"

    contract = factory.SubFactory(SaleContractFactory)
    agent = factory.SubFactory(UserFactory)
    rate = Decimal("2.00")
    amount = Decimal("37000.00")


class LeaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leasing.Lease"

    number = _number("LS")
    unit = factory.SubFactory(UnitFactory, purpose="rent", list_price=None,
                              monthly_rent=Decimal("8000.00"))
    tenant = factory.SubFactory(ClientFactory)
    start_date = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    end_date = factory.LazyAttribute(lambda o: o.start_date.replace(year=o.start_date.year + 1)
                                     - timezone.timedelta(days=1))
    monthly_rent = Decimal("8000.00")
    deposit_amount = Decimal("8000.00")


class RentChargeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leasing.RentCharge"

    lease = factory.SubFactory(LeaseFactory)
    period_start = factory.LazyAttribute(lambda o: o.lease.start_date)
    period_end = factory.LazyAttribute(lambda o: o.lease.start_date + timezone.timedelta(days=29))
    due_date = factory.LazyAttribute(lambda o: o.period_start)
    amount = Decimal("8000.00")


class DepositTransactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leasing.DepositTransaction"

    lease = factory.SubFactory(LeaseFactory)
    movement = "received"
    amount = Decimal("8000.00")
    occurred_on = factory.LazyFunction(timezone.localdate)


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leasing.Vendor"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Vendor {n} LLC")
    trade = "plumbing"


class MaintenanceRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leasing.MaintenanceRequest"

    number = _number("MR")
    unit = factory.SubFactory(UnitFactory)
    category = "plumbing"
    title = "Leaking kitchen tap"


class ReceivableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "finance.Receivable"

    number = _number("INV")
    client = factory.SubFactory(ClientFactory)
    kind = "fee"
    description = "Admin fee"
    issue_date = factory.LazyFunction(timezone.localdate)
    due_date = factory.LazyFunction(timezone.localdate)
    amount = Decimal("1000.00")


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "finance.Payment"

    number = _number("RC")
    client = factory.SubFactory(ClientFactory)
    method = "transfer"
    amount = Decimal("1000.00")
    received_on = factory.LazyFunction(timezone.localdate)


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "finance.Allocation"

    payment = factory.SubFactory(PaymentFactory)
    receivable = factory.SubFactory(ReceivableFactory,
                                    client=factory.SelfAttribute("..payment.client"))
    amount = Decimal("500.00")


class PaymentReversalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "finance.PaymentReversal"

    payment = factory.SubFactory(PaymentFactory, status="reversed")
    reason = "Cheque bounced"


class LateFeePolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "finance.LateFeePolicy"

    name = factory.Sequence(lambda n: f"Policy {n}")
    project = factory.SubFactory(ProjectFactory)
    grace_days = 5
    method = "percent"
    percent = Decimal("2.00")


class ExpenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "finance.Expense"

    unit = factory.SubFactory(UnitFactory)
    category = "maintenance"
    amount = Decimal("750.00")
    incurred_on = factory.LazyFunction(timezone.localdate)
    description = "AC service"


class OwnerStatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "finance.OwnerStatement"

    owner = factory.SubFactory(ClientFactory)
    period_start = factory.Sequence(
        lambda n: timezone.localdate().replace(day=1) - timezone.timedelta(days=31 * n))
    period_end = factory.LazyAttribute(lambda o: o.period_start + timezone.timedelta(days=27))
    rent_collected = Decimal("10000.00")
    management_fee_base = Decimal("10000.00")
    management_fee_rate = Decimal("5.00")
    management_fee = Decimal("500.00")
    expenses = Decimal("750.00")
    net_payable = Decimal("8750.00")


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
