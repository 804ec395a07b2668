"""Importing one spreadsheet into the registry: `import_file`.

Read → find the header → read and check each row → match rows to the registry → write every valid
row through the registry's own services (the same validation, scope checks and audit rows as the
web forms), all in one transaction. A dry run does all of it and rolls back, so its counts are the
real ones. Writing a value that is already there writes nothing, so a second import of the same file
changes nothing.
"""

import contextlib
import hashlib
import itertools
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Min, Q
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from naikkelas.core.models import AuditLog
from naikkelas.enterprises.models import AnnualReport, Enterprise
from naikkelas.accounts.permissions import ensure_admin_pusat, ensure_can_edit
from naikkelas.core.audit import audit_entry, snapshot
from naikkelas.core.db import chunks
from naikkelas.enterprises.services import (
    delete_annual_report, register_enterprise, save_annual_report, update_enterprise,
)
from naikkelas.imports import matching
from naikkelas.imports.bulk import BulkWriter, Table, reject_from_model
from naikkelas.imports.headers import Header, find_header
from naikkelas.imports.models import VIA_LENGTH, ImportRun, ReviewItem, upload_dir
from naikkelas.imports.pipeline import ahead, fewer_collections
from naikkelas.imports.places import Places
from naikkelas.imports.readers import UnreadableFile, open_grid
from naikkelas.imports.rows import ParsedRow, RowError, RowReader, iter_data_rows
from naikkelas.indicators.services import mark_dirty, refresh_batch
from naikkelas.linkage.models import DuplicateCandidate
from naikkelas.linkage.services import propose_duplicate

Progress = Callable[[int, int], None]
DUPLICATE_TYPE = DuplicateCandidate._meta.label_lower


class ImportRefused(Exception):
    """Nothing was imported: the file could not be read, or the import is not allowed."""


@dataclass
class ImportResult:
    """What an import did (or, in a dry run, would do). `as_dict` is the --json interface."""

    file: str
    dry_run: bool = False
    rows_read: int = 0
    rows_imported: int = 0
    rows_invalid: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    uncertain: int = 0
    errors: list[RowError] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    header_row: int = 0
    sheet: str = ""
    import_run: int | None = None
    desa_warned: bool = False
    legality: dict[str, int] = field(default_factory=dict)
    preview: list[ParsedRow] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "rows_read": self.rows_read,
                "rows_imported": self.rows_imported, "rows_invalid": self.rows_invalid,
                "created": self.created, "updated": self.updated, "uncertain": self.uncertain,
                "errors": [e.as_dict() for e in self.errors], "unchanged": self.unchanged,
                "unknown_columns": self.unknown_columns, "warnings": self.warnings,
                "dry_run": self.dry_run, "header_row": self.header_row, "sheet": self.sheet,
                "import_run": self.import_run, "legality": self.legality}


# Rows a batch. Up to three are in memory at once (one written, one waiting, one being read:
# pipeline.ahead); at 10,000 a 300,000-row file peaks at 466 MB against 602 MB at 20,000, and
# is imported as fast.
BATCH = 10_000


def import_file(path: str | Path, *, actor, wilayah: str, tahun: int, dry_run: bool = False,
                mapping: dict[str, str] | None = None, progress: Progress | None = None,
                bulk: bool = True, run: ImportRun | None = None) -> ImportResult:
    """Import one file for one wilayah and year, on behalf of `actor` (None: the system).

    The file is read, checked, matched and written in batches of BATCH rows inside one
    transaction. `bulk=False` writes row by row through the registry's services (the reference
    the bulk writer is tested against). `run` is a queued ImportRun (the web flow) to fill in
    rather than a new one. Raises ImportRefused, with a message for the user, when
    nothing can be imported.
    """
    path = Path(path)
    _ensure_allowed(actor, wilayah)
    started = timezone.now()
    try:
        grid = open_grid(path)
    except UnreadableFile as exc:
        raise ImportRefused(str(exc)) from None
    header = find_header(grid.head, mapping)
    if header is None:
        raise ImportRefused(_("No header row was found: no row names the business name and at "
                              "least one other known column (e.g. NAMA USAHA, KECAMATAN)."))
    places = Places(wilayah)
    _ensure_kecamatan_column(header, places)
    result = ImportResult(file=path.name, dry_run=dry_run, header_row=header.row + 1,
                          sheet=grid.sheet, unknown_columns=header.unknown)
    result.warnings += [_("Column '%(header)s' appears twice; only the first one is read.")
                        % {"header": h} for h in header.duplicates]
    others = [name for name, head in grid.other_heads.items() if find_header(head)]
    if others:
        warning = (_("Other sheets of the file hold IKM data too (%(sheets)s); only sheet "
                     "'%(sheet)s' is read. Import each sheet as a file of its own.")
                   % {"sheets": ", ".join(others), "sheet": grid.sheet})
        if grid.unexamined:
            warning += " " + (_("%(count)d further sheets were not looked at.")
                              % {"count": grid.unexamined})
        result.warnings.append(warning)
    try:
        with transaction.atomic():
            run = _start_run(path, actor, wilayah, tahun, started, run)
            if actor is not None:
                actor.audit_via = run.audit_via
            writer = (BulkWriter if bulk else ServiceWriter)(run, actor=actor, tahun=tahun,
                                                             result=result)
            with refresh_batch(), fewer_collections():
                _import_rows(grid, header, places, writer, result, progress)
            _finish_run(run, result)
            if dry_run:
                transaction.set_rollback(True)
            else:
                result.import_run = run.pk
    except UnreadableFile as exc:  # found midway (a damaged csv): nothing was written
        raise ImportRefused(str(exc)) from None
    return result


def _import_rows(grid, header: Header, places: Places, writer, result: ImportResult,
                 progress: Progress | None) -> None:
    """Read, check, match and write the data rows batch by batch; each batch is read and
    matched while the one before is written (pipeline.ahead)."""
    reader = RowReader(header, places)
    registry = matching.load_registry(places.kode)
    first_nib: dict[str, int] = {}
    total = max(grid.total - header.first_data_row, 0)

    def read() -> Iterator[tuple[int, list[ParsedRow], list[ParsedRow], list]]:
        rows = iter_data_rows(grid.rows_from(header.first_data_row), header)
        for batch in _batches(rows, BATCH):
            parsed = [reader.read(number, cells) for number, cells in batch]
            _reject_duplicate_nibs(parsed, first_nib)
            valid = [row for row in parsed if row.valid]
            decisions = matching.match(valid, places.kode, registry=registry)
            writer.check(valid, decisions)
            yield batch[-1][0], parsed, valid, decisions

    for last, parsed, valid, decisions in ahead(read()):
        result.rows_read += len(parsed)
        writer.write(valid, decisions)
        for row in parsed:
            if not row.valid:
                result.rows_invalid += 1
                result.errors += row.errors
        _warn_desa_not_loaded(valid, header, places, result)
        _note_legality(parsed, result)
        if progress:
            progress(min(last - header.first_data_row, total), total)
    result.rows_imported = result.created + result.updated + result.unchanged
    if result.legality:
        result.warnings.append(_("Legality columns were recognised (%(columns)s) but are not "
                                 "stored yet.") % {"columns": ", ".join(sorted(result.legality))})
    if progress:
        progress(total, total)


PREVIEW_ROWS = 20


def _note_legality(rows: list[ParsedRow], result: ImportResult) -> None:
    """Count the legality cells read, and keep the first rows for the web preview."""
    for row in rows:
        for name in row.legality:
            result.legality[name] = result.legality.get(name, 0) + 1
    room = PREVIEW_ROWS - len(result.preview)
    result.preview += [row for row in rows if row.valid][:max(room, 0)]


def _batches(items: Iterator, size: int) -> Iterator[list]:
    while batch := list(itertools.islice(items, size)):
        yield batch


def _ensure_allowed(actor, wilayah: str) -> None:
    if actor is None:
        return
    if not actor.covers(wilayah):
        raise ImportRefused(_("User '%(username)s' may not import into %(wilayah)s.")
                            % {"username": actor.username, "wilayah": wilayah})
    if not actor.can_edit:
        raise ImportRefused(_("Your role may read but not change data."))


def _ensure_kecamatan_column(header: Header, places: Places) -> None:
    if "kecamatan" not in header.fields and not places.only_kecamatan:
        raise ImportRefused(_("The file has no KECAMATAN column; it is needed unless the import "
                              "is for one kecamatan (its wilayah a kecamatan code)."))


def _reject_duplicate_nibs(rows: list[ParsedRow], first: dict[str, int]) -> None:
    """Two rows with one NIB would silently become one enterprise: reject the later ones."""
    for row in rows:
        nib = row.enterprise.get("nib")
        if not nib:
            continue
        if nib in first:
            row.reject("nib", _("The same NIB is already in row %(row)d.") % {"row": first[nib]})
        else:
            first[nib] = row.number


def _warn_desa_not_loaded(rows, header, places, result) -> None:
    if result.desa_warned:
        return
    if "desa" in header.fields and any(r.desa_text and r.valid and not places.has_desa(
            r.enterprise.get("kecamatan_id")) for r in rows):
        result.warnings.append(_("Desa/kelurahan data are not loaded for some kecamatan "
                                 "(naikkelas load-wilayah); their desa column was used for "
                                 "matching only."))
        result.desa_warned = True


def _start_run(path: Path, actor, wilayah: str, tahun: int, started,
               run: ImportRun | None) -> ImportRun:
    if run is not None:
        return run
    return ImportRun.objects.create(
        file_name=path.name[:255], sha256=_sha256(path), kode_wilayah=wilayah, tahun=tahun,
        actor=actor if getattr(actor, "pk", None) else None, started_at=started)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fp:
        while chunk := fp.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _finish_run(run: ImportRun, result: ImportResult) -> None:
    for name in ("rows_read", "rows_imported", "rows_invalid", "created", "updated",
                 "unchanged", "uncertain", "warnings"):
        setattr(run, name, getattr(result, name))
    run.errors = [e.as_dict() for e in result.errors]
    run.legality = result.legality
    run.finished_at = timezone.now()
    run.status = ImportRun.Status.DONE
    run.save()


class ServiceWriter:
    """Writes each row through the registry's services, in its own savepoint."""

    def __init__(self, run: ImportRun, *, actor, tahun: int, result: ImportResult) -> None:
        self.run, self.actor, self.tahun, self.result = run, actor, tahun, result

    def check(self, rows: list[ParsedRow], decisions: list[matching.Decision]) -> None:
        """Nothing ahead of time: the services check each row as they save it."""

    def write(self, rows: list[ParsedRow], decisions: list[matching.Decision]) -> None:
        for row, decision in zip(rows, decisions):
            _write_row(row, decision, self.run, actor=self.actor, tahun=self.tahun,
                       result=self.result)
def _write_row(row: ParsedRow, decision: matching.Decision, run: ImportRun, *, actor,
               tahun: int, result: ImportResult) -> None:
    """Save one row in its own savepoint, so a row the registry refuses leaves no trace."""
    try:
        with transaction.atomic():
            outcome = _save(row, decision, run, actor=actor, tahun=tahun)
    except ValidationError as exc:
        reject_from_model(row, exc)
        return
    except (PermissionDenied, Http404):
        row.reject("kecamatan", _("This row lies outside your wilayah."))
        return
    setattr(result, outcome, getattr(result, outcome) + 1)
    if decision.action == matching.UNCERTAIN:
        result.uncertain += 1


def _save(row: ParsedRow, decision: matching.Decision, run: ImportRun, *, actor,
          tahun: int) -> str:
    """Write the enterprise and its report; 'created', 'updated' or 'unchanged'."""
    audit_count = AuditLog.objects.count
    before = audit_count()
    if decision.action == matching.UPDATE:
        enterprise = Enterprise.objects.get(pk=decision.enterprise_id)
        enterprise = update_enterprise(enterprise, actor=actor, changes=row.enterprise)
    else:
        enterprise = register_enterprise(actor=actor, data=row.enterprise)
    if row.figures:
        save_annual_report(enterprise, actor=actor, year=tahun, figures=row.figures,
                           source=run.file_name[:200])
    if decision.action == matching.UNCERTAIN:
        ReviewItem.objects.create(import_run=run, row=row.number, enterprise=enterprise,
                                  candidate_id=decision.candidate_id, score=decision.score,
                                  rule=decision.rule)
        propose_duplicate(enterprise, Enterprise.objects.get(pk=decision.candidate_id),
                          actor=actor, score=decision.score / 100, via=run.audit_via)
    if decision.action != matching.UPDATE:
        return "created"
    return "updated" if audit_count() != before else "unchanged"




# --- the web flow: queue, run in the background, undo --------------------------------------------

def keep_upload(upload) -> Path:
    """Store an uploaded file under a random name until it is previewed and confirmed."""
    path = upload_dir() / f"{uuid.uuid4()}{Path(upload.name).suffix.lower()}"
    with path.open("wb") as fp:
        for chunk in upload.chunks():
            fp.write(chunk)
    return path


def queue_import(path: Path, file_name: str, *, actor, wilayah: str, tahun: int,
                 mapping: dict[str, str]) -> ImportRun:
    """Queue the import of a kept upload as a background task (`tasks.run_import`). An actor
    signed in with an API token (`api_token`) has the token named in the import's audit rows."""
    from naikkelas.imports.tasks import run_import
    _ensure_allowed(actor, wilayah)
    via = actor.audit_via if getattr(actor, "api_token", None) else ""
    run = ImportRun(file_name=file_name[:255], kode_wilayah=wilayah, tahun=tahun, actor=actor,
                    started_at=timezone.now(), status=ImportRun.Status.QUEUED, mapping=mapping,
                    token=uuid.UUID(path.stem), sha256=_sha256(path),
                    started_via=via[:ImportRun._meta.get_field("started_via").max_length])
    run.save()
    path.rename(run.upload_path)
    run.write_progress(0, 0)
    transaction.on_commit(lambda: run_import.enqueue(run.pk))
    return run


def run_queued_import(run: ImportRun) -> None:
    """Import a queued run's file; a refusal or a crash marks the run failed, nothing written."""
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING)
    run.status = ImportRun.Status.RUNNING
    try:
        import_file(run.upload_path, actor=run.actor, wilayah=run.kode_wilayah, tahun=run.tahun,
                    mapping=run.mapping, progress=run.write_progress, run=run)
    except ImportRefused as exc:
        _fail(run, str(exc))
    except Exception:
        _fail(run, _("The import stopped on an unexpected error; nothing was written."))
        raise
    finally:
        run.progress_path.unlink(missing_ok=True)


def _fail(run: ImportRun, reason: str) -> None:
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.FAILED, failure=reason,
                                               finished_at=timezone.now())


class UndoRefused(Exception):
    """The batch cannot be undone; the message says why."""


def queue_undo(run: ImportRun, *, actor) -> None:
    """Start undoing a finished import as a background task (`tasks.run_undo`): an import of
    many thousands of rows takes longer to undo than a web request may last. The run is marked
    UNDOING at once, so that it is undone once; a refusal, or a task that stops or cannot be
    started, puts it back to DONE with the reason in `undo_refused` (the undo is all or
    nothing, so DONE is then true)."""
    ensure_admin_pusat(actor)
    started = (ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.DONE)
               .update(status=ImportRun.Status.UNDOING, undo_refused=""))
    if not started:
        if ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.UNDOING).exists():
            raise UndoRefused(_("This import is already being undone."))
        raise UndoRefused(_("Only a finished import can be undone."))
    language = translation.get_language()
    transaction.on_commit(lambda: _enqueue_undo(run.pk, actor.pk, language))


def _enqueue_undo(run_id: int, user_id: int, language: str) -> None:
    from naikkelas.imports.tasks import run_undo
    try:
        run_undo.enqueue(run_id, user_id, language)
    except BaseException:
        _undo_refused(run_id, _("The undo could not be started; nothing was undone."))
        raise


def run_queued_undo(run_id: int, *, user_id: int, language: str) -> None:
    """The task of `queue_undo`: `undo_import`, its refusal kept for the import's page."""
    from django.contrib.auth import get_user_model
    with translation.override(language):
        try:
            run = ImportRun.objects.get(pk=run_id)
            undo_import(run, actor=get_user_model().objects.get(pk=user_id))
        except (UndoRefused, PermissionDenied) as exc:
            _undo_refused(run_id, str(exc))
        except BaseException:  # a crash, or the worker stopped: not left "being undone"
            with contextlib.suppress(Exception):  # the connection may be gone as well
                _undo_refused(run_id, _("The undo stopped on an unexpected error; nothing was "
                                        "undone."))
            raise


def _undo_refused(run_id: int, reason: str) -> None:
    ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.UNDOING).update(
        status=ImportRun.Status.DONE, undo_refused=reason)


def undo_import(run: ImportRun, *, actor) -> int:
    """Revert what one import wrote: its new enterprises and reports go, its changes are put
    back. Admin pusat only. Refused, with nothing undone, when a later change touched the same
    enterprises or a new enterprise has since got records of its own elsewhere (a program
    participation, aid, a loan, ...), since undoing would silently lose them, and when a change
    cannot be put back. Returns the number of changes reverted; audited.

    The enterprises the import created go in bulk (a batch of thousands in seconds); the changes
    it made to enterprises already registered are put back one by one, newest first, through the
    registry's services.
    """
    ensure_admin_pusat(actor)
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.status not in {ImportRun.Status.DONE, ImportRun.Status.UNDOING}:
            raise UndoRefused(_("Only a finished import can be undone."))
        entries = AuditLog.objects.filter(via=run.audit_via)
        count = entries.count()
        _ensure_nothing_later(entries)
        created_entries = entries.filter(action=AuditLog.Action.CREATE,
                                         object_type=Enterprise._meta.label_lower)
        created = sorted(int(pk) for pk in created_entries.values_list("object_id", flat=True))
        _ensure_nothing_attached(created)
        actor.audit_via = _undo_via(run)
        # The rollups once at the end, not once a reverted change: each refresh holds locks
        # until the transaction ends, and thousands of them ran out of PostgreSQL's lock table.
        with refresh_batch():
            others = entries.exclude(subject_id__in=created_entries.values("object_id"))
            # Their ids first: the loop writes audit rows, which a read in chunks of the same
            # table must not see on SQLite.
            ids = list(others.order_by("-id").values_list("id", flat=True))
            for part in chunks(ids, UNDO_CHUNK):
                for entry in AuditLog.objects.filter(pk__in=part).order_by("-id"):
                    _revert(entry, actor=actor, reason=actor.audit_via)
            _discard_created(created, actor=actor, reason=actor.audit_via)
        run.status, run.undone_at, run.undo_refused = ImportRun.Status.UNDONE, timezone.now(), ""
        run.save(update_fields=["status", "undone_at", "undo_refused"])
    return count


UNDO_CHUNK = 2000
# What a new enterprise of an import may hold that the undo takes with it: its reports and their
# size classes, and the review items and duplicate pairs the import queued for it.
UNDONE_WITH = {"enterprises.annualreport", "enterprises.sizeclassification",
               "imports.reviewitem", "linkage.duplicatecandidate"}


def _ensure_nothing_later(entries) -> None:
    """Refuse when an enterprise of the import was changed after it, other than by it or by a
    later import that was undone (with its undo, it put back what it changed)."""
    first = entries.aggregate(first=Min("id"))["first"]
    if first is None:
        return
    later = (AuditLog.objects.filter(subject_type=Enterprise._meta.label_lower,
                                     subject_id__in=entries.values("subject_id"), id__gt=first)
             .exclude(via=entries.values("via")[:1]))
    counts = dict(later.values_list("via").annotate(n=Count("id")).order_by())
    count = sum(n for via, n in counts.items() if not _of_an_undone_import(via))
    if count:
        raise UndoRefused(_("%(count)d later changes were made to enterprises of this import; "
                            "undoing it would lose them, so nothing was undone.")
                          % {"count": count})


RUN_NUMBER = re.compile(r"impor #(\d+)\b")


def _of_an_undone_import(via: str) -> bool:
    """Whether `via` is that of an undone import's rows or of its undo's. (An undo's via is
    written in the language of its request, hence each language.)"""
    found = RUN_NUMBER.search(via)
    run = found and ImportRun.objects.filter(pk=int(found[1]),
                                             status=ImportRun.Status.UNDONE).first()
    if not run:
        return False
    if via == run.audit_via:
        return True
    for language in {"en"} | {code for code, _name in settings.LANGUAGES}:
        with translation.override(language):
            if via == _undo_via(run):
                return True
    return False


def _undo_via(run: ImportRun) -> str:
    # Cut to the column (a token's name can fill it); the run's number comes first.
    return (_("undo of %(via)s") % {"via": run.audit_via})[:VIA_LENGTH]


def _ensure_nothing_attached(created: list[int]) -> None:
    """Refuse when a new enterprise has since got records that deleting it would take along:
    those are audited under their program, sentra or loan, not under the enterprise."""
    found: dict[str, int] = {}
    for relation in Enterprise._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete \
                or relation.related_model._meta.label_lower in UNDONE_WITH:
            continue
        manager = relation.related_model._base_manager
        number = sum(manager.filter(**{f"{relation.field.name}__in": chunk}).count()
                     for chunk in chunks(created, UNDO_CHUNK))
        if number:
            label = str(relation.related_model._meta.verbose_name_plural)
            found[label] = found.get(label, 0) + number
    if found:
        raise UndoRefused(_("Enterprises of this import have since got records that undoing "
                            "would delete (%(records)s); nothing was undone.")
                          % {"records": ", ".join(f"{label}: {number}"
                                                  for label, number in sorted(found.items()))})


def _revert(entry: AuditLog, *, actor, reason: str) -> None:
    """Put back one audited change of the import to an enterprise it did not create (those go
    in `_discard_created`), through the registry's services: the fields that change wrote, as
    they were (`restoring`: only the database's rules are checked again)."""
    if entry.object_type == DUPLICATE_TYPE:
        return  # the queued pair goes with the enterprise the import created
    report = entry.object_type == "enterprises.annualreport"
    enterprise = Enterprise.objects.filter(pk=int(entry.subject_id)).first()
    if enterprise is None:
        return
    try:
        if entry.action == AuditLog.Action.CREATE and report:
            found = enterprise.reports.filter(pk=int(entry.object_id)).first()
            if found:
                delete_annual_report(found, actor=actor, reason=reason)
        elif entry.action != AuditLog.Action.UPDATE:
            raise UndoRefused(_("This import wrote a change the undo does not know how to put "
                                "back (%(action)s %(object)s); nothing was undone.")
                              % {"action": entry.get_action_display(), "object": entry.object_repr})
        elif report:
            save_annual_report(enterprise, actor=actor, year=entry.before["year"],
                               figures=_restorable(entry, AnnualReport, {"year"}),
                               restoring=True)
        else:
            update_enterprise(enterprise, actor=actor, changes=_restorable(entry, Enterprise),
                              restoring=True)
    except ValidationError as exc:
        raise UndoRefused(_("'%(name)s' cannot be put back as it was: %(problem)s Nothing was "
                            "undone.")
                          % {"name": enterprise.name, "problem": " ".join(exc.messages)}) from None


def _restorable(entry: AuditLog, model, locked: set[str] = frozenset()) -> dict:
    """The fields an UPDATE entry changed, back as attribute values (FKs by attname), without
    the locked fields."""
    before, after = entry.before, entry.after or {}
    skip = {"id", "created_at", "updated_at", "deleted_at", "enterprise"} | set(locked)
    values = {}
    for field in model._meta.concrete_fields:
        name = field.name
        if name in before and name not in skip and before[name] != after.get(name):
            values[field.attname] = field.to_python(before[name])
    return values


def _discard_created(created: list[int], *, actor, reason: str) -> None:
    """Remove the enterprises the import created, with their reports, a batch at a time, each
    with a DELETE audit row as `delete_annual_report` writes a report's, and the enterprise's
    with its snapshot."""
    kecamatan, years = set(), set()
    audit_rows = Table(AuditLog, with_id=False)  # as the importer writes them: COPY
    for chunk in chunks(created, UNDO_CHUNK):
        enterprises = {e.pk: e for e in Enterprise.objects.filter(pk__in=chunk)}
        for code in {e.kode_wilayah for e in enterprises.values()}:
            ensure_can_edit(actor, code)
        reports = list(AnnualReport.objects.filter(enterprise_id__in=chunk).order_by("id"))
        for report in reports:
            report.enterprise = enterprises[report.enterprise_id]  # its label names it
        rows = [(report, report.enterprise) for report in reports]
        rows += [(e, e) for e in enterprises.values()]
        audit_rows.insert_objects(
            [audit_entry(actor=actor, action=AuditLog.Action.DELETE, obj=obj, subject=owner,
                         kode_wilayah=owner.kode_wilayah, before=snapshot(obj), reason=reason)
             for obj, owner in rows])
        kecamatan |= {e.kecamatan_id for e in enterprises.values()}
        years |= {report.year for report in reports}
        ReviewItem.objects.filter(Q(enterprise_id__in=chunk) | Q(candidate_id__in=chunk)).delete()
        Enterprise.objects.filter(pk__in=chunk).delete()
    mark_dirty(kecamatan, years | {year + 1 for year in years})
