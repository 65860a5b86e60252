"""Shared model plumbing: timestamps and the permission-aware queryset."""

from django.conf import settings
from django.db import models

from realestate.core.querysets import RestrictedQuerySet


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True


class NumberSequence(models.Model):
    """The last number issued for one prefix in one year (see ``core.numbering``)."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="number_sequence_unique")
        ]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last_value}"


class SharedCounter(models.Model):
    """One counter of ``core.counters`` (login failures, API calls, revoked tokens) when there
    is no Redis: a row per key, counted up by one atomic upsert, void once ``expires_at``
    (seconds since the epoch) has passed."""

    key = models.CharField(max_length=255, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.FloatField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"


class ProgressModel(models.Model):
    """A long piece of work done by a background job (an import, a batch of PDFs): how far it
    got, how fast, and how it ended. Subclasses add what the work is about (who asked, the
    file, the result). The job calls ``progress_start``, ``progress_advance`` after each chunk
    and ``progress_finish``; each is one UPDATE outside the job's own transactions, so a page
    polling ``progress_json`` sees the numbers move while the job runs."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    message = models.TextField(blank=True)

    #: The foreign key to the user who asked for the work: their open pages hear its progress
    #: over the WebSocket (``core.live.progress_publish``).
    progress_owner_field = "user"

    class Meta:
        abstract = True

    def _progress_update(self, **fields) -> None:
        from realestate.core.live import progress_publish

        for name, value in fields.items():
            setattr(self, name, value)
        type(self)._default_manager.filter(pk=self.pk).update(**fields)
        progress_publish(self)

    @property
    def progress_key(self) -> str:
        """Names this job in live messages and on its page's progress bar."""
        return f"{self._meta.label_lower}:{self.pk}"

    def progress_start(self, total: int) -> None:
        from django.utils import timezone

        self._progress_update(
            status=self.Status.RUNNING, total=total, done=0, started_at=timezone.now()
        )

    def progress_advance(self, done: int) -> None:
        self._progress_update(done=done)

    def progress_finish(self, *, failed: bool = False, message: str = "") -> None:
        from django.utils import timezone

        self._progress_update(
            status=self.Status.FAILED if failed else self.Status.DONE,
            finished_at=timezone.now(),
            message=message,
        )

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def rate(self) -> float | None:
        """Items per second so far."""
        from django.utils import timezone

        if not self.started_at or not self.done:
            return None
        seconds = ((self.finished_at or timezone.now()) - self.started_at).total_seconds()
        return self.done / seconds if seconds > 0 else None

    @property
    def seconds_left(self) -> int | None:
        rate = self.rate
        if rate is None or self.is_finished:
            return None
        return int((self.total - self.done) / rate)

    def progress_json(self) -> dict:
        return {
            "status": self.status,
            "status_label": self.get_status_display(),
            "total": self.total,
            "done": self.done,
            "percent": self.percent,
            "rate": round(self.rate, 1) if self.rate else None,
            "seconds_left": self.seconds_left,
            "finished": self.is_finished,
            "message": self.message,
        }


class ImportJob(ProgressModel):
    """One uploaded spreadsheet and what became of it: checked (a preview with counts and the
    changed values), then imported, in the request or by a background job. The file is kept
    on the server with the record, so the confirm step names the record, never a path."""

    class Phase(models.TextChoices):
        CHECK = "check", "Check"
        IMPORT = "import", "Import"

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all", "All or nothing"
        VALID_ROWS = "valid", "Import the valid rows"

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="import_jobs",
        verbose_name="by",
    )
    table = models.CharField("records", max_length=60)
    file = models.FileField("file", upload_to="imports/%Y/%m/", max_length=255)
    file_name = models.CharField("file name", max_length=255)
    file_format = models.CharField("format", max_length=10)
    encoding = models.CharField(max_length=20, blank=True)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.ALL_OR_NOTHING)
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.CHECK)
    rows_new = models.PositiveIntegerField("new", default=0)
    rows_changed = models.PositiveIntegerField("changed", default=0)
    rows_unchanged = models.PositiveIntegerField("unchanged", default=0)
    rows_invalid = models.PositiveIntegerField("invalid", default=0)
    rows_written = models.PositiveIntegerField("written", default=0)
    #: What the preview shows: missing and unknown columns, the first changed rows with their
    #: old and new values, the first errors (row, column, value, message).
    report = models.JSONField(default=dict, blank=True)
    error_file = models.FileField(
        "rejected rows", upload_to="imports/%Y/%m/", max_length=255, blank=True
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "import"
        verbose_name_plural = "imports"

    def __str__(self):
        return f"Import #{self.pk}: {self.file_name}"

    @property
    def imported(self) -> bool:
        return self.phase == self.Phase.IMPORT and self.status == self.Status.DONE

    @property
    def can_confirm(self) -> bool:
        """Checked without a fault, and either no invalid row or the valid rows mode."""
        return (
            self.phase == self.Phase.CHECK
            and self.status == self.Status.DONE
            and (self.rows_new or self.rows_changed)
            and (not self.rows_invalid or self.mode == self.Mode.VALID_ROWS)
        )


class ExportJob(ProgressModel):
    """A large XLSX export of an admin list, built by a background job: the list it comes
    from (its filters and search, or the rows selected), the file once built, and who asked
    for it, the only one (with the administrators) who may download it."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="export_jobs",
        verbose_name="by",
    )
    #: ``app_label.model_name`` of the list exported.
    model = models.CharField("records", max_length=60)
    #: The list's query string (filters, search, ordering), replayed by the job.
    query = models.TextField("filters", blank=True)
    #: The rows ticked in the list, when the export is of the selected rows only.
    selected = models.JSONField(default=list, blank=True)
    file_format = models.CharField("format", max_length=10, default="xlsx")
    file = models.FileField("file", upload_to="exports/%Y/%m/", max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "export"
        verbose_name_plural = "exports"

    def __str__(self):
        return f"Export #{self.pk}"


class IdempotentRequest(models.Model):
    """The first answer to a creating POST sent with an ``Idempotency-Key`` header: a retry
    with the same key (same user, same endpoint) gets this answer back and creates nothing.
    Written in the transaction that creates the record, so of two requests racing with one
    key, one creates and the other waits on the unique index, then reads its answer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    endpoint = models.CharField(max_length=255)
    key = models.CharField(max_length=255)
    #: A digest of the body: the same key sent with another body is refused, not replayed.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "endpoint", "key"], name="idempotent_request_unique"
            )
        ]

    def __str__(self):
        return f"{self.endpoint} {self.key}"
