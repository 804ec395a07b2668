"""Finding the kecamatan and desa a row names, within the wilayah of the import.

Names are compared after dropping "Kec.", "Kecamatan", "Kel.", "Desa" and punctuation, then with a
small spelling tolerance (rapidfuzz); a Kemendagri code (16.07.01 or 160701) works too.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from naikkelas.core.scope import kode_within
from naikkelas.wilayah.models import Level, Wilayah

PREFIXES = re.compile(r"^(kecamatan|kec|kelurahan|kel|desa|ds)\b\.?\s*")
CLOSE_CALL = 5  # points between the two nearest names below which neither is taken
SPELLING_CUTOFF = 85


class PlaceError(ValueError):
    """The place a row names cannot be used; the message says why."""


# Numbered places are named with Roman numerals ("Banyuasin III"), in words ("Ilir Timur Tiga")
# or both ("Ilir Barat Dua (Ilir Barat II)"); offices write digits too. All become numerals.
ROMAN = {"1": "i", "2": "ii", "3": "iii", "4": "iv", "5": "v", "6": "vi",
         "satu": "i", "dua": "ii", "tiga": "iii", "empat": "iv"}
ALIAS = re.compile(r"^(.*?)\s*\((.*)\)\s*$")  # "Bukitkecil (Bukit Kecil)"


def place_key(text: str) -> str:
    """'Kec. Banyuasin III' and 'banyuasin 3' -> 'banyuasin iii'; 'Desa  Sungai-Rengit' ->
    'sungai rengit'."""
    text = re.sub(r"[^\w]+", " ", str(text or "").lower()).strip()
    words = PREFIXES.sub("", text).split()
    return " ".join(ROMAN.get(word, word) if index else word for index, word in enumerate(words))


def as_code(text: str, level: int) -> str | None:
    """'16.07.01' or '160701' (level 3), '16.07.01.2001' or '1607012001' (level 4) -> dotted."""
    digits = re.sub(r"[\s.]", "", str(text or ""))
    if not digits.isdigit() or len(digits) != {3: 6, 4: 10}[level]:
        return None
    parts = [digits[0:2], digits[2:4], digits[4:6]] + ([digits[6:]] if level == 4 else [])
    return ".".join(parts)


@dataclass
class _Names:
    by_key: dict[str, list[str]]

    def find(self, text: str) -> list[str]:
        key = place_key(text)
        if key in self.by_key:
            return self.by_key[key]
        found = process.extract(key, list(self.by_key), scorer=fuzz.ratio,
                                score_cutoff=SPELLING_CUTOFF, limit=2)
        if len(found) == 2 and found[0][1] - found[1][1] < CLOSE_CALL:
            # "Banyuasin" is as near "Banyuasin I" as "Banyuasin II": both, not a guess
            # (unless both names are one place's).
            return list(dict.fromkeys(self.by_key[found[0][0]] + self.by_key[found[1][0]]))
        return self.by_key[found[0][0]] if found else []

    def add(self, kode: str, nama: str) -> None:
        """A place under its name and, written "Name (Other name)", the other name too."""
        for key in name_keys(nama):
            codes = self.by_key.setdefault(key, [])
            if kode not in codes:
                codes.append(kode)


def name_keys(nama: str) -> set[str]:
    """The keys a place is found by: its name as written whole and, written "Name (Other
    name)", each of the two names."""
    alias = ALIAS.match(nama)
    return {place_key(n) for n in (nama, *(alias.groups() if alias else ())) if place_key(n)}


def _names(rows) -> _Names:
    names = _Names({})
    for kode, nama in rows:
        names.add(kode, nama)
    return names


class Places:
    """The kecamatan and desa under one kode wilayah, loaded once per import."""

    def __init__(self, kode: str) -> None:
        self.kode = kode
        self.label = Wilayah.label_for(kode)
        regions = Wilayah.objects.under(kode).filter(level__in=[Level.KECAMATAN, Level.DESA])
        rows = list(regions.values_list("kode", "nama", "level"))
        self.names = {kode: nama for kode, nama, _level in rows}
        self.kecamatan = _names((k, n) for k, n, lvl in rows if lvl == Level.KECAMATAN)
        self.desa: dict[str, _Names] = {}
        for k, n, lvl in rows:
            if lvl == Level.DESA:
                self.desa.setdefault(k.rsplit(".", 1)[0], _Names({})).add(k, n)
        self.only_kecamatan = kode if Wilayah.level_of(kode) == Level.KECAMATAN else None
        # Every kecamatan of the country (some 7,300), to tell "outside" from "unknown" without
        # a query per row: rows are read in a thread that may not query (pipeline.ahead).
        self.all_kecamatan: set[str] = set()
        self.all_kecamatan_by_name: dict[str, list[str]] = {}  # by place_key
        for k, n in (Wilayah.objects.filter(level=Level.KECAMATAN).order_by("kode")
                     .values_list("kode", "nama")):
            self.all_kecamatan.add(k)
            for key in name_keys(n):
                self.all_kecamatan_by_name.setdefault(key, []).append(k)

    def has_desa(self, kecamatan: str) -> bool:
        return kecamatan in self.desa

    def find_kecamatan(self, text: str) -> str:
        """The kode of the kecamatan written in `text`; PlaceError when unknown or outside."""
        if not text:
            if self.only_kecamatan:
                return self.only_kecamatan
            raise PlaceError(_("The kecamatan is empty."))
        code = as_code(text, Level.KECAMATAN)
        if code:
            if code in self.names:
                return code
            raise self._outside_or_unknown(text, [code] if code in self.all_kecamatan else [])
        found = self.kecamatan.find(text)
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise PlaceError(_("More than one kecamatan in %(wilayah)s is called '%(name)s'; "
                               "write its code instead.") % {"wilayah": self.label, "name": text})
        elsewhere = self.all_kecamatan_by_name.get(place_key(text), [])
        raise self._outside_or_unknown(text, elsewhere)

    def _outside_or_unknown(self, text: str, elsewhere: list[str]) -> PlaceError:
        outside = [k for k in elsewhere if not kode_within(k, self.kode)]
        if outside:
            return PlaceError(_("Kecamatan '%(name)s' (%(kode)s) lies outside %(wilayah)s.")
                              % {"name": text, "kode": outside[0], "wilayah": self.label})
        return PlaceError(_("No kecamatan '%(name)s' is known in %(wilayah)s.")
                          % {"name": text, "wilayah": self.label})

    def find_desa(self, text: str, kecamatan: str) -> str:
        """The kode of the desa/kelurahan in that kecamatan; PlaceError when unknown."""
        code = as_code(text, Level.DESA)
        if code and code.startswith(f"{kecamatan}.") and code in self.names:
            return code
        found = self.desa.get(kecamatan, _Names({})).find(text)
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise PlaceError(_("More than one desa/kelurahan in kecamatan %(kecamatan)s is "
                               "called '%(name)s'; write its code instead.")
                             % {"name": text, "kecamatan": self.names.get(kecamatan, kecamatan)})
        raise PlaceError(_("No desa/kelurahan '%(name)s' is known in kecamatan %(kecamatan)s.")
                         % {"name": text, "kecamatan": self.names.get(kecamatan, kecamatan)})
