"""Every admin list exports: CSV and XLSX, of the filtered list or of the selected rows, with
human headers and codes for related records, within the user's scope, in a constant number
of queries, logged; large XLSX exports build in the background and download only for their
requester (or an administrator).

The lists are read from the admin site itself: a newly registered admin without an export
fails here until it declares its columns or is exempted below with its reason."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_q.models import Failure, OrmQ, Schedule, Success

from realestate.accounts.roles import AUDITOR
from realestate.clients.models import Client, Lead
from realestate.core.admin.base import ExportPermissionMixin
from realestate.core.importing import export_jobs
from realestate.core.importing.list_exports import export_columns_of, export_headers
from realestate.core.importing.tables import table_of_model
from realestate.core.models import ExportJob
from realestate.core.permissions import grant
from realestate.documents.models import BranchLetterhead, CompanyProfile, DocumentTemplate
from realestate.finance.models import Allocation, Receivable
from realestate.sales.models import Reservation
from tests import factories
from tests.factories import (
    AllocationFactory,
    ClientFactory,
    LeadFactory,
    ReceivableFactory,
    ReservationFactory,
    SuperUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

#: Admin lists with no export, and why.
EXEMPT = {
    Group: "roles are declared in fixtures/roles.json and kept in sync by sync_roles",
    Schedule: "the job cluster's own bookkeeping, not a business record",
    Success: "the job cluster's own bookkeeping, not a business record",
    Failure: "the job cluster's own bookkeeping, not a business record",
    OrmQ: "the job cluster's own bookkeeping, not a business record",
    CompanyProfile: "one settings record, edited on its page",
    BranchLetterhead: "settings of each branch's letterhead, edited on their pages",
    DocumentTemplate: "template bodies (HTML and CSS), not rows for a spreadsheet",
    ExportJob: "the exports themselves: each one's file is the export",
}
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
EXPORTED = [model for model in REGISTERED if model not in EXEMPT]
FORMATS = {"csv": "0", "xlsx": "1"}


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def make(model):
    factory = getattr(factories, f"{model.__name__}Factory")
    return factory()


def read(response, file_format: str) -> tuple[list, list]:
    """(headers, rows) of an export answer, read back as a spreadsheet would."""
    assert response.status_code == 200, response.content[:2000]
    content = b"".join(response.streaming_content)
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return rows[0], rows[1:]


def names(headers: list, rows: list) -> list:
    """The "Name" column of exported clients (their code comes first: the file imports back)."""
    return [row[headers.index("Name")] for row in rows]


def export(client, model, file_format="csv", query="", **data):
    return client.post(
        url(model, "export") + (f"?{query}" if query else ""),
        {"format": FORMATS[file_format], "resource": "0", **data},
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the background exports' workbooks


@pytest.fixture
def superuser_request(rf, superuser):
    request = rf.get("/admin/")
    request.user = superuser
    return request


def test_every_list_exports_or_says_why_not():
    for model, reason in EXEMPT.items():
        assert model in admin.site._registry and len(reason) > 20, model
    for model in EXPORTED:
        model_admin = admin.site._registry[model]
        assert isinstance(model_admin, ExportPermissionMixin), (
            f"{model._meta.label}: its list has no export; make its admin a BaseAdmin or add "
            "ListExportMixin, or exempt it in tests/imports/test_exports.py with a reason"
        )
        assert table_of_model(model) or export_columns_of(model_admin), (
            f"{model._meta.label}: declare its export_columns"
        )


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("model", EXPORTED, ids=lambda model: model._meta.label)
def test_every_list_exports_csv_and_xlsx(
    admin_client, superuser_request, superuser, model, file_format
):
    make(model), make(model)
    model_admin = admin.site._registry[model]
    page = admin_client.get(url(model, "export"))
    assert page.status_code == 200
    headers = export_headers(model_admin, superuser_request)
    assert headers[0] in page.content.decode()  # the page says what the file holds

    got_headers, rows = read(export(admin_client, model, file_format), file_format)

    assert got_headers == headers
    for header in headers:  # human words, not field names
        assert header[:1].isupper() and "_" not in header, header
    # Every row the superuser's list holds (the export's own audit entry included).
    assert len(rows) == model_admin.get_queryset(superuser_request).count() >= 1


@pytest.mark.parametrize("model", EXPORTED, ids=lambda model: model._meta.label)
def test_export_queries_do_not_grow_with_the_rows(admin_client, model):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = export(admin_client, model)
            b"".join(response.streaming_content)
        assert response.status_code == 200
        return len(captured.captured_queries)

    make(model)
    few = queries()
    for _ in range(4):
        make(model)
    assert queries() == few


@pytest.mark.parametrize("model", EXPORTED, ids=lambda model: model._meta.label)
def test_every_list_builds_in_the_background_too(admin_client, superuser_request, model):
    """The job replays each list's changelist outside a request, as its requester."""
    make(model)
    job = ExportJob.objects.create(user=superuser_request.user, model=export_jobs.model_key(model))
    export_jobs.export_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == "done", job.message
    headers, rows = read(
        admin_client.get(reverse("admin:core_exportjob_file", args=[job.pk])), "xlsx"
    )
    assert headers == export_headers(admin.site._registry[model], superuser_request)
    assert len(rows) == job.done == job.total >= 1


def test_money_dates_choices_and_codes_come_out_as_such(admin_client):
    receivable = ReceivableFactory(amount=Decimal("1250.50"), amount_paid=Decimal("250.25"))
    headers, [row] = read(export(admin_client, Receivable, "xlsx"), "xlsx")
    cells = dict(zip(headers, row, strict=True))
    assert cells["Invoice number"] == receivable.number
    assert cells["Client"] == receivable.client.name  # a name, never an id
    assert cells["Amount"] == 1250.5 and cells["Balance"] == 1000.25  # numbers
    assert isinstance(cells["Due"], datetime.datetime)  # a date cell
    assert cells["Due"].date() == receivable.due_date
    assert cells["Kind"] == receivable.get_kind_display()  # the label, not the stored value
    assert cells["Status"] == receivable.get_status_display()

    headers, [row] = read(export(admin_client, Receivable, "csv"), "csv")
    cells = dict(zip(headers, row, strict=True))
    assert (cells["Amount"], cells["Due"]) == ("1250.50", receivable.due_date.isoformat())


def test_the_filtered_list_and_the_selected_rows(admin_client):
    anna, bob, carl = (ClientFactory(name=name) for name in ("Anna Filter", "Bob Filter", "Carl"))

    headers, rows = read(export(admin_client, Client, query="q=Filter"), "csv")
    assert sorted(names(headers, rows)) == ["Anna Filter", "Bob Filter"]

    # The "Export selected" action shows the form, which posts the ticked rows.
    action = admin_client.post(
        url(Client, "changelist"),
        {"action": "export_admin_action", "_selected_action": [anna.pk, carl.pk]},
    )
    assert action.status_code == 200 and b"2 selected items" in action.content
    response = export(admin_client, Client, "xlsx", export_items=[anna.pk, carl.pk])
    headers, rows = read(response, "xlsx")
    assert sorted(names(headers, rows)) == ["Anna Filter", "Carl"]
    assert bob.name not in names(headers, rows)


def test_the_export_button_keeps_the_filters(admin_client):
    ClientFactory(name="Anna")
    page = admin_client.get(url(Client, "changelist"), {"q": "Anna"})
    assert f'href="{url(Client, "export")}?q=Anna"' in page.content.decode()


def test_an_agent_exports_only_their_rows(client, agent1, agent2):
    mine = ReservationFactory(agent=agent1)
    ReservationFactory(agent=agent2)
    my_lead = LeadFactory(agent=agent1, client=ClientFactory(name="Lead of mine"))
    LeadFactory(agent=agent2, client=ClientFactory(name="Lead of theirs"))
    client.force_login(agent1)

    _headers, rows = read(export(client, Reservation), "csv")
    assert [row[0] for row in rows] == [mine.number]

    assert export(client, Lead).status_code == 403  # people: the personal-data permission
    agent1.user_permissions.add(Permission.objects.get(codename="export_personal_data"))
    _headers, rows = read(export(client, Lead, "xlsx"), "xlsx")
    assert [row[0] for row in rows] == [my_lead.code]


def test_records_of_people_need_the_personal_data_permission(client, roles):
    ReceivableFactory(), LeadFactory()
    auditor = UserFactory(username="auditor", roles=[AUDITOR])
    client.force_login(auditor)
    assert export(client, Receivable).status_code == 200
    for model in (Client, Lead, type(auditor)):
        assert client.get(url(model, "changelist")).status_code == 200  # they read the list
        assert export(client, model).status_code == 403, model
        page = client.get(url(model, "changelist")).content.decode()
        assert f'href="{url(model, "export")}' not in page  # and see no Export button


def test_formulas_are_written_as_text(admin_client):
    ClientFactory(name='=HYPERLINK("http://evil","x")', phone="+971 50 123 4567")
    headers, rows = read(export(admin_client, Client, "csv"), "csv")
    assert names(headers, rows) == ['\'=HYPERLINK("http://evil","x")']
    response = export(admin_client, Client, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = sheet.cell(row=2, column=headers.index("Name") + 1)
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://evil","x")'


def test_each_export_is_logged_once_with_who_what_and_how_many(admin_client, superuser):
    for name in ("Anna", "Bob", "Anna Two"):
        ClientFactory(name=name)
    before = LogEntry.objects.count()
    read(export(admin_client, Client, "xlsx", query="q=Anna"), "xlsx")
    assert LogEntry.objects.count() == before + 1
    entry = LogEntry.objects.latest("pk")
    assert entry.user == superuser and entry.content_type.model == "client"
    assert entry.object_repr == "Export of 2 clients"
    assert entry.change_message == "Exported 2 clients as XLSX (list filtered by q=Anna)."


def test_a_large_xlsx_builds_in_the_background_and_downloads_for_its_owner_only(
    client, admin_client, superuser, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.EXPORT_BACKGROUND_ROWS = 3
    settings.EXPORT_PROGRESS_EVERY = 2
    for n in range(7):
        ClientFactory(name=f"Bulk {n}")
    ClientFactory(name="Someone else")

    # CSV streams whatever its size.
    _headers, rows = read(export(admin_client, Client, "csv", query="q=Bulk"), "csv")
    assert len(rows) == 7

    with django_capture_on_commit_callbacks(execute=True):
        response = export(admin_client, Client, "xlsx", query="q=Bulk")
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:core_exportjob_change", args=[job.pk])
    assert (job.status, job.total, job.query, job.user) == ("queued", 7, "q=Bulk", superuser)
    assert OrmQ.objects.count() == 1  # handed to the job cluster, not built in the request
    page = admin_client.get(response["Location"])
    assert b"progress-box" in page.content

    progress_url = reverse("admin:core_exportjob_progress", args=[job.pk])
    seen = []
    advance = ExportJob.progress_advance

    def watched(self, done):
        advance(self, done)
        polled = admin_client.get(progress_url).json()
        seen.append((polled["done"], polled["total"], polled["status"]))

    monkeypatch.setattr(ExportJob, "progress_advance", watched)
    export_jobs.export_job_run(job.pk)  # what the cluster's worker runs

    assert seen[:3] == [(2, 7, "running"), (4, 7, "running"), (6, 7, "running")]
    job.refresh_from_db()
    assert (job.status, job.done, job.percent) == ("done", 7, 100)
    entry = LogEntry.objects.latest("pk")
    assert entry.change_message == "Exported 7 clients as XLSX (list filtered by q=Bulk)."

    page = admin_client.get(reverse("admin:core_exportjob_change", args=[job.pk]))
    file_url = reverse("admin:core_exportjob_file", args=[job.pk])
    assert file_url in page.content.decode()
    headers, rows = read(admin_client.get(file_url), "xlsx")
    assert sorted(names(headers, rows)) == [f"Bulk {n}" for n in range(7)]

    # Another member of staff, even one who may export clients, neither sees it nor gets it.
    other = UserFactory(username="other", is_staff=True)
    other.user_permissions.add(
        Permission.objects.get(codename="view_client"),
        Permission.objects.get(codename="export_personal_data"),
    )
    client.force_login(other)
    assert client.get(reverse("admin:core_exportjob_changelist")).status_code == 200
    assert client.get(file_url).status_code == 404
    assert client.get(reverse("admin:core_exportjob_change", args=[job.pk])).status_code == 404
    # An administrator may.
    client.force_login(SuperUserFactory())
    assert client.get(file_url).status_code == 200


def test_a_background_export_of_selected_rows_checks_the_permission_again(
    client, settings, roles, django_capture_on_commit_callbacks
):
    settings.EXPORT_BACKGROUND_ROWS = 1
    clients = [ClientFactory(name=f"Picked {n}") for n in range(3)]
    clerk = UserFactory(username="clerk", is_staff=True)
    clerk.user_permissions.add(
        Permission.objects.get(codename="view_client"),
        Permission.objects.get(codename="export_personal_data"),
    )
    client.force_login(clerk)
    picked = [clients[0].pk, clients[2].pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = export(client, Client, "xlsx", export_items=picked)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.selected == [str(pk) for pk in picked]

    export_jobs.export_job_run(job.pk)
    job.refresh_from_db()
    headers, rows = read(client.get(reverse("admin:core_exportjob_file", args=[job.pk])), "xlsx")
    assert sorted(names(headers, rows)) == ["Picked 0", "Picked 2"]

    # Run again after the permission is withdrawn: refused in words, no file.
    again = ExportJob.objects.create(user=clerk, model="clients.client", total=3)
    clerk.user_permissions.remove(Permission.objects.get(codename="export_personal_data"))
    export_jobs.export_job_run(again.pk)
    again.refresh_from_db()
    assert (again.status, again.message) == ("failed", "You may no longer export this list.")
    assert not again.file


def test_allocations_follow_their_payments_scope(client, roles):
    mine, theirs = AllocationFactory(), AllocationFactory()
    user = UserFactory(username="granted-one")
    grant(mine.payment, user, actions=("view",))
    client.force_login(user)
    response = client.get(url(Allocation, "changelist"))
    assert [obj.pk for obj in response.context["cl"].result_list] == [mine.pk]
    _headers, rows = read(export(client, Allocation), "csv")
    assert [(row[0], row[3]) for row in rows] == [(mine.payment.number, mine.receivable.number)]
    assert client.get(url(Allocation, "change", theirs.pk)).status_code == 404

    client.force_login(UserFactory(username="nobody"))
    assert client.get(url(Allocation, "changelist")).status_code == 403
    assert export(client, Allocation).status_code == 403
