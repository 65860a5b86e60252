"""Other users keep writing while a file is checked and imported: the importer holds no
transaction while it reads and checks, and "import the valid rows" commits chunk by chunk.

A second thread (its own database connection, as another web worker) writes in the middle
of the import; with the old importer, whose dry run ran in one transaction, SQLite refused
that write ("database is locked" / "database table is locked")."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from realestate.accounts.models import User
from realestate.core.importing import engine
from realestate.core.models import ImportJob
from realestate.properties.models import Unit
from tests.imports.conftest import confirm, uploaded_job

pytestmark = pytest.mark.django_db(transaction=True)


def write_from_another_worker(user_id: int) -> str:
    outcome = {}

    def work():
        try:
            User.objects.filter(pk=user_id).update(last_login=timezone.now())
            outcome["result"] = "written"
        except Exception as error:  # what the other user would see
            outcome["result"] = f"refused: {error}"
        finally:
            connection.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=20)
    return outcome.get("result", "still waiting")


@pytest.mark.parametrize("mode", ["all", "valid"])
def test_another_user_writes_during_check_and_import(admin_client, superuser, monkeypatch, mode):
    monkeypatch.setattr(engine, "CHUNK", 10)
    lines = ["Code,Unit type,Area (m²),List price"]
    lines += [f"CW-{n},apartment,80,100000" for n in range(30)]
    content = "\n".join(lines) + "\n"
    results = []
    advance = ImportJob.progress_advance

    def advance_and_write(self, done):
        advance(self, done)
        results.append(write_from_another_worker(superuser.pk))

    monkeypatch.setattr(ImportJob, "progress_advance", advance_and_write)
    if mode == "all" and connection.vendor == "postgresql":
        # All or nothing on PostgreSQL: one transaction, whose row locks do not stop
        # another user's write; it comes right after each chunk is written.
        write_rows = engine.writing.write_rows

        def write_and_write(*args):
            written = write_rows(*args)
            results.append(write_from_another_worker(superuser.pk))
            return written

        monkeypatch.setattr(engine.writing, "write_rows", write_and_write)
    job = uploaded_job(admin_client, content, mode=mode)
    assert results == ["written"] * 3  # after each chunk of the check

    confirm(admin_client, job)
    # "valid": each chunk committed on its own, another user writes between chunks; "all":
    # on SQLite during the check that precedes the one short writing transaction, on
    # PostgreSQL inside that transaction.
    assert results[3:] == ["written"] * 3
    job.refresh_from_db()
    assert (job.status, job.rows_written) == ("done", 30), job.message
    assert Unit.objects.filter(code__startswith="CW-").count() == 30
