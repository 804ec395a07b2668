"""Every change to programs, participants and aid: one transaction and one audit row each.

Views, the API, the participant importer and the demo all call these functions.
"""

import datetime
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _, ngettext

from naikkelas.accounts.permissions import ensure_can_edit
from naikkelas.core import audit
from naikkelas.core.models import AuditLog
from naikkelas.core.scope import kode_within
from naikkelas.enterprises.models import Enterprise
from naikkelas.enterprises.services import register_enterprise
from naikkelas.programs.models import (
    AidDelivery, AidItem, KubGroup, KubMember, Participation, Program, Prospect, document_limit,
)
from naikkelas.programs.querysets import earlier_aid, recipient_field

LOCKED = {"id", "pk", "created_at", "updated_at"}
DOCUMENT_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png"}
Create, Update = AuditLog.Action.CREATE, AuditLog.Action.UPDATE


def _assign(obj, data: Mapping[str, Any]) -> None:
    for name, value in data.items():
        if name in LOCKED:
            raise ValueError(f"{name} cannot be set through this service")
        setattr(obj, name, value)


def _created(obj, *, actor, kode: str, subject=None, reason: str = "") -> None:
    audit.record(actor=actor, action=Create, obj=obj, kode_wilayah=kode, subject=subject,
                 after=audit.snapshot(obj), reason=reason)


def _create(obj, *, actor, data: Mapping[str, Any]):
    """Fill, check (scope by the record's own wilayah) and save a new record; audited."""
    _assign(obj, data)
    ensure_can_edit(actor, obj.kode_wilayah)
    obj.full_clean()
    obj.save()
    _created(obj, actor=actor, kode=obj.kode_wilayah)
    return obj


@transaction.atomic
def create_program(*, actor, data: Mapping[str, Any]) -> Program:
    """Record a program (kegiatan) of an office in the actor's wilayah."""
    return _create(Program(), actor=actor, data=data)


@transaction.atomic
def update_program(program: Program, *, actor, changes: Mapping[str, Any]) -> Program:
    """Change a program; the old and the new organiser wilayah must both be the actor's."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    ensure_can_edit(actor, program.kode_wilayah)
    before = audit.snapshot(program)
    _assign(program, changes)
    ensure_can_edit(actor, program.kode_wilayah)
    program.full_clean()
    if audit.snapshot(program) != before:
        program.save()
        audit.record(actor=actor, action=Update, obj=program, kode_wilayah=program.kode_wilayah,
                     before=before, after=audit.snapshot(program))
    return program


@transaction.atomic
def register_prospect(*, actor, data: Mapping[str, Any]) -> Prospect:
    """Record a prospective entrepreneur (WUB candidate) with NIK, name, contact and kecamatan."""
    return _create(Prospect(), actor=actor, data=data)


@transaction.atomic
def promote_prospect(prospect: Prospect, *, actor, data: Mapping[str, Any]) -> Enterprise:
    """Register the prospect's business as an enterprise without retyping the person.

    Name, NIK, phone and kecamatan come from the prospect; `data` gives the business (name,
    KBLI, products...). Its participations and KUB memberships move to the new enterprise.
    """
    prospect = Prospect.objects.select_for_update().get(pk=prospect.pk)
    ensure_can_edit(actor, prospect.kode_wilayah)
    if prospect.enterprise_id:
        raise ValidationError(_("This prospective entrepreneur is already registered as an "
                                "enterprise."))
    person = {"owner_name": prospect.name, "owner_nik": prospect.nik,
              "owner_phone": prospect.phone, "kecamatan_id": prospect.kecamatan_id}
    enterprise = register_enterprise(actor=actor, data={**person, **data})
    before = audit.snapshot(prospect)
    prospect.enterprise = enterprise
    prospect.save(update_fields=["enterprise"])
    prospect.participations.update(prospect=None, enterprise=enterprise)
    prospect.kub_memberships.update(prospect=None, enterprise=enterprise)
    audit.record(actor=actor, action=Update, obj=prospect, kode_wilayah=prospect.kode_wilayah,
                 before=before, after=audit.snapshot(prospect))
    return enterprise


@transaction.atomic
def create_kub_group(*, actor, data: Mapping[str, Any]) -> KubGroup:
    """Record a KUB (kelompok usaha bersama) in a kecamatan of the actor's wilayah."""
    return _create(KubGroup(), actor=actor, data=data)


@transaction.atomic
def add_kub_member(group: KubGroup, *, actor, member,
                   joined_on: datetime.date | None = None) -> KubMember:
    """Add an enterprise or a prospect to a KUB group; both must lie in the actor's wilayah."""
    ensure_can_edit(actor, group.kode_wilayah)
    ensure_can_edit(actor, member.kode_wilayah)
    field_name = "prospect" if isinstance(member, Prospect) else "enterprise"
    membership = KubMember(group=group, joined_on=joined_on, **{field_name: member})
    if group.members.filter(**{field_name: member}).exists():
        raise ValidationError(_("%(member)s is already a member of this group.")
                              % {"member": member})
    membership.full_clean()
    membership.save()
    _created(membership, actor=actor, kode=group.kode_wilayah, subject=group)
    return membership


def _ensure_inside_program(program: Program, participant) -> None:
    """A participant lies inside the organiser's wilayah (pusat programs reach everywhere)."""
    if not kode_within(participant.kode_wilayah, program.kode_wilayah):
        raise ValidationError(_("%(name)s lies outside the wilayah of the organiser of this "
                                "program.") % {"name": participant})


@transaction.atomic
def add_participant(program: Program, *, actor, participant) -> Participation:
    """Register an enterprise, a prospect or a KUB group as a participant of the program."""
    ensure_can_edit(actor, program.kode_wilayah)
    _ensure_inside_program(program, participant)
    field_name = {Enterprise: "enterprise", Prospect: "prospect",
                  KubGroup: "kub_group"}[type(participant)]
    if program.participations.filter(**{field_name: participant}).exists():
        raise ValidationError(_("%(name)s is already a participant of this program.")
                              % {"name": participant})
    participation = Participation(program=program, **{field_name: participant})
    participation.full_clean()
    participation.save()
    _created(participation, actor=actor, kode=program.kode_wilayah, subject=program)
    return participation


@transaction.atomic
def record_attendance(participation: Participation, *, actor,
                      changes: Mapping[str, Any]) -> Participation:
    """Attendance (status, days present) and the certificate of completion (number, date)."""
    # Fresh from the database: a ModelForm has already written its values on the instance.
    participation = Participation.objects.select_for_update().select_related("program").get(
        pk=participation.pk)
    ensure_can_edit(actor, participation.program.kode_wilayah)
    allowed = {"status", "days_present", "certificate_number", "certificate_date"}
    if set(changes) - allowed:
        raise ValueError(f"{set(changes) - allowed} cannot be set through this service")
    before = audit.snapshot(participation)
    _assign(participation, changes)
    participation.full_clean()
    if audit.snapshot(participation) != before:
        participation.save()
        audit.record(actor=actor, action=Update, obj=participation,
                     subject=participation.program, kode_wilayah=participation.program.kode_wilayah,
                     before=before, after=audit.snapshot(participation))
    return participation


def check_facilitating_program(program: Program | None, *, actor, kode_wilayah: str) -> None:
    """A program credited with facilitating a certificate or sentra support must be one the actor
    may see, and its organiser wilayah must reach `kode_wilayah` (pusat programs reach
    everywhere). ValidationError on the `program` field otherwise. The one place of this rule:
    forms, the API and the services of certifications and sentra use it."""
    if program is None:
        return
    if actor is not None and not (actor.is_active and actor.covers(program.kode_wilayah)):
        raise ValidationError({"program": ValidationError(_(
            "The program %(program)s is not in your wilayah. Choose a program of your wilayah, "
            "or write the facilitator as text.") % {"program": program},
            code="program_out_of_scope")})
    if not kode_within(kode_wilayah, program.kode_wilayah):
        raise ValidationError({"program": ValidationError(_(
            "The program %(program)s is run for %(wilayah)s and does not reach %(kode)s.")
            % {"program": program, "wilayah": program.kode_wilayah or _("nasional"),
               "kode": kode_wilayah}, code="program_elsewhere")})


class NotEligible(ValidationError):
    """Earlier aid of the same kind falls inside the rule's window and no reason was given."""


def eligibility_problem(program: Program, recipient, on: datetime.date) -> str:
    """The warning for aid the recipient already got within the window, or ''."""
    count = earlier_aid(recipient, program.program_type, on).count()
    if not count:
        return ""
    return ngettext(
        "%(name)s already received this kind of aid %(count)d time within the last years.",
        "%(name)s already received this kind of aid %(count)d times within the last years.",
        count) % {"name": recipient, "count": count}


def validate_document(document) -> None:
    """The handover document: PDF or image, at most NAIKKELAS_AID_DOCUMENT_MAX_BYTES."""
    if not document:
        return
    if Path(document.name).suffix.lower() not in DOCUMENT_EXTENSIONS:
        raise ValidationError(_("The handover document must be a PDF, JPG or PNG file."))
    if document.size > document_limit():
        raise ValidationError(_(
            "The handover document is %(size)s MB; at most %(limit)s MB is accepted.")
            % {"size": round(document.size / 2**20, 1), "limit": round(document_limit() / 2**20, 1)})


@transaction.atomic
def deliver_aid(program: Program, *, actor, recipient, paperwork: Mapping[str, Any],
                items: Sequence[Mapping[str, Any]], document=None,
                override_reason: str = "") -> AidDelivery:
    """Record aid handed over to an enterprise or a KUB group: SK, BAST, items, document.

    Refuses (NotEligible) when the recipient got the same kind of aid within the rule's window
    from any office, unless `override_reason` explains why; the reason goes into the audit row.
    """
    ensure_can_edit(actor, program.kode_wilayah)
    _ensure_inside_program(program, recipient)
    if not items:
        raise ValidationError(_("Record at least one item of the aid."))
    delivery = AidDelivery(program=program, **{recipient_field(recipient): recipient})
    _assign(delivery, paperwork)
    reason = override_reason.strip()
    problem = eligibility_problem(program, recipient, delivery.bast_date) if delivery.bast_date \
        else ""
    if problem and not reason:
        raise NotEligible({"override_reason": problem + " " + _(
            "Give the reason for giving it again, or choose another recipient.")})
    validate_document(document)
    delivery.override_reason = reason if problem else ""
    if document:
        delivery.document = document
    delivery.full_clean()
    delivery.save()
    for item in items:
        line = AidItem(delivery=delivery, **item)
        line.full_clean(exclude=["delivery"])
        line.save()
    after = {**audit.snapshot(delivery), "document": delivery.document.name,  # a file: its name
             "items": [audit.snapshot(i) for i in delivery.items.all()]}
    audit.record(actor=actor, action=Create, obj=delivery, subject=program,
                 kode_wilayah=program.kode_wilayah, after=after, reason=delivery.override_reason)
    return delivery
