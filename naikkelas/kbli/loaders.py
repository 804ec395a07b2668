"""Loading KBLI 2020 codes: the shipped entries at migrate time, or a kode,judul[,uraian] CSV.

A code's parent is the code one level up: 10750 → 1075 → 107 → 10 → C. Two-digit golongan pokok
carry no letter, so their kategori comes from KATEGORI_DIVISIONS.
"""

import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from django.db import transaction
from django.utils.translation import gettext as _

from naikkelas.kbli.data import KATEGORI_DIVISIONS
from naikkelas.kbli.models import level_of
from naikkelas.wilayah.csvfile import (
    InvalidFile, Problem, Row, parent_missing, read_rows, repeated_code_problems, repeated_codes,
)

KODE_KBLI = re.compile(r"[A-U]|\d{2,5}")
JUDUL_MAX_LENGTH = 400


class Entry(NamedTuple):
    """One code to load. uraian None means 'leave the stored description as it is'."""

    kode: str
    judul: str
    uraian: str | None = None


def kategori_of(division: str) -> str | None:
    """The kategori letter of a two-digit golongan pokok; None for a number KBLI 2020 lacks."""
    number = int(division)
    return next((letter for letter, (low, high) in KATEGORI_DIVISIONS.items()
                 if low <= number <= high), None)


def parent_of(kode: str) -> str | None:
    """The code one level up; None for a kategori (and for a golongan pokok KBLI does not have)."""
    if kode.isalpha():
        return None
    return kategori_of(kode) if len(kode) == 2 else kode[:-1]


def division_of(kode: str) -> str:
    """The golongan pokok a code falls under; '' for a kategori (what Kbli.save() stores)."""
    return "" if kode.isalpha() else kode[:2]


@dataclass
class KbliChanges:
    """What loading a list of codes does: entries to add, entries to update, codes left alone."""

    new: list[Entry] = field(default_factory=list)
    updated: list[Entry] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def counts_by_level(self) -> dict[int, tuple[int, int, int]]:
        """{level: (new, updated, unchanged)} for the levels present in the input."""
        counts = [Counter(level_of(e.kode) for e in self.new),
                  Counter(level_of(e.kode) for e in self.updated),
                  Counter(map(level_of, self.unchanged))]
        levels = sorted(set().union(*counts))
        return {level: tuple(c[level] for c in counts) for level in levels}


def plan_kbli(entries: Iterable[Entry | tuple],
              existing: Mapping[str, tuple[str, str]]) -> KbliChanges:
    """Compare entries with the stored {kode: (judul, uraian)}.

    An uraian of None keeps the stored one; a code given twice takes its last entry."""
    changes = KbliChanges()
    for entry in {e[0]: Entry(*e) for e in entries}.values():
        if entry.kode not in existing:
            changes.new.append(entry._replace(uraian=entry.uraian or ""))
            continue
        judul, uraian = existing[entry.kode]
        target = entry._replace(uraian=uraian if entry.uraian is None else entry.uraian)
        if (target.judul, target.uraian) == (judul, uraian):
            changes.unchanged.append(entry.kode)
        else:
            changes.updated.append(target)
    return changes


def apply_kbli(model, changes: KbliChanges, batch_size: int = 1000) -> None:
    """Write planned changes in one transaction. `model` may be a migration's historical model,
    whose save() does not set level and division, so they are set here."""

    def build(entry: Entry):
        """An unsaved row with the level and division Kbli.save() would set."""
        return model(kode=entry.kode, judul=entry.judul, uraian=entry.uraian,
                     level=level_of(entry.kode), division=division_of(entry.kode))

    with transaction.atomic():
        model.objects.bulk_create(map(build, changes.new), batch_size=batch_size)
        model.objects.bulk_update(list(map(build, changes.updated)), ["judul", "uraian"],
                                  batch_size=batch_size)


def stored_kbli(model) -> dict[str, tuple[str, str]]:
    """{kode: (judul, uraian)} of every stored code."""
    return {kode: (judul, uraian)
            for kode, judul, uraian in model.objects.values_list("kode", "judul", "uraian")}


def upsert_kbli(model, entries: Iterable[Entry | tuple]) -> tuple[int, int]:
    """Insert new codes and update changed ones; returns (created, updated). Idempotent."""
    changes = plan_kbli(entries, stored_kbli(model))
    apply_kbli(model, changes)
    return len(changes.new), len(changes.updated)


@dataclass
class KbliFile:
    """A checked KBLI file: its entries, and the problems accepted because the load is lenient."""

    entries: list[Entry]
    warnings: list[Problem]


def read_kbli_file(path: Path | str, known: Collection[str], lenient: bool = False) -> KbliFile:
    """Entries of a kode,judul[,uraian] CSV, every row checked; `known` are the codes stored.

    Raises InvalidFile listing every bad line. A code given twice or whose parent is neither in the
    file nor stored is a problem too, unless `lenient`: then a repeated code takes its last row and
    a missing parent is accepted when the code's golongan pokok is there; both become warnings.
    """
    header, rows = read_rows(path, ("kode", "judul"), ("uraian",))
    rows = [Row(row.line, (row.values[0].upper(), *row.values[1:])) for row in rows]
    problems = [p for row in rows for p in _row_problems(row)]
    if problems:
        raise InvalidFile(problems)
    codes = {row.values[0] for row in rows} | set(known)
    missing = [p for row in rows for p in _parent_problems(row, codes, lenient)]
    errors = [p for p, fatal in missing if fatal]
    if not lenient:
        errors += repeated_code_problems(rows)
    if errors:
        raise InvalidFile(errors)
    warnings = _repeat_warnings(rows) + [p for p, _fatal in missing]
    return KbliFile(_entries(header, rows), sorted(warnings, key=lambda p: p.line or 0))


def _entries(header: tuple[str, ...], rows: list[Row]) -> list[Entry]:
    """Rows as entries; without an uraian column the stored descriptions are left alone."""
    has_uraian = "uraian" in header
    return [Entry(row.values[0], row.values[1], row.values[2] if has_uraian else None)
            for row in rows]


def _row_problems(row: Row) -> list[Problem]:
    """Problems with one row taken on its own: the code's form and the title."""
    kode, judul = row.values[:2]
    problems = []
    if not KODE_KBLI.fullmatch(kode):
        problems.append(Problem(row.line, _(
            "'%(value)s' is not a KBLI 2020 code: a letter A to U, or 2 to 5 digits.")
            % {"value": kode}))
    elif len(kode) == 2 and kategori_of(kode) is None:
        problems.append(Problem(row.line, _("%(kode)s is not a golongan pokok of KBLI 2020.")
                                % {"kode": kode}))
    if not judul:
        problems.append(Problem(row.line, _("the title is empty.")))
    elif len(judul) > JUDUL_MAX_LENGTH:
        problems.append(Problem(row.line, _("the title is longer than %(max)d characters.")
                                % {"max": JUDUL_MAX_LENGTH}))
    return problems


def _repeat_warnings(rows: list[Row]) -> list[Problem]:
    """Lenient loads accept a repeated code and keep its last row: say so for each repeat."""
    return [Problem(row.line, _("code %(kode)s already appeared on line %(first)d; this later "
                                "row is used.") % {"kode": row.values[0], "first": first})
            for row, first in repeated_codes(rows)]


def _parent_problems(row: Row, codes: Collection[str], lenient: bool) -> list[tuple[Problem, bool]]:
    """(problem, fatal) when the parent is missing. Lenient loads tolerate a gap below the
    golongan pokok (a missing golongan or subgolongan), not a missing golongan pokok or kategori."""
    kode = row.values[0]
    parent = parent_of(kode)
    if parent is None or parent in codes:
        return []
    fatal = not lenient or len(kode) <= 3 or division_of(kode) not in codes
    return [(parent_missing(row.line, kode, parent), fatal)]
