"""The audit log: who changed what, when, with the record before and after."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from naikkelas.core.querysets import AuditLogQuerySet


class AuditLog(models.Model):
    """One row per create, change, delete or restore, written in the same transaction as the change."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        RESTORE = "restore", _("restored")
        EXPORT = "export", _("exported")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    actor_label = models.CharField(_("user name"), max_length=150)
    via = models.CharField(_("via"), max_length=120, blank=True,
                           help_text=_("How the change arrived, e.g. the API token's name."))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255)
    # Looked up together, by the (subject_type, subject_id, -at) index of Meta: no index of
    # their own, which every audited change (two rows an imported row) would pay for.
    subject_type = models.CharField(max_length=100)
    subject_id = models.CharField(max_length=64)
    kode_wilayah = models.CharField(_("wilayah code"), max_length=20, blank=True)  # see Meta
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "-at"]),
            # One index for `=` and the prefix LIKE of a wilayah (see Enterprise.Meta.indexes).
            models.Index(fields=["kode_wilayah"], opclasses=["varchar_pattern_ops"],
                         name="auditlog_kode_wilayah_code"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def changes(self) -> list[tuple[str, object, object]]:
        """The fields whose value differs between before and after, as (field, old, new)."""
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
