"""Importing a program's aid recipient list: `import_recipients`.

The participant importer's reader, header recognition and matching, with the aid columns of
`headers.AID_SYNONYMS`: item, quantity, unit value, brand, serial, SK penerima, BAST number and
date, and ALASAN. Rows with the same BAST number are one handover with several items. Each
recipient is a registered enterprise (matched as in the enterprise import) or the KUB group the
KUB column names. The eligibility rule is checked per handover: a recipient who already got the
same kind of aid within the window is refused, unless ALASAN gives the reason, which
`programs.services.deliver_aid` then audits as on the web form. All or nothing: a file with any
bad row writes nothing.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from naikkelas.core.scope import wilayah_q
from naikkelas.enterprises.models import Enterprise
from naikkelas.imports import matching
from naikkelas.imports.headers import AID_FIELDS, Header, aid_mapping, cell_text
from naikkelas.imports.participants import drop_name_errors, read_list
from naikkelas.imports.places import Places
from naikkelas.imports.results import ListImportResult
from naikkelas.imports.rows import ParsedRow, RowError, RowReader, nul_message
from naikkelas.imports.services import ImportRefused
from naikkelas.programs.forms import AidItemForm, AidPaperworkForm
from naikkelas.programs.models import KubGroup, Program
from naikkelas.programs.services import deliver_aid, eligibility_problem

REQUIRED = ("item", "quantity", "unit_value", "sk_number", "sk_date", "bast_number",
            "bast_date")
PAPER_FIELDS = ("sk_number", "sk_date", "bast_number", "bast_date", "override_reason")
# AidItemForm's fields -> the aid columns they come from.
ITEM_FIELDS = {"name": "item", "quantity": "quantity", "unit_value": "unit_value",
               "brand": "brand", "serial": "serial"}
REASON_COLUMN = "ALASAN"
# Besides the name, what tells a recipient apart: a further row of a handover that gives one of
# these must give the first row's (field, key in ParsedRow.enterprise).
IDENTITY = (("nib", "nib"), ("owner_nik", "owner_nik"), ("kecamatan", "kecamatan_id"))


@dataclass
class RecipientImportResult(ListImportResult):
    deliveries: int = 0
    items: int = 0
    value: int = 0
    overrides: int = 0


@dataclass
class _Line:
    """One row: the recipient read as in the registry import, and the row's aid cells."""

    row: ParsedRow
    cells: dict[str, Any]
    errors: list[RowError] = field(default_factory=list)
    item: dict[str, Any] | None = None
    name_key: str = ""  # the recipient's name as matching compares it (set by _group)

    def text(self, name: str) -> str:
        return cell_text(self.cells.get(name))


@dataclass
class _Handover:
    """The rows sharing one BAST number: one delivery to one recipient."""

    lines: list[_Line]
    paperwork: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    recipient: Enterprise | KubGroup | None = None

    @property
    def lead(self) -> _Line:
        return self.lines[0]

    @property
    def valid(self) -> bool:
        return not (self.lead.row.errors or any(line.errors for line in self.lines))


class _Columns:
    """The file's aid columns: header text for messages, position for the cells."""

    def __init__(self, header: Header) -> None:
        self.by_field = {c.field: c for c in header.columns if c.field in AID_FIELDS}

    def label(self, name: str) -> str:
        column = self.by_field.get(name)
        return column.header if column else (REASON_COLUMN if name == "override_reason" else "")

    def cells(self, cells: list) -> dict[str, Any]:
        return {name: cells[c.index] if c.index < len(cells) else None
                for name, c in self.by_field.items()}


def import_recipients(path: str | Path, *, program: Program, actor) -> RecipientImportResult:
    """Record every handover of the file under `program`, or nothing at all.

    Raises ImportRefused when the file cannot be read, lacks an aid column, or the actor may not
    change the program.
    """
    path = Path(path)
    if actor is not None and not (actor.covers(program.kode_wilayah) and actor.can_edit):
        raise ImportRefused(_("Your role may read but not change data."))
    header, rows = read_list(
        path, [aid_mapping()],
        no_header=_("No header row was found: no row names the recipient (NAMA USAHA or NAMA "
                    "PENERIMA) beside the aid columns (NAMA BARANG, JUMLAH, HARGA SATUAN, NO SK, "
                    "TANGGAL SK, NO BAST, TANGGAL BAST)."),
        no_rows=_("The file holds no recipient rows below its header."))
    columns = _Columns(header)
    _require_columns(columns)
    lines = _read_lines(header, rows, columns, program.kode_wilayah)
    handovers = _group(lines, columns)
    _find_recipients(handovers, program, columns)
    _check_eligibility(handovers, program, columns)
    result = RecipientImportResult(file=path.name, rows_read=len(lines))
    result.errors = _errors(handovers, lines)
    if not result.errors:
        _write(handovers, program, actor, result)
    return result


def _require_columns(columns: _Columns) -> None:
    missing = [name for name in REQUIRED if name not in columns.by_field]
    if missing:
        labels = {name: str(AidPaperworkForm.base_fields[name].label)
                  if name in AidPaperworkForm.base_fields
                  else str(AidItemForm.base_fields[_item_field(name)].label) for name in missing}
        raise ImportRefused(_("The list lacks the columns %(columns)s; every handover needs "
                              "them.") % {"columns": ", ".join(labels[n] for n in missing)})


def _item_field(column: str) -> str:
    return next(name for name, aid in ITEM_FIELDS.items() if aid == column)


def _read_lines(header: Header, rows: list[tuple[int, list]], columns: _Columns,
                wilayah: str) -> list[_Line]:
    """Each row's recipient (registry columns only) and its item, checked by AidItemForm."""
    registry = Header(header.row, header.height,
                      [c for c in header.columns if c.field not in AID_FIELDS])
    reader = RowReader(registry, Places(wilayah))
    lines = []
    for number, cells in rows:
        line = _Line(reader.read(number, cells), columns.cells(cells))
        _read_item(line, columns)
        lines.append(line)
    return lines


def _read_item(line: _Line, columns: _Columns) -> None:
    form = AidItemForm({name: line.text(aid) for name, aid in ITEM_FIELDS.items()})
    if not form.is_valid():
        line.errors += [RowError(line.row.number, columns.label(ITEM_FIELDS[name]), message)
                        for name, messages in form.errors.items() for message in messages]
        return
    line.item = dict(form.cleaned_data)
    line.item["unit_value"] *= columns.by_field["unit_value"].multiplier


def _group(lines: list[_Line], columns: _Columns) -> list[_Handover]:
    """Rows by BAST number, in file order; a row repeating its handover's papers must agree."""
    groups: dict[str, _Handover] = {}
    names = matching.keys_of("name", (line.row.enterprise.get("name") for line in lines))
    for line, name_key in zip(lines, names):  # in one go: a key alone costs half a millisecond
        line.name_key = name_key
    for line in lines:
        key = line.text("bast_number").casefold()
        if not key:
            line.errors.append(RowError(line.row.number, columns.label("bast_number"),
                                        _("The BAST number is empty.")))
        elif key in groups:
            _follow(groups[key].lead, line, columns)
            groups[key].lines.append(line)
        else:
            groups[key] = _Handover([line])
    handovers = list(groups.values())
    for handover in handovers:
        _read_paperwork(handover, columns)
    return handovers


def _follow(lead: _Line, line: _Line, columns: _Columns) -> None:
    """Another item of the lead row's handover: papers and recipient empty or the same."""
    for name in PAPER_FIELDS + ("kub_group",):
        value = line.text(name)
        if value and value != lead.text(name):
            line.errors.append(RowError(line.row.number, columns.label(name), _(
                "'%(value)s' differs from row %(row)d of the same BAST number ('%(lead)s').")
                % {"value": value, "row": lead.row.number, "lead": lead.text(name)}))
    mine, theirs = line.row.enterprise, lead.row.enterprise
    differs = [field for field, key in IDENTITY if mine.get(key) and mine[key] != theirs.get(key)]
    if mine.get("name") and line.name_key != lead.name_key:
        differs.insert(0, "name")
    for field in differs[:1]:  # one message: the row names another recipient
        line.errors.append(RowError(line.row.number, line.row.headers.get(field, ""), _(
            "The same BAST number as row %(row)d names another recipient.")
            % {"row": lead.row.number}))


def _date_or_text(line: _Line, name: str) -> Any:
    value = line.cells.get(name)
    return value if isinstance(value, datetime.date) else line.text(name)


def _read_paperwork(handover: _Handover, columns: _Columns) -> None:
    lead = handover.lead
    # A date cell goes to the form as a date; anything else as its text, so that a number (a
    # date column without a date format, say) is refused with the form's message.
    form = AidPaperworkForm({name: _date_or_text(lead, name) for name in PAPER_FIELDS})
    if form.is_valid():
        handover.paperwork = form.paperwork()
        handover.reason = form.cleaned_data["override_reason"]
        return
    lead.errors += [RowError(lead.row.number, columns.label(name), message)
                    for name, messages in form.errors.items() for message in messages]


def _find_recipients(handovers: list[_Handover], program: Program, columns: _Columns) -> None:
    """KUB groups by name in the program's wilayah; enterprises through matching.match."""
    enterprises = []
    for handover in handovers:
        row = handover.lead.row
        if handover.lead.text("kub_group"):
            drop_name_errors(row)
            if not row.errors:
                _find_kub(handover, program, columns)
        else:
            drop_name_errors(row, business_too=False)
            enterprises.append(handover)
    _refuse_repeated_recipients(enterprises)
    leads = [h for h in enterprises if h.valid]
    decisions = matching.match([h.lead.row for h in leads], program.kode_wilayah)
    found = Enterprise.objects.in_bulk([d.enterprise_id for d in decisions if d.enterprise_id])
    for handover, decision in zip(leads, decisions, strict=True):
        handover.recipient = found.get(decision.enterprise_id)
        if handover.recipient is None:
            handover.lead.errors.append(RowError(handover.lead.row.number, "", _(
                "No registered enterprise surely matches this row. Aid goes to registered "
                "enterprises or KUB groups: register the enterprise first, or write its NIB.")))


def _find_kub(handover: _Handover, program: Program, columns: _Columns) -> None:
    name = handover.lead.text("kub_group")
    if "\x00" in name:  # PostgreSQL refuses it in a query: a server error before
        handover.lead.errors.append(RowError(handover.lead.row.number,
                                             columns.label("kub_group"), nul_message()))
        return
    groups = KubGroup.objects.filter(wilayah_q(program.kode_wilayah, "kecamatan__kode"),
                                     name__iexact=name)
    kecamatan = handover.lead.row.enterprise.get("kecamatan_id")
    if kecamatan:
        groups = groups.filter(kecamatan_id=kecamatan)
    found = list(groups[:2])
    if len(found) == 1:
        handover.recipient = found[0]
        return
    message = (_("No KUB group '%(name)s' is recorded in this place.") if not found else
               _("More than one KUB group is called '%(name)s' here; write the kecamatan."))
    handover.lead.errors.append(RowError(handover.lead.row.number, columns.label("kub_group"),
                                         message % {"name": name}))


def _refuse_repeated_recipients(handovers: list[_Handover]) -> None:
    """One handover per recipient in a list: a second BAST number for the same NIB or the same
    business in the same kecamatan is refused (matching takes each enterprise once)."""
    first: dict[tuple, int] = {}
    for handover in handovers:
        row = handover.lead.row
        if row.errors:
            continue
        data = row.enterprise
        keys = [("nib", data["nib"])] if data.get("nib") else []
        keys.append(("name", handover.lead.name_key, data.get("kecamatan_id")))
        earlier = next((first[k] for k in keys if k in first), None)
        if earlier is not None:
            handover.lead.errors.append(RowError(row.number, row.headers.get("name", ""), _(
                "The same recipient as row %(row)d, under another BAST number: record one "
                "handover per recipient, with all its items under one BAST number.")
                % {"row": earlier}))
            continue
        first.update({k: row.number for k in keys})


def _check_eligibility(handovers: list[_Handover], program: Program, columns: _Columns) -> None:
    """The rule of the web form, per handover: earlier aid of the same kind needs ALASAN."""
    for handover in handovers:
        if not handover.valid or handover.recipient is None or handover.reason:
            continue
        problem = eligibility_problem(program, handover.recipient,
                                      handover.paperwork["bast_date"])
        if problem:
            handover.lead.errors.append(RowError(
                handover.lead.row.number, columns.label("override_reason"),
                problem + " " + _("Write the reason for giving it again in the %(column)s "
                                  "column, or remove the row.")
                % {"column": columns.label("override_reason")}))


def _errors(handovers: list[_Handover], lines: list[_Line]) -> list[RowError]:
    """Every problem in row order; a handover's other rows are judged by their aid cells only."""
    leads = {id(h.lead) for h in handovers}
    errors = [e for line in lines for e in (line.row.errors if id(line) in leads else [])
              + line.errors]
    return sorted(errors, key=lambda e: e.row)


def _write(handovers: list[_Handover], program: Program, actor,
           result: RecipientImportResult) -> None:
    """Every handover through deliver_aid in one transaction; any refusal undoes them all."""
    with transaction.atomic():
        for handover in handovers:
            try:
                delivery = deliver_aid(program, actor=actor, recipient=handover.recipient,
                                       paperwork=handover.paperwork,
                                       items=[line.item for line in handover.lines],
                                       override_reason=handover.reason)
            except (ValidationError, PermissionDenied, Http404) as exc:
                messages = getattr(exc, "messages", None) or [str(exc)]
                result.errors.append(RowError(handover.lead.row.number, "", " ".join(messages)))
                continue
            result.deliveries += 1
            result.items += len(handover.lines)
            result.value += sum(line.item["quantity"] * line.item["unit_value"]
                                for line in handover.lines)
            result.overrides += bool(delivery.override_reason)
        if result.errors:
            transaction.set_rollback(True)
            result.deliveries = result.items = result.value = result.overrides = 0
