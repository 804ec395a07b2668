"""Every change to the registry goes through these functions: one transaction, one audit row each."""

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.accounts.permissions import ensure_admin_pusat, ensure_can_edit
from naikkelas.core import audit
from naikkelas.core.models import AuditLog
from naikkelas.enterprises.models import AnnualReport, Enterprise, SizeClassification
from naikkelas.enterprises.signals import registry_changed
from naikkelas.enterprises.sizeclass import RULES, classify, moved_up

ENTERPRISE_LOCKED_FIELDS = {"id", "created_at", "updated_at", "deleted_at"}
REPORT_LOCKED_FIELDS = {"id", "enterprise", "enterprise_id", "created_at", "updated_at"}


def _assign(obj, data: Mapping[str, Any], locked: set[str]) -> None:
    for name, value in data.items():
        if name in locked:
            raise ValueError(f"{name} cannot be set through this service")
        setattr(obj, name, value)


@transaction.atomic
def register_enterprise(*, actor, data: Mapping[str, Any]) -> Enterprise:
    """Create an enterprise after validating it; audited as 'create'."""
    enterprise = Enterprise()
    _assign(enterprise, data, ENTERPRISE_LOCKED_FIELDS)
    ensure_can_edit(actor, enterprise.kecamatan_id or "")
    enterprise.full_clean()
    enterprise.save()
    audit.record(actor=actor, action=AuditLog.Action.CREATE, obj=enterprise,
                 kode_wilayah=enterprise.kode_wilayah, after=audit.snapshot(enterprise))
    return enterprise


def _full_clean(obj, changes: Mapping[str, Any], restoring: bool, **options) -> None:
    """`full_clean`; when `restoring` values that were there before (an undo), the database's
    rules alone (a NIB used once, the ranges of the constraints), of the fields restored: those
    values were accepted when they were written, maybe under other rules than today's."""
    if not restoring:
        obj.full_clean(**options)
        return
    exclude = {f.name for f in obj._meta.concrete_fields
               if f.name not in changes and f.attname not in changes}
    obj.validate_unique(exclude=exclude)
    obj.validate_constraints(exclude=exclude)


@transaction.atomic
def update_enterprise(enterprise: Enterprise, *, actor, changes: Mapping[str, Any],
                      restoring: bool = False) -> Enterprise:
    """Change fields of an enterprise; both the old and the new wilayah must be in the actor's scope."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    ensure_can_edit(actor, enterprise.kode_wilayah)
    before = audit.snapshot(enterprise)
    _assign(enterprise, changes, ENTERPRISE_LOCKED_FIELDS)
    ensure_can_edit(actor, enterprise.kode_wilayah)
    _full_clean(enterprise, changes, restoring)
    if audit.snapshot(enterprise) != before:
        enterprise.save()
        audit.record(actor=actor, action=AuditLog.Action.UPDATE, obj=enterprise,
                     kode_wilayah=enterprise.kode_wilayah, before=before,
                     after=audit.snapshot(enterprise))
        if (before["kecamatan"], before["kbli"]) != (enterprise.kecamatan_id, enterprise.kbli_id):
            _changed(enterprise, also_kecamatan=before["kecamatan"])
    return enterprise


@transaction.atomic
def delete_enterprise(enterprise: Enterprise, *, actor, reason: str = "") -> Enterprise:
    """Soft-delete: the record disappears from lists and indicators but can be restored by an admin."""
    ensure_can_edit(actor, enterprise.kode_wilayah)
    if enterprise.deleted_at:
        raise ValidationError(_("This enterprise has already been deleted."))
    before = audit.snapshot(enterprise)
    enterprise.deleted_at = timezone.now()
    enterprise.save(update_fields=["deleted_at", "updated_at"])
    audit.record(actor=actor, action=AuditLog.Action.DELETE, obj=enterprise,
                 kode_wilayah=enterprise.kode_wilayah, before=before,
                 after=audit.snapshot(enterprise), reason=reason)
    _changed(enterprise)
    return enterprise


@transaction.atomic
def restore_enterprise(enterprise: Enterprise, *, actor, reason: str = "") -> Enterprise:
    """Undo a soft delete. Admin pusat only."""
    ensure_admin_pusat(actor)
    if not enterprise.deleted_at:
        raise ValidationError(_("This enterprise is not deleted."))
    before = audit.snapshot(enterprise)
    enterprise.deleted_at = None
    enterprise.full_clean()
    enterprise.save(update_fields=["deleted_at", "updated_at"])
    audit.record(actor=actor, action=AuditLog.Action.RESTORE, obj=enterprise,
                 kode_wilayah=enterprise.kode_wilayah, before=before,
                 after=audit.snapshot(enterprise), reason=reason)
    _changed(enterprise)
    return enterprise


@transaction.atomic
def save_annual_report(
    enterprise: Enterprise, *, actor, year: int, figures: Mapping[str, Any], source: str = "",
    restoring: bool = False,
) -> AnnualReport:
    """Create or replace the figures of one year, then reclassify that year and the next."""
    ensure_can_edit(actor, enterprise.kode_wilayah)
    if enterprise.deleted_at:
        raise ValidationError(_("A deleted enterprise cannot receive new figures."))
    report = (AnnualReport.objects.select_for_update()
              .filter(enterprise=enterprise, year=year).first())
    created = report is None
    report = report or AnnualReport(enterprise=enterprise, year=year)
    before = None if created else audit.snapshot(report)
    _assign(report, figures, REPORT_LOCKED_FIELDS | {"year"})
    if source:
        report.source = source
    _full_clean(report, figures, restoring, validate_unique=created)
    after = audit.snapshot(report)
    if after == before:
        return report
    report.save()
    audit.record(actor=actor, action=AuditLog.Action.CREATE if created else AuditLog.Action.UPDATE,
                 obj=report, subject=enterprise, kode_wilayah=enterprise.kode_wilayah,
                 before=before, after=audit.snapshot(report))
    reclassify(enterprise)
    return report


@transaction.atomic
def delete_annual_report(report: AnnualReport, *, actor, reason: str = "") -> None:
    """Remove one year's figures (kept in the audit log) and reclassify the years around it."""
    enterprise = report.enterprise
    ensure_can_edit(actor, enterprise.kode_wilayah)
    before = audit.snapshot(report)
    audit.record(actor=actor, action=AuditLog.Action.DELETE, obj=report, subject=enterprise,
                 kode_wilayah=enterprise.kode_wilayah, before=before, reason=reason)
    year = report.year
    report.delete()
    reclassify(enterprise, also_years=[year])


def reclassify(enterprise: Enterprise, *, also_years: list[int] | tuple = ()) -> None:
    """Recompute the class of every report of the enterprise under every rule, and naik kelas.

    Derived data only (the audit log holds the figures), so it is rewritten rather than audited.
    The indicators of every year of the enterprise (and `also_years`, e.g. a deleted report's)
    are then refreshed.
    """
    reports = list(enterprise.reports.order_by("year"))  # each report knows its enterprise
    SizeClassification.objects.filter(report__enterprise=enterprise).delete()
    SizeClassification.objects.bulk_create(classifications_for(reports))
    _send_changed({enterprise.kecamatan_id}, {r.year for r in reports} | set(also_years))


def _changed(enterprise: Enterprise, also_kecamatan: str = "") -> None:
    """The enterprise's figures left or entered some kecamatan/KBLI totals: every year."""
    years = set(AnnualReport.objects.filter(enterprise=enterprise)
                .values_list("year", flat=True))
    _send_changed({enterprise.kecamatan_id, also_kecamatan}, years)


def _send_changed(kecamatan_codes: set[str], years: set[int]) -> None:
    registry_changed.send(sender=Enterprise, kecamatan_codes=kecamatan_codes - {"", None},
                          years=years)


def classifications_for(reports: list[AnnualReport]) -> list[SizeClassification]:
    """Unsaved classification rows for one enterprise's reports, sorted by year."""
    return [SizeClassification(report=report, enterprise=report.enterprise, year=report.year,
                               rule=rule, kelas=kelas, rank=rank, naik_kelas=naik_kelas)
            for report, rule, kelas, rank, naik_kelas in classification_values(reports)]


def classification_values(reports: Sequence) -> Iterator[tuple[Any, str, str, int, bool | None]]:
    """(report, rule id, class, rank, naik kelas) for one enterprise's reports.

    A report is anything with `year` and `figures()`, so bulk writers can classify plain rows.
    """
    by_year = {r.year: r for r in reports}
    for report in reports:
        previous = by_year.get(report.year - 1)
        for rule in RULES.values():
            kelas = classify(report.figures(), rule)
            if kelas is None:
                continue
            before = classify(previous.figures(), rule) if previous else None
            yield report, rule.id, kelas, rule.rank(kelas), moved_up(rule, before, kelas)
