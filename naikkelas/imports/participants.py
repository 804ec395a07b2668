"""Importing a program's participant or recipient list: `import_participants`.

The same reader, header recognition, row checks and matching as the enterprise importer. Each row
is a registered enterprise (matched by NIB, NIK + name, or name + place) or, unmatched but with a
NIK, a prospective entrepreneur (known by that NIK, or recorded now). Lists of people only (NAMA,
NIK, KECAMATAN, NO HP) are read too. All or nothing: a file with any bad row writes nothing.
"""

from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from naikkelas.enterprises.models import Enterprise
from naikkelas.imports import matching
from naikkelas.imports.headers import Header, find_header
from naikkelas.imports.places import Places
from naikkelas.imports.readers import UnreadableFile, read_grid
from naikkelas.imports.results import ListImportResult
from naikkelas.imports.rows import ParsedRow, RowError, RowReader, data_rows
from naikkelas.imports.services import ImportRefused
from naikkelas.programs.models import Program, Prospect
from naikkelas.programs.services import add_participant, register_prospect

# Participant lists name the person as "NAMA PESERTA"; a list of people only has just "NAMA".
PERSON_HEADERS = {"nama peserta": "owner_name", "nama lengkap": "owner_name",
                  "peserta": "owner_name"}
PERSON_ONLY_HEADERS = {"nama": "name", "nama peserta": "name", "nama lengkap": "name",
                       "peserta": "name"}


@dataclass
class ParticipantImportResult(ListImportResult):
    enterprises: int = 0
    prospects_new: int = 0
    prospects_known: int = 0
    already: int = 0

    @property
    def written(self) -> int:
        return self.enterprises + self.prospects_new + self.prospects_known


@dataclass
class _Plan:
    row: ParsedRow
    enterprise_id: int | None = None


def import_participants(path: str | Path, *, program: Program, actor) -> ParticipantImportResult:
    """Register every row of the file as a participant of `program`, or nothing at all.

    Raises ImportRefused when the file cannot be read or the actor may not change the program.
    """
    path = Path(path)
    if actor is not None and not (actor.covers(program.kode_wilayah) and actor.can_edit):
        raise ImportRefused(_("Your role may read but not change data."))
    rows = _read_rows(path, program.kode_wilayah)
    result = ParticipantImportResult(file=path.name, rows_read=len(rows))
    plans = _plan(rows, program.kode_wilayah)
    result.errors = [error for plan in plans for error in plan.row.errors]
    if not result.errors:
        _write(plans, program, actor, result)
    return result


def read_list(path: Path, mappings: list[dict[str, str]], *, no_header: str,
              no_rows: str) -> tuple[Header, list[tuple[int, list]]]:
    """The header (found with the first of `mappings` that finds one) and the numbered data rows
    of a participant or recipient list; ImportRefused with the message when there are none."""
    try:
        grid = read_grid(path)
    except UnreadableFile as exc:
        raise ImportRefused(str(exc)) from None
    header = next(filter(None, (find_header(grid.rows, m) for m in mappings)), None)
    if header is None:
        raise ImportRefused(no_header)
    rows = data_rows(grid.rows, header)
    if not rows:
        raise ImportRefused(no_rows)
    return header, rows


def _read_rows(path: Path, wilayah: str) -> list[ParsedRow]:
    header, rows = read_list(
        path, [PERSON_HEADERS, PERSON_ONLY_HEADERS],
        no_header=_("No header row was found: no row names the participant (NAMA, NAMA USAHA or "
                    "NAMA PESERTA) and another known column such as NIK or KECAMATAN."),
        no_rows=_("The file holds no participant rows below its header."))
    reader = RowReader(header, Places(wilayah))
    return [_as_participant(reader.read(number, cells)) for number, cells in rows]


def _as_participant(row: ParsedRow) -> ParsedRow:
    """A participant needs a person or a business name, not both as the registry does."""
    drop_name_errors(row)
    if not (row.enterprise.get("owner_name") or row.enterprise.get("name")):
        row.errors.append(RowError(row.number, "", _("The row names no participant.")))
    return row


def drop_name_errors(row: ParsedRow, *, business_too: bool = True) -> None:
    """Forget the registry's "name is empty" errors: a list row needs fewer names."""
    empty = {_("The owner's name is empty.")}
    if business_too:
        empty.add(_("The business name is empty."))
    row.errors = [e for e in row.errors if e.message not in empty]


def _plan(rows: list[ParsedRow], wilayah: str) -> list[_Plan]:
    """Match the valid rows to the registry; unmatched rows must carry a NIK."""
    valid = [row for row in rows if row.valid]
    decisions = dict(zip((r.number for r in valid), matching.match(valid, wilayah),
                         strict=True))
    unmatched = [row for row in valid if decisions[row.number].action != matching.UPDATE]
    owners = _owners(unmatched, wilayah)
    by_nib = _by_nib(unmatched, wilayah)
    plans = []
    for row in rows:
        decision = decisions.get(row.number)
        plan = _Plan(row)
        nik = row.enterprise.get("owner_nik")
        if decision and decision.action == matching.UPDATE:
            plan.enterprise_id = decision.enterprise_id
        elif decision and row.enterprise.get("nib") in by_nib:
            # Registered, but taken by an earlier row of the list (matching takes each
            # enterprise once): the row repeated.
            plan.enterprise_id = by_nib[row.enterprise["nib"]]
        elif decision and not nik:
            row.errors.append(RowError(row.number, "", _(
                "No registered enterprise matches this row, and without a NIK it cannot be "
                "recorded as a prospective entrepreneur.")))
        elif decision and len(owners.get(nik, ())) == 1:
            # The owner of a registered enterprise (a list of people, or the row repeated:
            # matching takes each enterprise once) is not a prospective entrepreneur.
            plan.enterprise_id = owners[nik][0]
        elif decision and nik in owners:
            row.errors.append(RowError(row.number, row.headers.get("owner_nik", ""), _(
                "This NIK is the owner's of %(count)d registered enterprises; write the NIB or "
                "the business name of the one taking part.") % {"count": len(owners[nik])}))
        plans.append(plan)
    return plans


def _by_nib(rows: list[ParsedRow], wilayah: str) -> dict[str, int]:
    """The registered enterprises of the wilayah by NIB, for the unmatched rows' NIBs."""
    nibs = {row.enterprise["nib"] for row in rows if row.enterprise.get("nib")}
    return dict(Enterprise.objects.active().in_wilayah(wilayah).filter(nib__in=nibs)
                .values_list("nib", "id"))


def _owners(rows: list[ParsedRow], wilayah: str) -> dict[str, list[int]]:
    """The registered enterprises of the wilayah by owner NIK, for the unmatched rows' NIKs."""
    niks = {row.enterprise["owner_nik"] for row in rows if row.enterprise.get("owner_nik")}
    owners: dict[str, list[int]] = {}
    found = (Enterprise.objects.active().in_wilayah(wilayah).filter(owner_nik__in=niks)
             .order_by("id").values_list("owner_nik", "id"))
    for nik, pk in found:
        owners.setdefault(nik, []).append(pk)
    return owners


def _write(plans: list[_Plan], program: Program, actor, result: ParticipantImportResult) -> None:
    """Write every row in one transaction; a refusal on any row undoes all of them."""
    with transaction.atomic():
        for plan in plans:
            try:
                _write_row(plan, program, actor, result)
            except (ValidationError, PermissionDenied, Http404) as exc:
                messages = getattr(exc, "messages", None) or [str(exc)]
                result.errors.append(RowError(plan.row.number, "", " ".join(messages)))
        if result.errors:
            transaction.set_rollback(True)
            result.enterprises = result.prospects_new = result.prospects_known = 0
            result.already = 0


def _write_row(plan: _Plan, program: Program, actor, result: ParticipantImportResult) -> None:
    if plan.enterprise_id:
        participant = Enterprise.objects.get(pk=plan.enterprise_id)
        counter = "enterprises"
    else:
        participant, counter = _prospect(plan.row, actor)
    if program.participations.filter(**{_field(participant): participant}).exists():
        result.already += 1
        return
    add_participant(program, actor=actor, participant=participant)
    setattr(result, counter, getattr(result, counter) + 1)


def _prospect(row: ParsedRow, actor) -> tuple[Prospect, str]:
    data = row.enterprise
    known = Prospect.objects.filter(nik=data["owner_nik"]).first()
    if known is not None:
        return (known.enterprise or known), "prospects_known"
    prospect = register_prospect(actor=actor, data={
        "nik": data["owner_nik"], "name": data.get("owner_name") or data["name"],
        "phone": data.get("owner_phone", ""), "kecamatan_id": data["kecamatan_id"],
        "business_idea": data.get("products", "")})
    return prospect, "prospects_new"


def _field(participant) -> str:
    return "enterprise" if isinstance(participant, Enterprise) else "prospect"
