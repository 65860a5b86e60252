"""An import's runs: the check (the preview's counts) and the import itself, as the job
cluster runs them, with their progress, their end and the import's one audit entry. The rows
are read, checked and written by ``engine.Importer``."""

from __future__ import annotations

import contextlib

from django.contrib.admin.models import ADDITION, LogEntry
from django.core.files import File
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from realestate.core.importing import writing
from realestate.core.importing.engine import (
    CHANGED,
    INVALID,
    NEW,
    UNCHANGED,
    Importer,
    Outcome,
    _Invalid,
)
from realestate.core.importing.files import ImportFileError


def job_check(job) -> None:
    """The preview: every row checked, nothing written."""
    _run(job, write=False)


def job_import(job) -> None:
    """The import itself (the check is repeated, since data may have moved since)."""
    _run(job, write=True)


def _run(job, *, write: bool) -> None:
    phase = job.Phase.IMPORT if write else job.Phase.CHECK
    job.phase = phase
    job._progress_update(phase=phase, message="")
    try:
        with job.file.storage.open(job.file.name, "rb") as handle:
            total = writing.estimate_rows(handle, job.file_format)
        job.progress_start(total)
        outcome, importer = _passes(job, write=write)
    except ImportFileError as error:
        job.progress_finish(failed=True, message=str(error))
        return
    _finish(job, outcome, importer, write=write)


def _passes(job, *, write: bool):
    all_or_nothing = job.mode == job.Mode.ALL_OR_NOTHING
    if not write:
        importer = Importer(job, write=False, progress=job.progress_advance)
        return importer.run(), importer
    if not all_or_nothing:
        importer = Importer(job, write=True, progress=job.progress_advance)
        importer.commit_each_chunk = True
        return importer.run(), importer
    if connection.vendor != "sqlite":
        importer = Importer(job, write=True, progress=_progress_outside(job))
        importer.stop_at_invalid = True
        try:
            with transaction.atomic():
                return importer.run(), importer
        except _Invalid:
            return _recheck(job)
    checker = Importer(job, write=False, progress=lambda done: job.progress_advance(done // 2))
    outcome = checker.run()
    if outcome.counts[INVALID]:
        return outcome, checker
    half, advance = outcome_rows(outcome) // 2, _progress_outside(job)
    importer = Importer(job, write=True, progress=lambda done: advance(half + done // 2))
    # A row that became invalid since the check (a code deleted meanwhile) rolls back all.
    importer.stop_at_invalid = True
    try:
        with transaction.atomic():
            return importer.run(), importer
    except _Invalid:
        return _recheck(job)


def _recheck(job):
    """After an all-or-nothing import rolled back on a row refused as it was written: the
    check again, for the preview of what is wrong now."""
    checker = Importer(job, write=False)
    outcome = checker.run()
    if not outcome.counts[INVALID]:
        raise ImportFileError(
            "Nothing was imported: a row was refused as it was written (the records it "
            "names changed meanwhile). Check the file again."
        )
    return outcome, checker


PROGRESS_ALIAS = "import_progress"


def _progress_outside(job):
    """Progress written on a connection of its own, so that the page polling it sees rows
    move while the import's one transaction is still open. Best effort: a progress figure
    that cannot be written never stops the import. Not on SQLite, whose second writer would
    wait for the import's lock: there the bar moves while checking, then jumps at the end."""
    if connection.vendor == "sqlite":
        return lambda done: setattr(job, "done", done)
    if PROGRESS_ALIAS not in connections.settings:
        connections.settings[PROGRESS_ALIAS] = dict(connections.settings[DEFAULT_DB_ALIAS])

    def advance(done: int) -> None:
        job.done = done
        # Any failure here (the side connection refused, a test's database guard) only
        # costs the progress figure.
        with contextlib.suppress(Exception):
            type(job)._default_manager.using(PROGRESS_ALIAS).filter(pk=job.pk).update(done=done)

    return advance


def outcome_rows(outcome: Outcome) -> int:
    return sum(outcome.counts.values())


def _finish(job, outcome: Outcome, importer: Importer, *, write: bool) -> None:
    counts = outcome.counts
    job.rows_new, job.rows_changed = counts[NEW], counts[CHANGED]
    job.rows_unchanged, job.rows_invalid = counts[UNCHANGED], counts[INVALID]
    job.rows_written = outcome.written
    job.encoding = importer.encoding or ""
    job.report = {"changed": outcome.changed, "errors": outcome.errors}
    fields = ["rows_new", "rows_changed", "rows_unchanged", "rows_invalid", "rows_written"]
    fields += ["encoding", "report", "total", "done"]
    job.total = job.done = outcome_rows(outcome)
    if importer.rejected is not None:
        job.error_file.save(f"rejected-{job.pk}.xlsx", File(importer.rejected.file()), save=False)
        fields.append("error_file")
    job.save(update_fields=fields)
    failed = write and job.mode == job.Mode.ALL_OR_NOTHING and counts[INVALID] > 0
    message = ""
    if failed:
        message = f"Nothing was imported: {counts[INVALID]} rows are invalid."
    elif write:
        _audit(job)
    job.progress_finish(failed=failed, message=message)


def _audit(job) -> None:
    """One audit line for the whole import, with its counts."""
    LogEntry.objects.log_actions(
        user_id=job.user_id,
        queryset=[job],
        action_flag=ADDITION,
        change_message=(
            f"Imported {job.table} from {job.file_name}: {job.rows_new} new, "
            f"{job.rows_changed} changed, {job.rows_unchanged} unchanged, "
            f"{job.rows_invalid} rejected."
        ),
        single_object=True,
    )
