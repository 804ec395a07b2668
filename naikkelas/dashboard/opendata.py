"""Open data: the aggregates of the rollups as CSV, with small counts suppressed.

Published cells: nasional, every provinsi and kab/kota, x year x KBLI division (and all
divisions). No personal data ever: only counts and sums of groups.

Suppression, so that no single business can be identified:
1. Primary: a group of 1 or 2 enterprises is withheld whole (its count, workers, amounts and
   naik kelas), since each of them could work out the other's figures.
2. Complementary: a withheld cell must not be recoverable from an addition. Every total is the
   sum of its parts along two lines (a wilayah = its child wilayah, for one division; all
   divisions = the divisions, for one wilayah). Whenever such an equation has exactly one
   withheld cell (a part, or the total itself), or a published total whose withheld parts hold
   fewer than 3 enterprises together, the smallest published part (or else the total) is
   withheld too, until no such equation is left.
Zero cells (no enterprise) are not sensitive and are published as 0.
"""

import csv
import io
from collections import defaultdict
from collections.abc import Iterable

from naikkelas.enterprises.sizeclass import RULES
from naikkelas.indicators.definitions import ROLLUP_COLUMNS
from naikkelas.indicators.models import ALL_DIVISIONS, Rollup, RollupClass
from naikkelas.wilayah.models import Wilayah

THRESHOLD = 3
MAX_LEVEL = 2  # down to kab/kota
LEVEL_NAMES = {0: "nasional", 1: "provinsi", 2: "kabupaten/kota"}
Key = tuple[str, str]  # (kode, division) within one year
HEADER = ["tingkat", "kode_wilayah", "nama_wilayah", "tahun", "kbli_golongan_pokok",
          "disembunyikan", "jumlah_usaha", "tk_laki_laki", "tk_perempuan", "investasi",
          "omzet", "nilai_produksi", *(f"naik_kelas_{rule}" for rule in RULES)]


def _groups(cells: Iterable[Key]) -> list[tuple[Key, list[Key]]]:
    """(total, its parts) along both lines of addition, among the published cells."""
    cells = set(cells)
    by_parent: dict[Key, list[Key]] = defaultdict(list)
    for kode, division in cells:
        if kode:
            parent = kode[:-3] if len(kode) > 2 else ""
            by_parent[(parent, division)].append((kode, division))
        if division != ALL_DIVISIONS:
            by_parent[(kode, ALL_DIVISIONS)].append((kode, division))
    return [(total, parts) for total, parts in by_parent.items() if total in cells]


def suppressed(counts: dict[Key, int]) -> set[Key]:
    """The cells of one year to withhold, given the enterprise count of every cell."""
    hidden = {key for key, n in counts.items() if 0 < n < THRESHOLD}
    groups = _groups(counts)
    changed = True
    while changed:
        changed = False
        for total, parts in groups:
            if _recoverable(total, parts, hidden, counts):
                hidden.add(_next_to_hide(parts, hidden, counts) or total)
                changed = True
    return hidden


def _recoverable(total: Key, parts: list[Key], hidden: set[Key], counts: dict[Key, int]) -> bool:
    """Whether total = sum(parts) gives away a withheld cell: exactly one withheld cell in the
    equation, or a published total whose withheld parts hold fewer than THRESHOLD together."""
    withheld = [p for p in parts if p in hidden]
    if len(withheld) + (total in hidden) == 1:
        return True
    return total not in hidden and bool(withheld) and sum(
        counts[p] for p in withheld) < THRESHOLD


def _next_to_hide(parts: list[Key], hidden: set[Key], counts: dict[Key, int]) -> Key | None:
    candidates = [p for p in parts if p not in hidden and counts[p] > 0]
    return min(candidates, key=lambda p: (counts[p], p)) if candidates else None


def _rows(tahun: int) -> tuple[dict[Key, dict], dict[Key, dict[str, int]]]:
    filters = {"tahun": tahun, "level__lte": MAX_LEVEL}
    totals = {(r.pop("kode"), r.pop("kbli_division")): r for r in Rollup.objects.filter(
        **filters).values("kode", "kbli_division", "level", *ROLLUP_COLUMNS)}
    naik: dict[Key, dict[str, int]] = defaultdict(dict)
    for kode, division, rule, n in (RollupClass.objects.filter(**filters)
                                    .values_list("kode", "kbli_division", "rule", "naik_kelas")):
        naik[(kode, division)][rule] = naik[(kode, division)].get(rule, 0) + n
    return totals, naik


def open_data_csv(tahun: int) -> str:
    """The CSV of one year, suppression applied; UTF-8 with a BOM for spreadsheet programs."""
    totals, naik = _rows(tahun)
    hidden = suppressed({key: row["jumlah_usaha"] for key, row in totals.items()})
    names = dict(Wilayah.objects.filter(level__lte=MAX_LEVEL).values_list("kode", "nama"))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for (kode, division), row in sorted(totals.items(), key=lambda item: (
            item[1]["level"], item[0])):
        values = [row[c] for c in ROLLUP_COLUMNS] + [naik[(kode, division)].get(rule, 0)
                                                     for rule in RULES]
        secret = (kode, division) in hidden
        writer.writerow([LEVEL_NAMES[row["level"]], kode, names.get(kode, "Indonesia"), tahun,
                         division or "semua", "ya" if secret else "tidak",
                         *([""] * len(values) if secret else values)])
    return "\ufeff" + out.getvalue()


def published_years() -> list[int]:
    return sorted(set(Rollup.objects.filter(level=0, kbli_division=ALL_DIVISIONS)
                      .values_list("tahun", flat=True)))
