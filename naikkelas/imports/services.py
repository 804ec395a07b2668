"""Importing one spreadsheet into the registry: `import_file`.

Read → find the header → read and check each row → match rows to the registry → write every valid
row through the registry's own services (the same validation, scope checks and audit rows as the
web forms), all in one transaction. A dry run does all of it and rolls back, so its counts are the
real ones. Writing a value that is already there writes nothing, so a second import of the same file
changes nothing.
"""

import hashlib
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.core.models import AuditLog
from naikkelas.enterprises.models import Enterprise
from naikkelas.enterprises.services import register_enterprise, save_annual_report, update_enterprise
from naikkelas.imports import matching
from naikkelas.imports.bulk import BulkWriter, reject_from_model
from naikkelas.imports.headers import Header, find_header
from naikkelas.imports.models import ImportRun, ReviewItem
from naikkelas.imports.places import Places
from naikkelas.imports.readers import UnreadableFile, open_grid
from naikkelas.imports.rows import ParsedRow, RowError, RowReader, iter_data_rows

Progress = Callable[[int, int], None]


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

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "rows_read": self.rows_read,
                "rows_imported": self.rows_imported, "rows_invalid": self.rows_invalid,
                "created": self.created, "updated": self.updated, "uncertain": self.uncertain,
                "errors": [e.as_dict() for e in self.errors], "unchanged": self.unchanged,
                "unknown_columns": self.unknown_columns, "warnings": self.warnings,
                "dry_run": self.dry_run, "header_row": self.header_row, "sheet": self.sheet,
                "import_run": self.import_run}


BATCH = 5000


def import_file(path: str | Path, *, actor, wilayah: str, tahun: int, dry_run: bool = False,
                mapping: dict[str, str] | None = None, progress: Progress | None = None,
                bulk: bool = True) -> ImportResult:
    """Import one file for one wilayah and year, on behalf of `actor` (None: the system).

    The file is read, checked, matched and written in batches of BATCH rows inside one
    transaction. `bulk=False` writes row by row through the registry's services (the reference
    the bulk writer is tested against). Raises ImportRefused, with a message for the user, when
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
    with transaction.atomic():
        run = _start_run(path, actor, wilayah, tahun, started)
        writer = (BulkWriter if bulk else ServiceWriter)(run, actor=actor, tahun=tahun,
                                                         result=result)
        _import_rows(grid, header, places, writer, result, progress)
        _finish_run(run, result)
        if dry_run:
            transaction.set_rollback(True)
        else:
            result.import_run = run.pk
    return result


def _import_rows(grid, header: Header, places: Places, writer, result: ImportResult,
                 progress: Progress | None) -> None:
    """Read, check, match and write the data rows batch by batch."""
    reader = RowReader(header, places)
    registry = matching.load_registry(places.kode)
    first_nib: dict[str, int] = {}
    total = max(grid.total - header.first_data_row, 0)
    rows = iter_data_rows(grid.rows_from(header.first_data_row), header)
    for batch in _batches(rows, BATCH):
        parsed = [reader.read(number, cells) for number, cells in batch]
        result.rows_read += len(parsed)
        _reject_duplicate_nibs(parsed, first_nib)
        valid = [row for row in parsed if row.valid]
        writer.write(valid, matching.match(valid, places.kode, registry=registry))
        for row in parsed:
            if not row.valid:
                result.rows_invalid += 1
                result.errors += row.errors
        _warn_desa_not_loaded(valid, header, places, result)
        if progress:
            progress(min(batch[-1][0] - header.first_data_row, total), total)
    result.rows_imported = result.created + result.updated + result.unchanged
    if progress:
        progress(total, total)


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
                              "is for one kecamatan (--wilayah with a kecamatan code)."))


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


def _start_run(path: Path, actor, wilayah: str, tahun: int, started) -> ImportRun:
    return ImportRun.objects.create(
        file_name=path.name[:255], sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        kode_wilayah=wilayah, tahun=tahun, actor=actor if getattr(actor, "pk", None) else None,
        started_at=started)


def _finish_run(run: ImportRun, result: ImportResult) -> None:
    for name in ("rows_read", "rows_imported", "rows_invalid", "created", "updated",
                 "unchanged", "uncertain", "warnings"):
        setattr(run, name, getattr(result, name))
    run.errors = [e.as_dict() for e in result.errors]
    run.finished_at = timezone.now()
    run.save()


class ServiceWriter:
    """Writes each row through the registry's services, in its own savepoint."""

    def __init__(self, run: ImportRun, *, actor, tahun: int, result: ImportResult) -> None:
        self.run, self.actor, self.tahun, self.result = run, actor, tahun, result

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
    if decision.action != matching.UPDATE:
        return "created"
    return "updated" if audit_count() != before else "unchanged"


