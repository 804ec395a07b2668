"""The history of spreadsheet imports, and the matches an import was unsure about."""

import json
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from naikkelas.core.models import AuditLog
from naikkelas.core.scope import wilayah_q

VIA_LENGTH = AuditLog._meta.get_field("via").max_length  # what an audit row's `via` holds


class ImportRunQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ImportRunQuerySet":
        """Imports into the user's wilayah (or below it)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(wilayah_q(user.kode_wilayah, "kode_wilayah"))


def upload_dir() -> Path:
    """Where uploaded files, their progress and error reports are kept until the import is done."""
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


class ImportRun(models.Model):
    """One file imported into one wilayah for one year: who, what, the counts and every error.

    From the web an import is queued first (status QUEUED) and run as a background task; its
    progress is written to a small file next to the upload, since the import's own transaction
    stays invisible to the progress page until it commits.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        UNDOING = "undoing", _("being undone")
        UNDONE = "undone", _("undone")

    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    kode_wilayah = models.CharField(_("wilayah code"), max_length=13, db_index=True)
    tahun = models.PositiveSmallIntegerField(_("year"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_imported = models.PositiveIntegerField(_("rows imported"), default=0)
    rows_invalid = models.PositiveIntegerField(_("rows rejected"), default=0)
    created = models.PositiveIntegerField(_("enterprises created"), default=0)
    updated = models.PositiveIntegerField(_("enterprises updated"), default=0)
    unchanged = models.PositiveIntegerField(_("enterprises unchanged"), default=0)
    uncertain = models.PositiveIntegerField(_("uncertain matches"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DONE)
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    legality = models.JSONField(_("legality columns read"), default=dict, blank=True)
    failure = models.TextField(_("reason it failed"), blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undo_refused = models.TextField(_("why the last undo was refused"), blank=True)
    # Kept rather than read from the actor when the import runs: a queued import runs later,
    # in a worker, where the request and its token are gone.
    started_via = models.CharField(_("started via"), max_length=100, blank=True,
                                   help_text=_("The API token that started it; empty from "
                                               "the web or the command line."))

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.kode_wilayah}, {self.tahun})"

    @property
    def upload_path(self) -> Path:
        return upload_dir() / f"{self.token}{Path(self.file_name).suffix.lower()}"

    @property
    def progress_path(self) -> Path:
        return upload_dir() / f"{self.token}.progress.json"

    def progress(self) -> tuple[int, int]:
        """(rows done, rows in all) while running; the final counts once finished."""
        if self.status in {self.Status.QUEUED, self.Status.RUNNING}:
            try:
                data = json.loads(self.progress_path.read_text())
                return data["done"], data["total"]
            except (OSError, ValueError, KeyError):
                return 0, 0
        return self.rows_read, self.rows_read

    def write_progress(self, done: int, total: int) -> None:
        self.progress_path.write_text(json.dumps({"done": done, "total": total}))

    @property
    def audit_via(self) -> str:
        """The `via` of every audit row this import writes: how an undo finds them. An import
        started with a token names it, as the API's other writes do; the number comes first so
        that cutting a long name to the column's length keeps every run's value its own."""
        if self.started_via:
            return f"impor #{self.pk} ({self.started_via}) {self.file_name}"[:VIA_LENGTH]
        return f"impor #{self.pk} {self.file_name}"[:VIA_LENGTH]


class ReviewItem(models.Model):
    """A row that resembled an existing enterprise without being surely the same.

    The import created `enterprise` rather than guess; a person decides later whether it is
    `candidate` (merge) or a different business (dismiss).
    """

    import_run = models.ForeignKey(ImportRun, verbose_name=_("import"), on_delete=models.CASCADE,
                                   related_name="review_items")
    row = models.PositiveIntegerField(_("row"))
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("new enterprise"),
                                   on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey("enterprises.Enterprise", verbose_name=_("possible match"),
                                  on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("similarity score"))
    rule = models.CharField(_("matching rule"), max_length=20)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("match to review")
        verbose_name_plural = _("matches to review")
        ordering = ["import_run", "row"]

    def __str__(self) -> str:
        return f"{self.enterprise_id} ~ {self.candidate_id} ({self.score:.0f})"
