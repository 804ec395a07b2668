"""The fast way to write an import: a batch of checked rows in a few statements instead of per row.

It keeps every guarantee of the registry's services (`register_enterprise`, `update_enterprise`,
`save_annual_report`): the same model field validators and cross-field rules, the NIB unique rule
checked for the whole batch in one query, the same audit rows (bulk-inserted, with the same
before/after snapshots), the SizeClassification rows of `classification_values`, and nothing
written for a value that is already there. Scope is checked once for the import (`import_file`);
places outside the wilayah never reach here. Rows are inserted with PostgreSQL COPY (ids reserved
from the sequences first, so reports and audit rows can point at them); other databases get
executemany.
"""

import datetime
import decimal
import operator
from functools import partial
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import orjson
import polars as pl

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.core.models import AuditLog
from naikkelas.enterprises.models import AnnualReport, Enterprise, SizeClassification
from naikkelas.enterprises.services import classification_values
from naikkelas.enterprises.signals import registry_changed
from naikkelas.enterprises.sizeclass import Figures
from naikkelas.imports import matching
from naikkelas.imports.models import ReviewItem
from naikkelas.imports.pipeline import outside_transaction
from naikkelas.imports.rows import MEMO_LIMIT, ParsedRow
from naikkelas.linkage.services import propose_duplicate

# Checked elsewhere without a query: the places by Places, KBLI codes by RowReader, NIB and NIK
# by RowReader with the model's own validators (validate_nib, validate_nik).
PRECHECKED = {"kecamatan_id", "desa_id", "kbli_id", "nib", "owner_nik"}
NIB_TAKEN = next(c for c in Enterprise._meta.constraints if c.name == "enterprise_nib_unique")
ENTERPRISE_TYPE = Enterprise._meta.label_lower
REPORT_TYPE = AnnualReport._meta.label_lower
CLASS_COLUMNS = ("report_id", "enterprise_id", "year", "rule", "kelas", "rank", "naik_kelas")


def jsonable(value: Any) -> Any:
    """A value as `audit.snapshot` writes it."""
    if isinstance(value, (datetime.date, datetime.datetime, decimal.Decimal)):
        return str(value)
    return value


_PLAIN = frozenset((str, int, type(None)))


def same(values: dict[str, Any], others: dict[str, Any], names: Iterable[str]) -> bool:
    """Whether both hold the same value for each name, as the audit snapshots would write them
    (Decimal("1.0") and Decimal("1.00") differ there)."""
    for name in names:
        mine, theirs = values[name], others[name]
        if mine is theirs:
            continue
        kind = type(mine)
        if kind is type(theirs) and kind in _PLAIN:
            if mine != theirs:
                return False
        elif jsonable(mine) != jsonable(theirs):
            return False
    return True


def among(name: str, values: Iterable) -> dict[str, Any]:
    """A filter `name__in=values` that stays one parameter on PostgreSQL (an array), however
    many the values: psycopg's client-side cost grows with the number of placeholders."""
    values = list(values)
    if connection.vendor != "postgresql" or not values:
        return {f"{name}__in": values}
    kind = "text" if values and isinstance(values[0], str) else "bigint"
    return {f"{name}__in": RawSQL(f"SELECT unnest(%s::{kind}[])", [values])}


@dataclass(slots=True)
class NewRows:
    """A batch of new enterprises' rows, ready to insert (BulkWriter._prepare), a frame a table
    in its columns: theirs, their reports', their audit rows (with the enterprise's id in
    "_enterprise") and the reports' size classes."""

    enterprises: pl.DataFrame
    reports: pl.DataFrame
    audit: pl.DataFrame
    classes: pl.DataFrame

    def only(self, ids: list[int]) -> "NewRows":
        """The rows of these enterprises (the writer may still reject some)."""
        if len(ids) == self.enterprises.height:
            return self
        kept = pl.Series(ids, dtype=pl.Int64).implode()
        return NewRows(self.enterprises.filter(pl.col("id").is_in(kept)),
                       self.reports.filter(pl.col("enterprise_id").is_in(kept)),
                       self.audit.filter(pl.col("_enterprise").is_in(kept)),
                       self.classes.filter(pl.col("enterprise_id").is_in(kept)))


@dataclass(slots=True)
class NewEnterprise:
    """A row's new enterprise: its id, and the batch that holds its rows."""

    id: int
    rows: NewRows


@dataclass(slots=True)
class _Report:
    """What classification needs of a report, without a model instance."""

    id: int
    enterprise_id: int
    year: int
    workers: int
    investment: int | None
    working_capital: int | None
    sales: int | None
    _figures: Figures | None = None

    def figures(self) -> Figures:
        if self._figures is None:
            self._figures = Figures(workers=self.workers, investment=self.investment,
                                    working_capital=self.working_capital, sales=self.sales)
        return self._figures


class Table:
    """One model's table: its columns, and inserting plain value dicts (by attname)."""

    def __init__(self, model: type[models.Model], *, with_id: bool = True) -> None:
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.attnames = [f.attname for f in self.fields]
        self.names = [f.name for f in self.fields]
        self.values_of = operator.itemgetter(*self.attnames)  # a tuple: more than one column
        typed = [(i, f) for i, f in enumerate(self.fields)
                 if isinstance(f, (models.DecimalField, models.DateField))]
        # `audit.snapshot` writes these as text; psycopg takes them as they are, SQLite not.
        self.stringified = [(f.name, f.attname) for _i, f in typed]
        self.texts: dict[tuple, str] = {}
        self.prepared = [] if connection.vendor == "postgresql" else typed
        self.dtypes = {f.attname: _dtype(f) for f in self.fields}
        # What an import compares with a file: all but the times the database stamps.
        self.compared = [f.attname for f in self.fields
                         if not (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))]
        self.textual = {f.attname for _i, f in typed}

    def row(self, values: dict[str, Any]) -> tuple:
        """The values in column order, ready for the database driver."""
        row = self.values_of(values)
        if not self.prepared:
            return row
        row = list(row)
        for index, field in self.prepared:
            if row[index] is not None:
                row[index] = field.get_db_prep_save(row[index], connection)
        return tuple(row)

    def tuples(self, rows: list[tuple], columns: Sequence[str]) -> list[tuple]:
        """Rows given as tuples of `columns`, in column order and ready for the driver: as
        they are when they already are (three class rows an imported row)."""
        if list(columns) == self.attnames and not self.prepared:
            return rows
        return [self.row(dict(zip(columns, row))) for row in rows]

    def snapshot(self, values: dict[str, Any]) -> dict[str, Any]:
        """`audit.snapshot` of a record given as attname values: keyed by field name."""
        data = dict(zip(self.names, self.values_of(values)))
        for name, attname in self.stringified:
            value = values[attname]
            if value is not None:
                data[name] = self._text(value)
        return data

    def _text(self, value: Any) -> str:
        if type(value) is not datetime.datetime:
            return str(value)
        # A batch stamps its rows with one time: write it once. (Equal times in other zones
        # are written differently, hence the zone in the key.)
        key = (value, value.tzinfo)
        text = self.texts.get(key)
        if text is None:
            text = str(value)
            if len(self.texts) < MEMO_LIMIT:
                self.texts[key] = text
        return text

    def new(self, values: dict[str, Any], **known: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        """A new record's values (the defaults, then `values` and `known`) and its snapshot."""
        values = dict(self.defaults, **values, **known)
        return values, self.snapshot(values)

    def frame(self, count: int, records: list[dict[str, Any]] | None = None, *,
              snapshots: bool = True, **known: Any) -> tuple[pl.DataFrame, list[str] | None]:
        """`count` new records at once, as `new` makes one: a frame of their values in column
        order, ready for `insert_frame`, and (with `snapshots`) each one's snapshot as JSON.
        `known` gives a column for all of them: one value, or a list of one value each; the
        other columns come from `records` (dicts by attname) or the defaults."""
        columns, snapshot = {}, {}
        for field in self.fields:
            name = field.attname
            if name in known:
                given = known[name]
                values = given if isinstance(given, list) else [given] * count
            elif records is not None:
                default = self.defaults[name]
                values = [record.get(name, default) for record in records]
            else:
                values = [self.defaults[name]] * count
            if name in self.textual:
                # Decimals, dates and times: as the database takes them, and as the snapshot
                # writes them (a value given for all is written once).
                constant = name in known and not isinstance(known[name], list)
                columns[name] = pl.Series(name, _texts(values, constant, partial(
                    _db_text, field)), pl.String)
                if snapshots:
                    snapshot[field.name] = pl.Series(
                        field.name, _texts(values, constant, self._text), pl.String)
            else:
                columns[name] = pl.Series(name, values, self.dtypes[name])
                if snapshots:
                    snapshot[field.name] = columns[name].alias(field.name)
        data = pl.DataFrame(columns, height=count)
        if not snapshots:
            return data, None
        encoded = pl.DataFrame(snapshot, height=count).select(pl.struct(pl.all()).struct.json_encode())
        return data, encoded.to_series().to_list()

    def insert(self, rows: Sequence[tuple]) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {self._target()} FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                self._executemany(cursor, rows)

    def insert_objects(self, objects: Sequence[models.Model]) -> None:
        """Unsaved model instances, inserted as `insert` does (JSON fields as their text)."""
        json_fields = {f.attname for f in self.fields if isinstance(f, models.JSONField)}
        self.insert([self.row({name: _json(getattr(obj, name)) if name in json_fields
                               else getattr(obj, name) for name in self.attnames})
                     for obj in objects])

    def insert_frame(self, frame: pl.DataFrame) -> None:
        """Insert the rows of a frame in this table's columns (`frame`; others are ignored)."""
        if frame.is_empty():
            return
        frame = frame.select(self.attnames)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # polars writes the csv (quoting "" apart from a missing value), not Python.
                with cursor.cursor.copy(f"COPY {self._target()} FROM STDIN (FORMAT csv)") as copy:
                    copy.write(frame.write_csv(include_header=False).encode())
            else:
                self._executemany(cursor, frame.rows())

    def _target(self) -> str:
        quote = connection.ops.quote_name
        return (f"{quote(self.model._meta.db_table)} "
                f"({', '.join(quote(f.column) for f in self.fields)})")

    def _executemany(self, cursor, rows: Sequence[tuple]) -> None:
        marks = ", ".join(["%s"] * len(self.fields))
        cursor.executemany(f"INSERT INTO {self._target()} VALUES ({marks})", rows)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys of `model`, taken from its sequence before inserting."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Any connection, any transaction (even the import's reading thread): a sequence
            # gives each value once. It is looked up once: per row, that costs more than nextval.
            with outside_transaction():
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                sequence = cursor.fetchone()[0]
                cursor.execute("SELECT array_agg(nextval(%s::regclass)) "
                               "FROM generate_series(1, %s)", [sequence, count])
                return cursor.fetchone()[0]
        # SQLite AUTOINCREMENT: past both the highest id ever given and the highest present.
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0),"
                       f" coalesce((SELECT max(id) FROM {quoted}), 0))", [table])
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


class FieldRules:
    """The registry's field validation of the values a row brings, cleaned in place; errors by
    field. Only those values are checked: the others are the model's defaults or what the
    database already holds, both valid. Each field's verdict on a value is remembered (up to
    MEMO_LIMIT values a field), since a big file repeats the same amounts, codes and choices."""

    def __init__(self, model: type[models.Model]) -> None:
        self.fields = [f for f in model._meta.concrete_fields if f.attname not in PRECHECKED]
        self.memo: dict[str, dict[tuple, tuple[Any, list[str] | None]]] = {
            f.attname: {} for f in self.fields}
        # Free text (names, addresses): `clean` keeps a text as it is and only checks its
        # length, so that is checked here; these values are seldom repeated.
        self.lengths = {f.attname: f.max_length for f in self.fields if _plain_text(f)}

    def errors(self, values: dict[str, Any]) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        lengths = self.lengths
        for field in self.fields:
            name = field.attname
            if name not in values:
                continue
            value = values[name]
            if name in lengths and type(value) is str and 0 < len(value) <= lengths[name]:
                continue
            # As Model.clean_fields: empty values of blank fields are not validated.
            if field.blank and value in field.empty_values:
                continue
            memo = self.memo[name]
            # Decimal("1.0") == Decimal("1.00"), but they are written differently: not shared.
            key = (type(value), value, str(value) if type(value) is decimal.Decimal else None)
            found = memo.get(key)
            if found is None:
                try:
                    found = (field.clean(value, None), None)
                except ValidationError as exc:
                    found = (value, exc.messages)
                if len(memo) < MEMO_LIMIT:
                    memo[key] = found
            values[name] = found[0]
            if found[1] is not None:
                errors[name] = found[1]
        return errors


class BulkWriter:
    """Writes batches of checked rows for one import run; counts go into the ImportResult."""

    def __init__(self, run, *, actor, tahun: int, result) -> None:
        self.run, self.actor, self.tahun, self.result = run, actor, tahun, result
        self.source = run.file_name[:200]
        self.enterprises = Table(Enterprise)
        self.reports = Table(AnnualReport)
        self.classes = Table(SizeClassification, with_id=False)
        self.audit = Table(AuditLog, with_id=False)
        self.single_classes: dict[tuple, list[tuple]] = {}
        self.enterprise_rules, self.report_rules = FieldRules(Enterprise), FieldRules(AnnualReport)
        self.audit_defaults = {
            "actor_id": actor.pk if getattr(actor, "pk", None) else None,
            "actor_label": getattr(actor, "username", "") or "sistem",
            "via": run.audit_via, "reason": ""}

    def check(self, rows: list[ParsedRow], decisions: list[matching.Decision]) -> None:
        """What can be done ahead of `write`, outside its transaction (`import_file` runs this
        in its reading thread): the field rules of each row's own values and, on PostgreSQL,
        the rows a new enterprise will get (`_prepare`; their ids come from the sequences,
        which any connection may take). SQLite's ids are counted from the rows the writer's
        transaction holds, so there `write` prepares them."""
        fresh = []
        for row, decision in zip(rows, decisions):
            row.field_errors = self.enterprise_rules.errors(row.enterprise)
            row.figure_errors = self.report_rules.errors(row.figures) if row.figures else {}
            if decision.action != matching.UPDATE:
                # A new enterprise is the row's values on the defaults: its cross-field rules
                # are known now too (an update's wait for the enterprise as `write` finds it).
                row.field_errors, _values = self._cross_field(row, self.enterprises.defaults)
                # A rejected row gets no rows (an amount past BIGINT would not even fit them).
                if not row.field_errors and not row.figure_errors:
                    fresh.append(row)
        if connection.vendor == "postgresql":
            self._prepare(fresh)

    def _prepare(self, rows: list[ParsedRow]) -> None:
        """The rows the new enterprises of `rows` will get, built for the whole batch at once
        (`NewRows`; each row's `new`): their own, their reports', their audit rows and the
        reports' size classes, the values as `_new_report`, `_audit_row` and `_class_rows` give
        them one at a time. A row `write` then rejects leaves only a gap in the ids."""
        if not rows:
            return
        now = timezone.now()
        ids = reserve_ids(Enterprise, len(rows))
        enterprises, snapshots = self.enterprises.frame(
            len(rows), [row.enterprise for row in rows], id=ids, created_at=now, updated_at=now)
        reported = [index for index, row in enumerate(rows) if row.figures]
        figures = [rows[index].figures for index in reported]
        report_ids = reserve_ids(AnnualReport, len(reported))
        owners = [ids[index] for index in reported]
        reports, report_snapshots = self.reports.frame(
            len(reported), figures, id=report_ids, enterprise_id=owners, year=self.tahun,
            source=self.source, created_at=now, updated_at=now)
        names, kecamatan = enterprises["name"].to_list(), enterprises["kecamatan_id"].to_list()
        audit = pl.concat([
            self._audit_frame(ENTERPRISE_TYPE, ids, ids, [name[:255] for name in names],
                              kecamatan, snapshots, now, order=range(0, 2 * len(ids), 2)),
            self._audit_frame(REPORT_TYPE, report_ids, owners,
                              [f"{names[i]} {self.tahun}"[:255] for i in reported],
                              [kecamatan[i] for i in reported], report_snapshots, now,
                              order=[2 * i + 1 for i in reported]),
        ]).sort("_order").drop("_order")
        batch = NewRows(enterprises, reports, audit, self._new_classes(report_ids, owners, figures))
        for enterprise_id, row in zip(ids, rows):
            row.new = NewEnterprise(enterprise_id, batch)

    def _audit_frame(self, object_type: str, object_ids: list[int], subjects: list[int],
                     labels: list[str], kecamatan: list, after: list[str],
                     at: datetime.datetime, *, order: Iterable[int]) -> pl.DataFrame:
        """The CREATE audit rows of new records, as `_audit_row` writes them one at a time."""
        frame, _snapshots = self.audit.frame(
            len(object_ids), snapshots=False, **self.audit_defaults, at=at,
            action=AuditLog.Action.CREATE.value, object_type=object_type,
            object_id=[str(i) for i in object_ids], object_repr=labels,
            subject_type=ENTERPRISE_TYPE, subject_id=[str(i) for i in subjects],
            kode_wilayah=[code or "" for code in kecamatan], before=None, after=after)
        return frame.with_columns(_enterprise=pl.Series(subjects, dtype=pl.Int64),
                                  _order=pl.Series(list(order), dtype=pl.Int64))

    def _new_classes(self, report_ids: list[int], owners: list[int],
                     figures: list[dict[str, Any]]) -> pl.DataFrame:
        """The size classes of new enterprises' only reports (`_classes`), as a frame."""
        columns: dict[str, list] = {name: [] for name in CLASS_COLUMNS}
        fields = [columns[name] for name in CLASS_COLUMNS]
        default = self.reports.defaults
        for report_id, enterprise_id, values in zip(report_ids, owners, figures):
            amounts = [values.get(name, default[name])
                       for name in ("investment", "working_capital", "sales")]
            workers = ((values.get("workers_male", default["workers_male"]) or 0)
                       + (values.get("workers_female", default["workers_female"]) or 0))
            for found in self._only_report(workers, *amounts):
                for column, value in zip(fields, (report_id, enterprise_id, self.tahun, *found)):
                    column.append(value)
        frame, _snapshots = self.classes.frame(len(columns["rule"]), snapshots=False, **columns)
        return frame

    def write(self, rows: list[ParsedRow], decisions: list[matching.Decision]) -> None:
        """Validate, then create, update or leave each row; rejected rows get their errors."""
        unchecked = [(r, d) for r, d in zip(rows, decisions) if r.field_errors is None]
        self.check([r for r, _d in unchecked], [d for _r, d in unchecked])
        self.now = timezone.now()
        self._audit_rows: list[tuple] = []
        existing, reports, changing = self._current(rows, decisions)
        nibs = {row.enterprise["nib"] for row in rows if row.enterprise.get("nib")}
        self.nib_owners = dict(Enterprise.objects.filter(**among("nib", nibs))
                               .values_list("nib", "id"))
        pairs = [(row, decision) for row, decision in zip(rows, decisions)
                 if self._valid(row, decision, existing)]
        creates = [(r, d) for r, d in pairs if d.action != matching.UPDATE]
        updates = [(r, d) for r, d in pairs if d.action == matching.UPDATE]
        self._create(creates)
        changes = [(r, d) for r, d in updates if d.enterprise_id in changing]
        self.result.unchanged += len(updates) - len(changes)
        touched = self._update(changes, existing, reports)
        self.audit.insert(self._audit_rows)
        self._changed(creates, touched, existing)

    def _changed(self, creates: list, updates: list, existing: dict[int, dict[str, Any]]) -> None:
        """Tell the indicator rollups what this batch touched, as the services do: the
        kecamatan the rows created or changed are in (before and after), the import year and
        the next (naik kelas), and every year of an enterprise that moved to another kecamatan
        or KBLI."""
        kecamatan = {row.enterprise.get("kecamatan_id") for row, _d in creates + updates}
        moved = set()
        for row, decision in updates:
            before = existing[decision.enterprise_id]
            kecamatan.add(before["kecamatan_id"])
            if any(k in row.enterprise and row.enterprise[k] != before[k]
                   for k in ("kecamatan_id", "kbli_id")):
                moved.add(decision.enterprise_id)
        kecamatan -= {None, ""}
        if not kecamatan:
            return  # nothing new and nothing changed
        years = {self.tahun, self.tahun + 1} | set(
            AnnualReport.objects.filter(**among("enterprise_id", moved))
            .values_list("year", flat=True))
        registry_changed.send(sender=Enterprise, kecamatan_codes=kecamatan, years=years)

    # --- validation ----------------------------------------------------------------------------

    def _current(self, rows: list[ParsedRow], decisions: list[matching.Decision]
                 ) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]], set[int]]:
        """The enterprises the rows update, by id, their reports of the import's year, by
        enterprise id, as they are now, and the ids of those the rows change. Those are read
        again, whole, under a row lock (FOR UPDATE), so nothing another user changes meanwhile
        is lost. A row already as the file says writes nothing, so it locks nothing (locking
        every row of a re-imported file cost a fifth of its time) and its times are not read."""
        pairs = [(row, d.enterprise_id) for row, d in zip(rows, decisions)
                 if d.action == matching.UPDATE]
        existing, reports = self._read([enterprise_id for _row, enterprise_id in pairs],
                                       lock=False)
        changing = {enterprise_id for row, enterprise_id in pairs if enterprise_id in existing
                    and self._changes(row, existing[enterprise_id], reports.get(enterprise_id))}
        if changing:
            locked, locked_reports = self._read(list(changing), lock=True)
            for gone in changing - locked.keys():  # deleted meanwhile: `_valid` rejects it
                del existing[gone]
            existing.update(locked)
            for enterprise_id in changing:
                reports.pop(enterprise_id, None)
            reports.update(locked_reports)
        return existing, reports, changing

    def _read(self, ids: list[int], *, lock: bool
              ) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]]]:
        """Enterprises by id and their reports of the year by enterprise: whole and locked,
        or (to compare with the file) unlocked and without their created and updated times."""
        enterprises, reports = Enterprise.objects.all(), AnnualReport.objects.all()
        if lock:
            enterprises, reports = enterprises.select_for_update(), reports.select_for_update()
        found = (enterprises.filter(**among("pk", ids))
                 .values(*self.enterprises.attnames if lock else self.enterprises.compared))
        of_year = (reports.filter(**among("enterprise_id", ids), year=self.tahun)
                   .values(*self.reports.attnames if lock else self.reports.compared))
        return ({values["id"]: values for values in found},
                {values["enterprise_id"]: values for values in of_year})

    def _changes(self, row: ParsedRow, enterprise: dict[str, Any],
                 report: dict[str, Any] | None) -> bool:
        """Whether writing the row would change the enterprise or its report of the year."""
        if not same(row.enterprise, enterprise, row.enterprise):
            return True
        if not row.figures:
            return False
        return report is None or self._report_differs(row, report)

    def _report_differs(self, row: ParsedRow, report: dict[str, Any]) -> bool:
        """Whether the row's figures (and this file as their source) differ from the report's."""
        return report["source"] != self.source or not same(row.figures, report, row.figures)

    def _valid(self, row: ParsedRow, decision: matching.Decision,
               existing: dict[int, dict[str, Any]]) -> bool:
        """Field rules and the cross-field `Enterprise.clean` (for a new enterprise both in
        `check`), the NIB's owner, then the report's field rules."""
        if decision.action == matching.UPDATE:
            if decision.enterprise_id not in existing:
                row.reject("name", _("The enterprise this row matches was deleted during the "
                                     "import; import the file again to add it anew."))
                return False
            errors, values = self._cross_field(row, existing[decision.enterprise_id])
            nib = values["nib"]
        else:
            errors = {name: list(messages) for name, messages in row.field_errors.items()}
            nib = row.enterprise.get("nib", self.enterprises.defaults["nib"])
        owner = self.nib_owners.get(nib) if nib else None
        if owner is not None and owner != decision.enterprise_id and "nib" not in errors:
            errors[NON_FIELD_ERRORS] = [str(NIB_TAKEN.get_violation_error_message())]
        if not errors:
            errors = row.figure_errors
        if errors:
            _reject(row, errors)
            return False
        return True

    def _cross_field(self, row: ParsedRow, base: dict[str, Any]
                     ) -> tuple[dict[str, list[str]], dict[str, Any]]:
        """The row's field errors with those of the model's cross-field rules (`Enterprise.clean`,
        on the values without building an instance) for the row's values on `base`; the
        values."""
        errors = {name: list(messages) for name, messages in row.field_errors.items()}
        values = dict(base)
        values.update(row.enterprise)
        try:
            Enterprise.clean(SimpleNamespace(**values))
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(name, []).extend(messages)
        return errors, values

    # --- creating ------------------------------------------------------------------------------

    def _create(self, pairs: list[tuple[ParsedRow, matching.Decision]]) -> None:
        self._prepare([row for row, _d in pairs if row.new is None])
        batches: dict[int, tuple[NewRows, list[int]]] = {}
        for row, _d in pairs:
            batches.setdefault(id(row.new.rows), (row.new.rows, []))[1].append(row.new.id)
        kept = [rows.only(ids) for rows, ids in batches.values()]
        reviews = [ReviewItem(import_run=self.run, row=row.number, enterprise_id=row.new.id,
                              candidate_id=decision.candidate_id, score=decision.score,
                              rule=decision.rule)
                   for row, decision in pairs if decision.action == matching.UNCERTAIN]
        for table, part in ((self.enterprises, "enterprises"), (self.reports, "reports"),
                            (self.classes, "classes"), (self.audit, "audit")):
            for rows in kept:
                table.insert_frame(getattr(rows, part))
        ReviewItem.objects.bulk_create(reviews)
        self._propose(reviews)
        for row, _d in pairs:
            row.new = None  # written: the batch's frames need not outlive it (the preview)
        self.result.created += len(pairs)
        self.result.uncertain += len(reviews)

    def _propose(self, reviews: list[ReviewItem]) -> None:
        """Queue each uncertain match in the duplicate queue, as the per-row writer does."""
        if not reviews:
            return
        found = Enterprise.objects.in_bulk({r.enterprise_id for r in reviews}
                                           | {r.candidate_id for r in reviews})
        for review in reviews:
            propose_duplicate(found[review.enterprise_id], found[review.candidate_id],
                              actor=self.actor, score=review.score / 100,
                              via=self.run.audit_via)

    def _new_report(self, report_id: int, enterprise: dict[str, Any], figures: dict[str, Any],
                    now: datetime.datetime) -> tuple[dict[str, Any], tuple, _Report]:
        """A new report of the import's year from this file: its values and audit row."""
        values, data = self.reports.new(figures, year=self.tahun, source=self.source,
                                        id=report_id, enterprise_id=enterprise["id"],
                                        created_at=now, updated_at=now)
        audit = self._audit_row(AuditLog.Action.CREATE, REPORT_TYPE, enterprise, None, data,
                                now, report_id=report_id)
        return values, audit, _light_report(values)

    # --- updating ------------------------------------------------------------------------------

    def _update(self, pairs: list[tuple[ParsedRow, matching.Decision]],
                existing: dict[int, dict[str, Any]], reports: dict[int, dict[str, Any]]
                ) -> list[tuple[ParsedRow, matching.Decision]]:
        """Write what the rows change (`_current` found and locked those); the pairs that
        changed something (the rest were already as the file says, seen under the lock, and
        leave the indicators as they are)."""
        changed_enterprises, changed_reports, new_reports, touched_pairs = [], [], [], []
        for row, decision in pairs:
            before = existing[decision.enterprise_id]
            after = dict(before, **row.enterprise)
            touched = self._changed_enterprise(row, before, after, changed_enterprises)
            report = reports.get(before["id"])
            if row.figures and report is None:
                new_reports.append((after, row.figures))
                touched = True
            elif row.figures:
                touched = self._changed_report(row, after, report, changed_reports) or touched
            if touched:
                touched_pairs.append((row, decision))
            name = "updated" if touched else "unchanged"
            setattr(self.result, name, getattr(self.result, name) + 1)
        self._save_changed(Enterprise, self.enterprises, changed_enterprises)
        self._save_changed(AnnualReport, self.reports, changed_reports)
        report_rows = []
        for report_id, (after, figures) in zip(reserve_ids(AnnualReport, len(new_reports)),
                                               new_reports):
            values, audit, _light = self._new_report(report_id, after, figures, self.now)
            report_rows.append(self.reports.row(values))
            self._audit_rows.append(audit)
        self.reports.insert(report_rows)
        self._reclassify({values["enterprise_id"] for values in changed_reports}
                         | {after["id"] for after, _figures in new_reports})
        return touched_pairs

    def _changed_enterprise(self, row: ParsedRow, before: dict[str, Any], after: dict[str, Any],
                            changed: list[dict[str, Any]]) -> bool:
        if same(after, before, row.enterprise):
            return False
        after["updated_at"] = self.now
        self._record(AuditLog.Action.UPDATE, ENTERPRISE_TYPE, after,
                     self.enterprises.snapshot(before), self.enterprises.snapshot(after),
                     name=after["name"])
        changed.append(after)
        return True

    def _changed_report(self, row: ParsedRow, enterprise: dict[str, Any],
                        before: dict[str, Any], changed: list[dict[str, Any]]) -> bool:
        if not self._report_differs(row, before):
            return False
        after = dict(before, **row.figures, source=self.source)
        after["updated_at"] = self.now
        self._record(AuditLog.Action.UPDATE, REPORT_TYPE, enterprise,
                     self.reports.snapshot(before), self.reports.snapshot(after),
                     report_id=after["id"])
        changed.append(after)
        return True

    def _save_changed(self, model: type[models.Model], table: Table,
                      changed: list[dict[str, Any]]) -> None:
        if not changed:
            return
        names = [f.attname for f in table.fields if not f.primary_key]
        objects = [model(**values) for values in changed]
        model.objects.bulk_update(objects, names, batch_size=500)

    # --- classes and audit ---------------------------------------------------------------------

    def _reclassify(self, enterprise_ids: set[int]) -> None:
        """Like `services.reclassify`: every year of these enterprises, from their reports."""
        if not enterprise_ids:
            return
        by_enterprise: dict[int, list[_Report]] = {}
        names = ("id", "enterprise_id", "year", "workers_male", "workers_female", "investment",
                 "working_capital", "sales")
        for values in (AnnualReport.objects.filter(**among("enterprise_id", enterprise_ids))
                       .order_by("year").values(*names)):
            by_enterprise.setdefault(values["enterprise_id"], []).append(_light_report(values))
        SizeClassification.objects.filter(
            **among("report__enterprise_id", enterprise_ids)).delete()
        self.classes.insert(self._class_rows(by_enterprise.values()))

    def _class_rows(self, groups: Iterable[list[_Report]]) -> list[tuple]:
        """The SizeClassification rows of each enterprise's reports, ready to insert."""
        rows = []
        for group in groups:
            for report, classes in self._classes(group):
                rows += [(report.id, report.enterprise_id, report.year) + c for c in classes]
        return self.classes.tuples(rows, CLASS_COLUMNS)

    def _classes(self, group: list[_Report]) -> Iterator[tuple[_Report, list[tuple]]]:
        """Each report with its (rule, kelas, rank, naik kelas) rows, as `classification_values`
        gives them (an enterprise's only report: `_only_report`)."""
        if len(group) == 1:
            report = group[0]
            yield report, self._only_report(report.workers, report.investment,
                                            report.working_capital, report.sales)
            return
        by_report: dict[int, list[tuple]] = {}
        for report, *classes in classification_values(group):
            by_report.setdefault(id(report), []).append(tuple(classes))
        for report in group:
            yield report, by_report.get(id(report), [])

    def _only_report(self, workers: int, investment: int | None, working_capital: int | None,
                     sales: int | None) -> list[tuple]:
        """The (rule, kelas, rank, naik kelas) rows of an enterprise's only report: by its
        figures alone, so remembered by the figures (a big file repeats them)."""
        key = (workers, investment, working_capital, sales)
        classes = self.single_classes.get(key)
        if classes is None:
            classes = [c[1:] for c in classification_values([_Report(0, 0, self.tahun, *key)])]
            if len(self.single_classes) < MEMO_LIMIT:
                self.single_classes[key] = classes
        return classes

    def _record(self, action: str, object_type: str, enterprise: dict[str, Any],
                before: dict | None, after: dict | None, *, name: str = "",
                report_id: int | None = None) -> None:
        """An audit row of this batch (`_audit_row` at the batch's time)."""
        self._audit_rows.append(self._audit_row(action, object_type, enterprise, before, after,
                                                self.now, name=name, report_id=report_id))

    def _audit_row(self, action: str, object_type: str, enterprise: dict[str, Any],
                   before: dict | None, after: dict | None, at: datetime.datetime, *,
                   name: str = "", report_id: int | None = None) -> tuple:
        """One audit row as `audit.record` writes it (subject: the enterprise)."""
        object_id = report_id if report_id is not None else enterprise["id"]
        label = name if report_id is None else f"{enterprise['name']} {self.tahun}"
        return self.audit.row(dict(
            self.audit_defaults, at=at, action=action, object_type=object_type,
            object_id=str(object_id), object_repr=label[:255], subject_type=ENTERPRISE_TYPE,
            subject_id=str(enterprise["id"]), kode_wilayah=enterprise["kecamatan_id"] or "",
            before=_json(before), after=_json(after)))


def _plain_text(field: models.Field) -> bool:
    """A CharField whose only check is its length (no choices, no validators of its own)."""
    return (type(field) is models.CharField and not field.choices
            and all(type(v) is MaxLengthValidator for v in field.validators))


def _dtype(field: models.Field) -> pl.DataType:
    """The polars type of a column in `Table.frame`: numbers and booleans as they are, the rest
    (texts, codes, decimals, dates and times, JSON) as text."""
    if isinstance(field, models.BooleanField):
        return pl.Boolean
    target = field.target_field if field.is_relation else field
    return pl.Int64 if isinstance(target, models.IntegerField) else pl.String


def _texts(values: list, constant: bool, text) -> list[str | None]:
    if constant and values:
        first = values[0]
        return [None if first is None else text(first)] * len(values)
    return [None if value is None else text(value) for value in values]


def _db_text(field: models.Field, value: Any) -> str:
    return str(field.get_db_prep_save(value, connection))


def _json(data: dict | None) -> str | None:
    return None if data is None else orjson.dumps(data).decode()


def _light_report(values: dict[str, Any]) -> _Report:
    return _Report(values["id"], values["enterprise_id"], values["year"],
                   (values["workers_male"] or 0) + (values["workers_female"] or 0),
                   values["investment"], values["working_capital"], values["sales"])


def _reject(row: ParsedRow, errors: dict[str, list[str]]) -> None:
    reject_from_model(row, ValidationError(errors))


def reject_from_model(row: ParsedRow, exc: ValidationError) -> None:
    """The registry's own validation refused the row: name the columns it complained about."""
    if not hasattr(exc, "error_dict"):
        row.reject("name", " ".join(exc.messages))
        return
    for name, errors in exc.error_dict.items():
        for message in (m for error in errors for m in error.messages):
            row.reject(_constraint_field(message) if name == NON_FIELD_ERRORS else name, message)


def _constraint_field(message: str) -> str:
    """The field of the unique constraint whose message this is (constraints report no field)."""
    for constraint in Enterprise._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if fields and str(constraint.get_violation_error_message()) == message:
            return fields[0]
    return NON_FIELD_ERRORS
