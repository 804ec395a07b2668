"""Every change the duplicate queue makes: scans, decisions, merges and their undoing.

Each function takes a keyword-only `actor`, runs in one transaction and writes its audit rows in it.
"""

import re
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.accounts.permissions import ensure_can_edit
from naikkelas.core import audit
from naikkelas.core.models import AuditLog
from naikkelas.enterprises.models import AnnualReport, Enterprise
from naikkelas.enterprises.services import reclassify
from naikkelas.linkage.engine import link
from naikkelas.linkage.models import CandidateStatus, DuplicateCandidate, MergeRecord
from naikkelas.wilayah.models import Wilayah

# Empty fields of the kept enterprise that a merge fills from the other one.
FILLABLE = ("nib", "npwp", "owner_nik", "owner_gender", "owner_phone", "address", "desa",
            "latitude", "longitude", "kbli", "products", "founded_year")
RECORD_FIELDS = ("name", "owner_name", "owner_nik", "nib", "owner_phone", "address", "desa_id",
                 "kecamatan_id", "kbli_id", "products")


@dataclass
class ScanResult:
    """What one registry scan found: counts for the command's --json summary."""

    wilayah: str
    enterprises: int = 0
    clusters: int = 0
    pairs: int = 0
    created: int = 0
    updated: int = 0
    already_decided: int = 0
    candidates: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"wilayah": self.wilayah, "enterprises": self.enterprises,
                "clusters": self.clusters, "pairs": self.pairs, "created": self.created,
                "updated": self.updated, "already_decided": self.already_decided,
                "candidates": self.candidates}


def registry_records(queryset) -> tuple[list[int], list[dict]]:
    """Enterprise ids and their linkage records (the importer's field names)."""
    ids, records = [], []
    for row in queryset.values("pk", *RECORD_FIELDS).iterator(chunk_size=5000):
        ids.append(row.pop("pk"))
        records.append({name.removesuffix("_id"): value for name, value in row.items()})
    return ids, records


@transaction.atomic
def scan_registry(kode: str, *, actor) -> ScanResult:
    """Link the active enterprises of a wilayah (inside the actor's scope) and queue every linked
    pair. A pair already decided stays decided; an open one gets the new score."""
    ensure_can_edit(actor, kode)
    queryset = Enterprise.objects.active().in_wilayah(kode)
    if actor is not None:
        queryset = queryset.visible_to(actor)
    ids, records = registry_records(queryset.order_by("pk"))
    result = ScanResult(wilayah=kode, enterprises=len(ids))
    if len(ids) > 1:
        linkage = link(records)
        result.clusters = len(linkage.clusters())
        pairs = [(ids[a], ids[b], float(s), linkage.agreed(k))
                 for k, (a, b, s) in enumerate(zip(linkage.a, linkage.b, linkage.score))]
        _queue(pairs, result)
    audit.record(actor=actor, action=AuditLog.Action.CREATE, obj=Wilayah.objects.get(kode=kode)
                 if kode else actor, kode_wilayah=kode, after=result.as_dict() | {"candidates": []},
                 reason=_("duplicate scan"))
    return result


def _queue(pairs: list[tuple[int, int, float, list[str]]], result: ScanResult) -> None:
    result.pairs = len(pairs)
    ordered = {(min(a, b), max(a, b)): (round(min(max(s, 0.0), 1.0), 4), agreed)
               for a, b, s, agreed in pairs}
    existing = {(c.enterprise_a_id, c.enterprise_b_id): c for c in DuplicateCandidate.objects
                .filter(enterprise_a_id__in={a for a, _ in ordered})
                .filter(enterprise_b_id__in={b for _, b in ordered})}
    new, changed = [], []
    for (a, b), (score, agreed) in ordered.items():
        candidate = existing.get((a, b))
        if candidate is None:
            new.append(DuplicateCandidate(enterprise_a_id=a, enterprise_b_id=b, score=score,
                                          agreed=agreed))
        elif candidate.status == CandidateStatus.OPEN:
            candidate.score, candidate.agreed = score, agreed
            changed.append(candidate)
        else:
            result.already_decided += 1
        result.candidates.append({"enterprise_a": a, "enterprise_b": b, "score": score,
                                  "agreed": agreed})
    DuplicateCandidate.objects.bulk_create(new, batch_size=1000)
    DuplicateCandidate.objects.bulk_update(changed, ["score", "agreed"], batch_size=1000)
    result.created, result.updated = len(new), len(changed)


def agreed_fields(one: Enterprise, other: Enterprise) -> list[str]:
    """The compared fields (RECORD_FIELDS) both enterprises fill with the same value, ignoring
    case, spacing, punctuation and word order."""
    def key(value) -> str:
        return " ".join(sorted(re.sub(r"[^\w]+", " ", str(value or "").lower()).split()))
    agreed = []
    for name in RECORD_FIELDS:
        mine, theirs = key(getattr(one, name)), key(getattr(other, name))
        if mine and mine == theirs:
            agreed.append(name.removesuffix("_id"))
    return agreed


@transaction.atomic
def propose_duplicate(enterprise: Enterprise, other: Enterprise, *, actor, score: float,
                      agreed: list[str] | None = None, via: str | None = None,
                      ) -> DuplicateCandidate:
    """Queue two enterprises that may be one for an officer's decision (the importer's uncertain
    matches). `score` is 0-1; `agreed` defaults to `agreed_fields`. The pair is stored lower id
    first; a pair already queued keeps its decision, and an open one its higher score. Audited
    (`via` names the import when the actor cannot, as for the system itself)."""
    ensure_can_edit(actor, enterprise.kode_wilayah)
    ensure_can_edit(actor, other.kode_wilayah)
    if enterprise.pk == other.pk:
        raise ValidationError(_("An enterprise cannot be a duplicate of itself."))
    a, b = sorted((enterprise, other), key=lambda e: e.pk)
    score = round(min(max(float(score), 0.0), 1.0), 4)
    agreed = agreed_fields(a, b) if agreed is None else list(agreed)
    candidate, created = DuplicateCandidate.objects.select_for_update().get_or_create(
        enterprise_a=a, enterprise_b=b, defaults={"score": score, "agreed": agreed})
    if not created and (candidate.status != CandidateStatus.OPEN or candidate.score >= score):
        return candidate
    before = None if created else audit.snapshot(candidate)
    if not created:
        candidate.score, candidate.agreed = score, agreed
        candidate.save(update_fields=["score", "agreed"])
    entry = audit.record(actor=actor, action=AuditLog.Action.CREATE if created
                         else AuditLog.Action.UPDATE, obj=candidate, subject=enterprise,
                         kode_wilayah=enterprise.kode_wilayah, before=before,
                         after=audit.snapshot(candidate), reason=_("possible duplicate"))
    if via is not None and entry.via != via:
        AuditLog.objects.filter(pk=entry.pk).update(via=via)
    return candidate


def _decide(candidate: DuplicateCandidate, status: str, actor) -> None:
    candidate.status = status
    candidate.decided_by = actor if getattr(actor, "pk", None) else None
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at"])


def _ensure_open(candidate: DuplicateCandidate) -> None:
    if candidate.status != CandidateStatus.OPEN:
        raise ValidationError(_("This pair has already been decided."))


@transaction.atomic
def mark_not_duplicate(candidate: DuplicateCandidate, *, actor) -> DuplicateCandidate:
    """"Bukan duplikat": the pair is two enterprises and never comes back to the queue."""
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    ensure_can_edit(actor, candidate.enterprise_a.kode_wilayah)
    ensure_can_edit(actor, candidate.enterprise_b.kode_wilayah)
    _ensure_open(candidate)
    before = audit.snapshot(candidate)
    _decide(candidate, CandidateStatus.NOT_DUPLICATE, actor)
    audit.record(actor=actor, action=AuditLog.Action.UPDATE, obj=candidate,
                 subject=candidate.enterprise_a, kode_wilayah=candidate.kode_wilayah,
                 before=before, after=audit.snapshot(candidate), reason=_("not a duplicate"))
    return candidate


@transaction.atomic
def merge_candidate(candidate: DuplicateCandidate, *, actor, survivor: Enterprise) -> MergeRecord:
    """Merge the pair of a queued candidate, keeping `survivor` (one of its two enterprises)."""
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    _ensure_open(candidate)
    pair = {candidate.enterprise_a_id: candidate.enterprise_b, candidate.enterprise_b_id:
            candidate.enterprise_a}
    if survivor.pk not in pair:
        raise ValidationError(_("The kept enterprise must be one of the pair."))
    record = merge_enterprises(survivor, pair[survivor.pk], actor=actor, candidate=candidate)
    _decide(candidate, CandidateStatus.MERGED, actor)
    return record


# --- merge and unmerge -----------------------------------------------------------------------

def referencing_fields() -> list[models.ForeignKey]:
    """Every foreign key in the project that points at Enterprise, found from the model's
    relations (hidden ones and many-to-many through tables included), so that the apps of
    programs, sentra, certificates, financing ... are covered without being named here.
    The queue's own tables are left out: they describe the merge rather than the enterprise."""
    own = {DuplicateCandidate, MergeRecord}
    return [rel.field for rel in Enterprise._meta.get_fields(include_hidden=True)
            if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)
            and rel.related_model not in own]


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


@transaction.atomic
def merge_enterprises(survivor: Enterprise, other: Enterprise, *, actor,
                      candidate: DuplicateCandidate | None = None) -> MergeRecord:
    """Fold `other` into `survivor`: every row pointing at other now points at survivor, annual
    reports included (a year both have keeps the survivor's figures; the other's are kept in
    the merge record), survivor's empty fields are filled from other, other is soft-deleted.
    The MergeRecord holds everything `unmerge_enterprises` needs to restore exactly."""
    survivor, other = _lock_pair(survivor, other)
    for enterprise in (survivor, other):
        ensure_can_edit(actor, enterprise.kode_wilayah)
    survivor_before, other_before = audit.snapshot(survivor), audit.snapshot(other)
    record = MergeRecord(survivor=survivor, other=other, candidate=candidate,
                         other_before=other_before, merged_by=_user(actor))
    record.dropped = _drop_clashing_reports(survivor, other)
    record.moved, dropped = _repoint(other, survivor)
    record.dropped += dropped
    other.deleted_at, nib = timezone.now(), other.nib
    other.nib = None  # the NIB is unique, also among deleted records; it may pass to survivor
    other.save(update_fields=["deleted_at", "nib", "updated_at"])
    filled = _fill_blanks(survivor, other_before | {"nib": nib})
    record.survivor_filled = {name: survivor_before[name] for name in filled}
    record.save()
    reclassify(survivor)
    _audit_merge(record, actor, survivor_before, other_before)
    return record


def _lock_pair(survivor: Enterprise, other: Enterprise) -> tuple[Enterprise, Enterprise]:
    if survivor.pk == other.pk:
        raise ValidationError(_("An enterprise cannot be merged with itself."))
    locked = {e.pk: e for e in Enterprise.objects.select_for_update().filter(
        pk__in=[survivor.pk, other.pk]).order_by("pk")}
    survivor, other = locked[survivor.pk], locked[other.pk]
    if survivor.deleted_at or other.deleted_at:
        raise ValidationError(_("A deleted enterprise cannot be merged."))
    return survivor, other


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _drop_clashing_reports(survivor: Enterprise, other: Enterprise) -> list[dict]:
    """The other's reports of years the survivor also has: snapshots, then deleted."""
    years = set(survivor.reports.values_list("year", flat=True))
    clashing = list(AnnualReport.objects.filter(enterprise=other, year__in=years))
    dropped = [{"model": _label(AnnualReport), "values": _values(r)} for r in clashing]
    AnnualReport.objects.filter(pk__in=[r.pk for r in clashing]).delete()
    return dropped


def _values(obj: models.Model) -> dict:
    """The row as attname -> JSON-safe value, enough to insert it again."""
    snapshot = audit.snapshot(obj)
    return {f.attname: snapshot[f.name] for f in obj._meta.concrete_fields}


def _repoint(other: Enterprise, survivor: Enterprise) -> tuple[list[dict], list[dict]]:
    """Re-point every referencing row; a row a uniqueness rule refuses is kept as a snapshot
    and deleted (the survivor already has its equivalent)."""
    moved, dropped = [], []
    for fk in referencing_fields():
        model = fk.model
        rows = list(model._base_manager.filter(**{fk.name: other}))
        if not rows:
            continue
        pks = _move_rows(model, fk, rows, survivor, dropped)
        moved.append({"model": _label(model), "field": fk.attname, "pks": pks})
    return moved, dropped


def _move_rows(model, fk, rows: list, survivor: Enterprise, dropped: list[dict]) -> list:
    try:
        with transaction.atomic():
            model._base_manager.filter(pk__in=[r.pk for r in rows]).update(
                **{fk.attname: survivor.pk})
        return [r.pk for r in rows]
    except IntegrityError:
        pass
    pks = []
    for row in rows:
        try:
            with transaction.atomic():
                model._base_manager.filter(pk=row.pk).update(**{fk.attname: survivor.pk})
            pks.append(row.pk)
        except IntegrityError:
            dropped.append({"model": _label(model), "values": _values(row)})
            row.delete()
    return pks


def _fill_blanks(survivor: Enterprise, other_values: dict) -> list[str]:
    filled = []
    for name in FILLABLE:
        attname = Enterprise._meta.get_field(name).attname
        if getattr(survivor, attname) in (None, "") and other_values.get(name) not in (None, ""):
            setattr(survivor, attname, other_values[name])
            filled.append(name)
    if filled:
        # Only the filled fields are checked: an old flaw elsewhere must not block the merge.
        survivor.full_clean(exclude=[f.name for f in Enterprise._meta.fields
                                     if f.name not in filled])
        survivor.save()
    return filled


def _audit_merge(record: MergeRecord, actor, survivor_before: dict, other_before: dict) -> None:
    survivor, other = record.survivor, record.other
    reason = _("merged: %(other)s (#%(other_id)s) into %(survivor)s (#%(survivor_id)s)") % {
        "other": other, "other_id": other.pk, "survivor": survivor, "survivor_id": survivor.pk}
    audit.record(actor=actor, action=AuditLog.Action.CREATE, obj=record, subject=survivor,
                 kode_wilayah=survivor.kode_wilayah, after=audit.snapshot(record), reason=reason)
    audit.record(actor=actor, action=AuditLog.Action.UPDATE, obj=survivor,
                 kode_wilayah=survivor.kode_wilayah, before=survivor_before,
                 after=audit.snapshot(survivor), reason=reason)
    audit.record(actor=actor, action=AuditLog.Action.DELETE, obj=other,
                 kode_wilayah=other.kode_wilayah, before=other_before,
                 after=audit.snapshot(other), reason=reason)


@transaction.atomic
def unmerge_enterprises(record: MergeRecord, *, actor) -> MergeRecord:
    """Undo a merge exactly: rows go back to the other enterprise, the rows kept only in the
    record are inserted again, both enterprises get their fields back, and the pair returns to
    the queue as open."""
    record = MergeRecord.objects.select_for_update().get(pk=record.pk)
    survivor, other = Enterprise.objects.select_for_update().get(pk=record.survivor_id), \
        Enterprise.objects.select_for_update().get(pk=record.other_id)
    for enterprise in (survivor, other):
        ensure_can_edit(actor, enterprise.kode_wilayah)
    if record.unmerged_at:
        raise ValidationError(_("This merge has already been undone."))
    survivor_before, other_before = audit.snapshot(survivor), audit.snapshot(other)
    _restore_fields(survivor, record.survivor_filled)
    _restore_fields(other, record.other_before)
    for entry in record.moved:
        apps.get_model(entry["model"])._base_manager.filter(pk__in=entry["pks"]).update(
            **{entry["field"]: other.pk})
    for entry in record.dropped:
        apps.get_model(entry["model"])(**entry["values"]).save(force_insert=True)
    reclassify(survivor)
    reclassify(other)
    record.unmerged_at, record.unmerged_by = timezone.now(), _user(actor)
    record.save(update_fields=["unmerged_at", "unmerged_by"])
    if record.candidate_id:
        DuplicateCandidate.objects.filter(pk=record.candidate_id).update(
            status=CandidateStatus.OPEN, decided_by=None, decided_at=None)
    _audit_unmerge(record, actor, survivor_before, other_before)
    return record


def _restore_fields(enterprise: Enterprise, values: dict) -> None:
    """Write the stored values back as they were (no auto timestamps, no id)."""
    changes = {}
    for name, value in values.items():
        model_field = Enterprise._meta.get_field(name)
        if not model_field.primary_key:
            changes[model_field.attname] = model_field.to_python(value)
    Enterprise.objects.filter(pk=enterprise.pk).update(**changes)


def _audit_unmerge(record: MergeRecord, actor, survivor_before: dict, other_before: dict) -> None:
    survivor, other = record.survivor, record.other
    survivor.refresh_from_db()
    other.refresh_from_db()
    reason = _("merge undone: %(other)s (#%(other_id)s) separated again from %(survivor)s") % {
        "other": other, "other_id": other.pk, "survivor": survivor}
    audit.record(actor=actor, action=AuditLog.Action.UPDATE, obj=record, subject=survivor,
                 kode_wilayah=survivor.kode_wilayah, after=audit.snapshot(record), reason=reason)
    audit.record(actor=actor, action=AuditLog.Action.UPDATE, obj=survivor,
                 kode_wilayah=survivor.kode_wilayah, before=survivor_before,
                 after=audit.snapshot(survivor), reason=reason)
    audit.record(actor=actor, action=AuditLog.Action.RESTORE, obj=other,
                 kode_wilayah=other.kode_wilayah, before=other_before,
                 after=audit.snapshot(other), reason=reason)
