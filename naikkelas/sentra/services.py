"""Every change to a sentra goes through these functions: one transaction, one audit row each,
written with the sentra as subject so that its Riwayat shows everything that happened to it."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext as _

from naikkelas.accounts.permissions import ensure_can_edit
from naikkelas.core import audit
from naikkelas.core.models import AuditLog
from naikkelas.core.validators import validate_document
from naikkelas.enterprises.models import Enterprise
from naikkelas.programs.services import check_facilitating_program
from naikkelas.sentra.models import (
    NEXT_STATUS, Sentra, SentraFacility, SentraMember, SentraOfficer, SentraStatus, SentraSupport,
)

# Fields that only the lifecycle service sets.
LIFECYCLE_FIELDS = {"status", "formed_on", "sk_number", "sk_date", "sk_document"}
LOCKED_FIELDS = {"id", "created_at", "updated_at"} | LIFECYCLE_FIELDS


def _assign(obj: models.Model, data: Mapping[str, Any], locked: set[str]) -> None:
    for name, value in data.items():
        if name in locked:
            raise ValueError(f"{name} cannot be set through this service")
        setattr(obj, name, value)


def _record(sentra: Sentra, action: str, obj: models.Model, *, actor, before=None,
            reason: str = "", deleted: bool = False) -> None:
    audit.record(actor=actor, action=action, obj=obj, subject=sentra,
                 kode_wilayah=sentra.kode_wilayah, before=before,
                 after=None if deleted else audit.snapshot(obj), reason=reason)


@transaction.atomic
def register_sentra(*, actor, data: Mapping[str, Any]) -> Sentra:
    """Record a new sentra, as usulan; audited as 'create'."""
    sentra = Sentra()
    _assign(sentra, data, LOCKED_FIELDS)
    ensure_can_edit(actor, sentra.kecamatan_id or "")
    sentra.full_clean()
    sentra.save()
    _record(sentra, AuditLog.Action.CREATE, sentra, actor=actor)
    return sentra


@transaction.atomic
def update_sentra(sentra: Sentra, *, actor, changes: Mapping[str, Any]) -> Sentra:
    """Change the profile of a sentra (not its status: see advance_sentra_status). The old and
    the new kecamatan must lie in the actor's wilayah; the members' kab/kota cannot change."""
    sentra = Sentra.objects.select_for_update().get(pk=sentra.pk)
    ensure_can_edit(actor, sentra.kode_wilayah)
    before = audit.snapshot(sentra)
    old_kabkota = sentra.kabkota_kode
    _assign(sentra, changes, LOCKED_FIELDS)
    ensure_can_edit(actor, sentra.kode_wilayah)
    if sentra.kabkota_kode != old_kabkota and sentra.memberships.exists():
        raise ValidationError({"kecamatan": ValidationError(_(
            "A sentra with members cannot move to another kabupaten/kota."), code="members_stay")})
    sentra.full_clean()
    if audit.snapshot(sentra) != before:
        sentra.save()
        _record(sentra, AuditLog.Action.UPDATE, sentra, actor=actor, before=before)
    return sentra


@transaction.atomic
def advance_sentra_status(sentra: Sentra, *, actor, status: str,
                          formed_on: datetime.date | None = None, sk_number: str = "",
                          sk_date: datetime.date | None = None,
                          sk_document: UploadedFile | None = None) -> Sentra:
    """Move a sentra one step along usulan → terbentuk → ditetapkan, audited with both states.

    Terbentuk needs the date it was formed; ditetapkan needs the SK number, the SK date (not
    before the date formed) and the SK document. Any other step is refused with the reason.
    """
    sentra = Sentra.objects.select_for_update().get(pk=sentra.pk)
    ensure_can_edit(actor, sentra.kode_wilayah)
    _check_step(sentra, status)
    before = audit.snapshot(sentra)
    if status == SentraStatus.TERBENTUK:
        _form(sentra, formed_on)
    else:
        _designate(sentra, sk_number, sk_date, sk_document)
    sentra.status = status
    sentra.full_clean()
    sentra.save()
    _record(sentra, AuditLog.Action.UPDATE, sentra, actor=actor, before=before,
            reason=_("status: %(old)s → %(new)s") % {"old": before["status"], "new": status})
    return sentra


def _check_step(sentra: Sentra, status: str) -> None:
    if status not in SentraStatus.values:
        raise ValidationError({"status": ValidationError(
            _("Unknown status %(status)s.") % {"status": status}, code="unknown_status")})
    expected = NEXT_STATUS.get(sentra.status)
    if status == expected:
        return
    current = SentraStatus(sentra.status).label
    if expected is None:
        message, code = _("This sentra is already %(current)s; its status cannot change any "
                          "more."), "final_status"
    else:
        message, code = _("A sentra that is %(current)s can only move to %(next)s, not to "
                          "%(target)s."), "invalid_step"
    raise ValidationError({"status": ValidationError(message % {
        "current": current, "next": SentraStatus(expected).label if expected else "",
        "target": SentraStatus(status).label}, code=code)})


def _form(sentra: Sentra, formed_on: datetime.date | None) -> None:
    if formed_on is None:
        raise ValidationError({"formed_on": ValidationError(
            _("Give the date the sentra was formed."), code="required")})
    sentra.formed_on = formed_on


def _designate(sentra: Sentra, sk_number: str, sk_date: datetime.date | None,
               sk_document: UploadedFile | None) -> None:
    errors = {}
    if not (sk_number or "").strip():
        errors["sk_number"] = ValidationError(_("Designation needs the SK number."),
                                              code="required")
    if sk_date is None:
        errors["sk_date"] = ValidationError(_("Designation needs the SK date."),
                                            code="required")
    elif sentra.formed_on and sk_date < sentra.formed_on:
        errors["sk_date"] = ValidationError(
            _("The SK date cannot be before the date the sentra was formed (%(date)s).")
            % {"date": sentra.formed_on.strftime("%d-%m-%Y")}, code="sk_before_formed")
    if sk_document is None:
        errors["sk_document"] = ValidationError(
            _("Designation needs the SK document (PDF, JPG or PNG)."), code="required")
    else:
        try:
            validate_document(sk_document)
        except ValidationError as exc:
            errors["sk_document"] = exc.error_list
    if errors:
        raise ValidationError(errors)
    sentra.sk_number, sentra.sk_date = sk_number.strip(), sk_date
    sentra.sk_document.save(sk_document.name, sk_document, save=False)


# --- members ---------------------------------------------------------------------------------

@transaction.atomic
def add_sentra_member(sentra: Sentra, *, actor, enterprise: Enterprise,
                      joined_on: datetime.date) -> SentraMember:
    """Enrol an enterprise of the sentra's own kab/kota; an enterprise elsewhere is refused."""
    ensure_can_edit(actor, sentra.kode_wilayah)
    if not enterprise.kode_wilayah.startswith(f"{sentra.kabkota_kode}."):
        raise ValidationError({"enterprise": ValidationError(_(
            "%(name)s is not in the sentra's kabupaten/kota; only enterprises of "
            "%(kabkota)s can join.") % {"name": enterprise, "kabkota": sentra.kabkota_kode},
            code="other_kabkota")})
    if enterprise.deleted_at:
        raise ValidationError({"enterprise": ValidationError(
            _("A deleted enterprise cannot join a sentra."), code="deleted")})
    member = SentraMember(sentra=sentra, enterprise=enterprise, joined_on=joined_on)
    member.full_clean()
    member.save()
    _record(sentra, AuditLog.Action.CREATE, member, actor=actor)
    return member


@transaction.atomic
def end_sentra_membership(member: SentraMember, *, actor, left_on: datetime.date) -> SentraMember:
    """Record that an enterprise left the sentra on `left_on` (kept as history)."""
    sentra = member.sentra
    ensure_can_edit(actor, sentra.kode_wilayah)
    if member.left_on:
        raise ValidationError({"left_on": ValidationError(
            _("This membership has already ended."), code="already_left")})
    before = audit.snapshot(member)
    member.left_on = left_on
    member.full_clean()
    member.save(update_fields=["left_on"])
    _record(sentra, AuditLog.Action.UPDATE, member, actor=actor, before=before)
    return member


# --- officers, facilities, support -----------------------------------------------------------

PARTS: dict[str, type[models.Model]] = {"officer": SentraOfficer, "facility": SentraFacility,
                                        "support": SentraSupport}


@transaction.atomic
def add_sentra_part(sentra: Sentra, *, actor, part: str, data: Mapping[str, Any]) -> models.Model:
    """Add a pengurus/pengelola (`officer`), a UPT or shared facility (`facility`) or support
    received (`support`) to a sentra. Support credited to a program needs a program the actor
    may see that reaches the sentra (programs.services.check_facilitating_program)."""
    ensure_can_edit(actor, sentra.kode_wilayah)
    item = PARTS[part](sentra=sentra)
    _assign(item, data, {"id", "sentra", "sentra_id"})
    if part == "support":
        check_facilitating_program(item.program, actor=actor, kode_wilayah=sentra.kode_wilayah)
    item.full_clean()
    item.save()
    _record(sentra, AuditLog.Action.CREATE, item, actor=actor)
    return item


@transaction.atomic
def remove_sentra_part(item: models.Model, *, actor, reason: str = "") -> None:
    """Remove an officer, facility or support row; its last values stay in the audit log."""
    sentra = item.sentra
    ensure_can_edit(actor, sentra.kode_wilayah)
    _record(sentra, AuditLog.Action.DELETE, item, actor=actor, before=audit.snapshot(item),
            reason=reason, deleted=True)
    item.delete()
